"""What the slot, action and response pages share: search, usages from the one index, the item's links."""
from __future__ import annotations

from typing import Any, Callable, Iterable

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse

from studio.accounts.permissions import role_for
from studio.assistants.models import Assistant
from studio.core.exceptions import Problem, ValidationFailed
from studio.exchange.usage_index import usage_project
from studio.exchange.yamlproject.usages import Project, Usage, usages


def search_query(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()


def matches(query: str, *texts: Any) -> bool:
    return query.lower() in " ".join(str(t) for t in texts if t).lower()


def with_usages(assistant: Assistant, kind: str, rows: Iterable[Any], project: Project | None = None) -> list[Any]:
    """The rows, each with `usages` (every place that names it): one index read for the whole list."""
    project = project or usage_project(assistant)
    rows = list(rows)
    for row in rows:
        row.usages = usages(project, kind, row.name)
    return rows


def item_usages(assistant: Assistant, kind: str, name: str) -> list[Usage]:
    return usages(usage_project(assistant), kind, name)


def optional_url(url_name: str, **kwargs: Any) -> str:
    """The URL of a page another part of the studio may not provide yet ("" until it does)."""
    try:
        return reverse(url_name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def posted_revision(request: HttpRequest) -> int:
    """The revision the edit form was loaded at (a 409 follows when someone saved since)."""
    text = request.POST.get("revision", "").strip()
    try:
        return int(text)
    except ValueError:
        raise ValidationFailed.one("revision",
                                   msg="reload the page: the form lost the revision it was loaded at") from None


def add_problems(form: forms.Form, problems: list[Problem]) -> None:
    """Put each problem a service raised on the field it names, else on the form."""
    for problem in problems:
        field = str(problem.loc[0]) if problem.loc else None
        if field in form.fields:
            form.add_error(field, problem.msg)
        else:
            form.add_error(None, f"{field}: {problem.msg}" if field else problem.msg)


def item_list_response(request: HttpRequest, assistant: Assistant, *, kind: str, rows: Iterable[Any],
                       edit_roles: tuple[str, ...], keep: Callable[[Any], bool] | None = None,
                       **extra: Any) -> TemplateResponse:
    """A list page of slots, actions or responses (`editor/<item>_list.html`), each row with its usages
    (`keep` filters on them); htmx (the live search) gets the `<item>-table` partial alone."""
    item = kind.removesuffix("s")
    rows = [row for row in with_usages(assistant, kind, rows) if keep is None or keep(row)]
    context = {"assistant": assistant, kind: rows, "q": search_query(request),
               "can_edit": role_for(request.user, assistant) in edit_roles, **extra}
    template = f"editor/{item}_list.html"
    return TemplateResponse(request, f"{template}#{item}-table" if request.htmx else template, context)


def saved_or_none(request: HttpRequest, form: forms.Form, save: Callable[[], Any], *, done: str,
                  page: str, **page_kwargs: Any) -> HttpResponse | None:
    """Run `save` (one service call): the redirect to the item's page with `done` as the message, or None
    with the service's problems on `form` (the caller renders it again)."""
    try:
        save()
    except ValidationFailed as exc:
        add_problems(form, exc.problems)
        return None
    messages.success(request, done)
    return redirect(page, **page_kwargs)
