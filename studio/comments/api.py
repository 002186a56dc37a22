"""Comment routes under /api/assistants/{slug}/comments/: thin over the selectors and services."""
from django.http import HttpRequest
from ninja import Router, Status

from studio.accounts.permissions import CAN_READ
from studio.assistants.schemas import ErrorOut
from studio.assistants.selectors import assistant_get_for_user
from studio.comments import schemas as s
from studio.comments import services
from studio.comments.selectors import (
    Target,
    comment_to_api,
    step_thread_counts,
    thread_get_for_user,
    thread_to_api,
    threads_for_target,
)

router = Router(tags=["comments"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _assistant(request: HttpRequest, slug: str):
    return assistant_get_for_user(request.user, slug, *CAN_READ)


@router.get("/{slug}/comments/steps", response={200: dict[str, s.StepCountOut], **ERRORS},
            url_name="comments_step_counts")
def step_counts(request: HttpRequest, slug: str, flow_id: str):
    """Open and resolved threads per step of one flow: the editor's badges."""
    return step_thread_counts(request.user, _assistant(request, slug), flow_id)


@router.get("/{slug}/comments/threads", response={200: list[s.ThreadOut], **ERRORS})
def thread_list(request: HttpRequest, slug: str, kind: str, flow_id: str = "", step_id: str = "", response: str = ""):
    assistant = _assistant(request, slug)
    target = Target.of(kind, flow_id=flow_id, step_id=step_id, response=response)
    return [thread_to_api(t) for t in threads_for_target(request.user, assistant, target)]


@router.post("/{slug}/comments/threads", response={201: s.ThreadOut, **ERRORS})
def thread_start(request: HttpRequest, slug: str, payload: s.ThreadIn):
    assistant = _assistant(request, slug)
    target = Target.of(payload.kind, flow_id=payload.flow_id, step_id=payload.step_id, response=payload.response)
    thread = services.thread_start(user=request.user, assistant=assistant, target=target, body=payload.body)
    return Status(201, thread_to_api(thread_get_for_user(request.user, assistant, thread.pk)))


@router.get("/{slug}/comments/threads/{int:thread_id}", response={200: s.ThreadOut, **ERRORS})
def thread_detail(request: HttpRequest, slug: str, thread_id: int):
    return thread_to_api(thread_get_for_user(request.user, _assistant(request, slug), thread_id))


@router.post("/{slug}/comments/threads/{int:thread_id}/comments", response={201: s.CommentOut, **ERRORS})
def comment_add(request: HttpRequest, slug: str, thread_id: int, payload: s.CommentIn):
    assistant = _assistant(request, slug)
    comment = services.comment_add(user=request.user, assistant=assistant, thread_id=thread_id, body=payload.body)
    return Status(201, comment_to_api(comment))


@router.post("/{slug}/comments/threads/{int:thread_id}/resolve", response={200: s.ThreadOut, **ERRORS})
def thread_resolve(request: HttpRequest, slug: str, thread_id: int):
    assistant = _assistant(request, slug)
    services.thread_resolve(user=request.user, assistant=assistant, thread_id=thread_id)
    return thread_to_api(thread_get_for_user(request.user, assistant, thread_id))


@router.post("/{slug}/comments/threads/{int:thread_id}/reopen", response={200: s.ThreadOut, **ERRORS})
def thread_reopen(request: HttpRequest, slug: str, thread_id: int):
    assistant = _assistant(request, slug)
    services.thread_reopen(user=request.user, assistant=assistant, thread_id=thread_id)
    return thread_to_api(thread_get_for_user(request.user, assistant, thread_id))


@router.patch("/{slug}/comments/{int:comment_id}", response={200: s.CommentOut, **ERRORS})
def comment_edit(request: HttpRequest, slug: str, comment_id: int, payload: s.CommentEditIn):
    comment = services.comment_edit(user=request.user, assistant=_assistant(request, slug), comment_id=comment_id,
                                    body=payload.body, revision=payload.revision)
    return comment_to_api(comment)


@router.delete("/{slug}/comments/{int:comment_id}", response={204: None, **ERRORS})
def comment_delete(request: HttpRequest, slug: str, comment_id: int):
    services.comment_delete(user=request.user, assistant=_assistant(request, slug), comment_id=comment_id)
    return Status(204, None)
