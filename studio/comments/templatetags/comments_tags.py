"""Template helpers: a comment's text as HTML, the comments panel for a response, the unread-mentions count."""
from django import template
from django.utils.safestring import SafeString

from studio.comments.models import TargetKind
from studio.comments.selectors import Target, comment_html, mention_unread_count
from studio.comments.views import panel_context

register = template.Library()


@register.filter
def comment_body(comment) -> SafeString:
    return comment_html(comment)


@register.simple_tag(takes_context=True)
def mentions_unread(context) -> int:
    user = context.get("user")
    return mention_unread_count(user) if user is not None else 0


@register.inclusion_tag("comments/target.html#panel", takes_context=True)
def response_comments(context, assistant, response) -> dict:
    """The response page's comments panel, rendered with the page so it works without JavaScript."""
    request = context["request"]
    target = Target(TargetKind.RESPONSE, response=response.name)
    return {**panel_context(request, assistant, target, request.get_full_path()), "request": request,
            "user": request.user, "csrf_token": context.get("csrf_token")}
