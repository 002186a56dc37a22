"""Routes of the flow graph editor under /api/assistants/{slug}/editor/; thin over services and selectors.

These are the API's flow routes: the assistants router's `/{slug}/flows` routes answer with the same shapes.
"""
from django.http import HttpRequest
from ninja import Router, Status

from studio.accounts.permissions import CAN_READ
from studio.assistants import services, slot_services
from studio.assistants.models import CustomAction, Slot
from studio.assistants.schemas import ErrorOut
from studio.assistants.selectors import action_get, assistant_get_for_user, flow_get, flow_list, response_get, slot_get
from studio.assistants.system_flows import (
    flow_start,
    system_flow_customise,
    system_flow_diff,
    system_flow_get,
    system_flow_list,
    system_flow_reset,
)
from studio.editor import schemas as s
from studio.editor.item_pages import item_usages, matches, with_usages
from studio.exchange import renames
from studio.exchange.schemas import ItemEditOut, ItemInUseOut
from studio.exchange.usage_index import ItemInUse, usage_project
from studio.editor.selectors import condition_problem, editor_catalog, flow_problems, flow_usages

router = Router(tags=["editor"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
BASE = "/{slug}/editor"


def _readable(request: HttpRequest, slug: str):
    return assistant_get_for_user(request.user, slug, *CAN_READ)


def flow_out(assistant, flow) -> dict:
    """The one API shape of a flow (EditorFlowOut): Flow.to_api() plus the engine's problems."""
    return {**flow.to_api(), "problems": flow_problems(assistant, flow.flow_id, flow.to_rasa())}


def flow_list_out(assistant, q: str = "") -> list[dict]:
    """The one API shape of the flow list (FlowListItemOut), filtered by `q`."""
    flows = [f for f in flow_list(assistant) if q.lower() in f"{f.flow_id} {f.name} {f.description}".lower()]
    index = usage_project(assistant)
    return [{"flow_id": f.flow_id, "name": f.name, "description": f.description, "is_pattern": f.is_pattern,
             "revision": f.revision, "step_count": len(f.steps), "updated_at": f.updated_at,
             "used_by": flow_usages(assistant, f.flow_id, index)}
            for f in flows]


@router.get(f"{BASE}/flows", response={200: list[s.FlowListItemOut], **ERRORS})
def editor_flow_list(request: HttpRequest, slug: str, q: str = ""):
    return flow_list_out(_readable(request, slug), q)


@router.post(f"{BASE}/flows", response={201: s.EditorFlowOut, **ERRORS})
def editor_flow_create(request: HttpRequest, slug: str, payload: s.FlowCreateIn):
    assistant = _readable(request, slug)
    fields = {k: v for k, v in {"name": payload.name, "description": payload.description}.items() if v}
    flow = flow_start(user=request.user, assistant=assistant, flow_id=payload.flow_id, fields=fields)
    return Status(201, flow_out(assistant, flow))


@router.get(BASE + "/flows/{flow_id}", response={200: s.EditorFlowOut, **ERRORS})
def editor_flow_get(request: HttpRequest, slug: str, flow_id: str):
    assistant = _readable(request, slug)
    return flow_out(assistant, flow_get(assistant, flow_id))


@router.put(BASE + "/flows/{flow_id}", response={200: s.EditorFlowSavedOut, 409: ErrorOut, **ERRORS})
def editor_flow_save(request: HttpRequest, slug: str, flow_id: str, payload: s.FlowSaveIn):
    """Save with the revision the editor loaded; when someone saved first, merge against `base` (the
    body loaded): 200 with `merge` saying what merged, or 409 with base, theirs, mine and the overlaps."""
    assistant = _readable(request, slug)
    flow = services.flow_save(user=request.user, assistant=assistant, flow_id=flow_id,
                              data=payload.body, revision=payload.revision, base=payload.base,
                              resolutions=payload.resolutions, seen_revision=payload.seen_revision)
    return {**flow_out(assistant, flow), "merge": flow.merge_note}


@router.delete(BASE + "/flows/{flow_id}", response={204: None, 200: ItemEditOut, 409: ItemInUseOut, **ERRORS})
def editor_flow_delete(request: HttpRequest, slug: str, flow_id: str, remove_references: bool = False,
                       dry_run: bool = False):
    """204 when deleted; 409 with every usage when the flow is referenced (unless `remove_references`);
    with `dry_run` or `remove_references`, 200 and the changes (made or, on a dry run, previewed)."""
    assistant = _readable(request, slug)
    try:
        result = renames.assistant_item_delete(user=request.user, assistant=assistant, kind="flows", name=flow_id,
                                               remove_references=remove_references, dry_run=dry_run)
    except ItemInUse as exc:
        return Status(409, exc.as_dict())
    return result.as_dict() if dry_run or remove_references else Status(204, None)


@router.post(BASE + "/flows/{flow_id}/duplicate", response={201: s.EditorFlowOut, **ERRORS})
def editor_flow_duplicate(request: HttpRequest, slug: str, flow_id: str, payload: s.FlowDuplicateIn):
    assistant = _readable(request, slug)
    flow = services.flow_duplicate(user=request.user, assistant=assistant, flow_id=flow_id,
                                   new_flow_id=payload.new_flow_id)
    return Status(201, flow_out(assistant, flow))


@router.get(BASE + "/flows/{flow_id}/usages", response={200: list[s.UsageOut], **ERRORS})
def editor_flow_usages(request: HttpRequest, slug: str, flow_id: str):
    assistant = _readable(request, slug)
    flow_get(assistant, flow_id)
    return flow_usages(assistant, flow_id)


@router.post(f"{BASE}/validate", response={200: s.ProblemsOut, **ERRORS})
def editor_validate(request: HttpRequest, slug: str, payload: s.ValidateIn):
    assistant = _readable(request, slug)
    return {"problems": flow_problems(assistant, payload.flow_id, payload.body)}


@router.post(f"{BASE}/validate-condition", response={200: s.ConditionOut, **ERRORS})
def editor_validate_condition(request: HttpRequest, slug: str, payload: s.ConditionIn):
    _readable(request, slug)
    problem = condition_problem(payload.expression)
    return {"ok": problem is None, "message": problem or ""}


@router.get(f"{BASE}/catalog", response={200: s.CatalogOut, **ERRORS})
def editor_catalog_get(request: HttpRequest, slug: str):
    return editor_catalog(_readable(request, slug))


@router.post(f"{BASE}/slots", response={201: s.CreatedOut, **ERRORS})
def editor_slot_create(request: HttpRequest, slug: str, payload: s.SlotIn):
    assistant = _readable(request, slug)
    data: dict = {"type": payload.type, "mappings": [{"type": "from_llm"}]}
    if payload.values:
        data["values"] = payload.values
    slot = slot_services.slot_create(user=request.user, assistant=assistant, name=payload.name, data=data)
    return Status(201, {"name": slot.name})


def _slot_out(assistant, slot) -> dict:
    return {**slot.to_api(), "usages": [u.as_dict() for u in item_usages(assistant, "slots", slot.name)]}


@router.get(f"{BASE}/slots", response={200: list[s.SlotListItemOut], **ERRORS})
def editor_slot_list(request: HttpRequest, slug: str, q: str = ""):
    assistant = _readable(request, slug)
    slots = [x for x in Slot.objects.filter(assistant=assistant).ordered() if matches(q, x.name, x.type)]
    return [{"name": x.name, "type": x.type, "revision": x.revision, "used_in": len(x.usages)}
            for x in with_usages(assistant, "slots", slots)]


@router.get(BASE + "/slots/{name}", response={200: s.SlotOut, **ERRORS})
def editor_slot_get(request: HttpRequest, slug: str, name: str):
    assistant = _readable(request, slug)
    return _slot_out(assistant, slot_get(assistant, name))


@router.put(BASE + "/slots/{name}", response={200: s.SlotOut, 409: ErrorOut, **ERRORS})
def editor_slot_save(request: HttpRequest, slug: str, name: str, payload: s.SlotSaveIn):
    """Replace the whole slot (every Rasa key, unknown ones too); 409 with the current slot when stale."""
    assistant = _readable(request, slug)
    slot = slot_services.slot_update(user=request.user, assistant=assistant, name=name, data=payload.definition,
                                     revision=payload.revision)
    return _slot_out(assistant, slot)


@router.post(f"{BASE}/responses", response={201: s.CreatedOut, **ERRORS})
def editor_response_create(request: HttpRequest, slug: str, payload: s.ResponseIn):
    assistant = _readable(request, slug)
    response = services.response_save(user=request.user, assistant=assistant, name=payload.name,
                                      variations=[{"text": payload.text}], revision=None)
    return Status(201, {"name": response.name})


# `{path:name}`: Rasa allows any text as a response name, `/` included (`utter_faq/ask_price`).
@router.get(BASE + "/responses/{path:name}", response={200: s.ResponseOut, **ERRORS})
def editor_response_get(request: HttpRequest, slug: str, name: str):
    return response_get(_readable(request, slug), name).to_api()


@router.put(BASE + "/responses/{path:name}", response={200: s.ResponseSavedOut, 409: ErrorOut, **ERRORS})
def editor_response_save(request: HttpRequest, slug: str, name: str, payload: s.ResponseSaveIn):
    assistant = _readable(request, slug)
    response = services.response_save(user=request.user, assistant=assistant, name=name,
                                      variations=payload.variations, revision=payload.revision, base=payload.base,
                                      resolutions=payload.resolutions, seen_revision=payload.seen_revision)
    return {**response.to_api(), "merge": response.merge_note}


@router.post(f"{BASE}/actions", response={201: s.CreatedOut, **ERRORS})
def editor_action_create(request: HttpRequest, slug: str, payload: s.ActionIn):
    assistant = _readable(request, slug)
    action = services.custom_action_create(user=request.user, assistant=assistant, name=payload.name)
    return Status(201, {"name": action.name})


def _action_out(assistant, action) -> dict:
    return {"name": action.name, "revision": action.revision, "definition": action.definition,
            "usages": [u.as_dict() for u in item_usages(assistant, "actions", action.name)]}


@router.get(f"{BASE}/actions", response={200: list[s.ActionListItemOut], **ERRORS})
def editor_action_list(request: HttpRequest, slug: str, q: str = ""):
    assistant = _readable(request, slug)
    actions = [a for a in CustomAction.objects.filter(assistant=assistant).ordered() if matches(q, a.name)]
    return [{"name": a.name, "revision": a.revision, "definition": a.definition, "used_in": len(a.usages)}
            for a in with_usages(assistant, "actions", actions)]


@router.get(BASE + "/actions/{name}", response={200: s.ActionOut, **ERRORS})
def editor_action_get(request: HttpRequest, slug: str, name: str):
    assistant = _readable(request, slug)
    return _action_out(assistant, action_get(assistant, name))


@router.put(BASE + "/actions/{name}", response={200: s.ActionOut, 409: ErrorOut, **ERRORS})
def editor_action_save(request: HttpRequest, slug: str, name: str, payload: s.ActionSaveIn):
    """Replace the action's options (null: the plain `- name` entry); 409 when `revision` is stale."""
    assistant = _readable(request, slug)
    action = slot_services.action_update(user=request.user, assistant=assistant, name=name,
                                         definition=payload.definition, revision=payload.revision)
    return _action_out(assistant, action)


@router.get(f"{BASE}/system-flows", response={200: list[s.SystemFlowOut], **ERRORS})
def editor_system_flow_list(request: HttpRequest, slug: str):
    """Every built-in pattern with its default content and whether the assistant customises it."""
    return [sf.to_api() for sf in system_flow_list(_readable(request, slug))]


@router.post(BASE + "/system-flows/{flow_id}/customise", response={201: s.EditorFlowOut, **ERRORS})
def editor_system_flow_customise(request: HttpRequest, slug: str, flow_id: str):
    """Create the override from the default content; edit it with the flow routes."""
    assistant = _readable(request, slug)
    flow = system_flow_customise(user=request.user, assistant=assistant, flow_id=flow_id)
    return Status(201, flow_out(assistant, flow))


@router.post(BASE + "/system-flows/{flow_id}/reset", response={204: None, 409: ErrorOut, **ERRORS})
def editor_system_flow_reset(request: HttpRequest, slug: str, flow_id: str, revision: int | None = None):
    """Delete the override (409 when `revision`, the one the user reviewed, is stale); the default applies again."""
    assistant = _readable(request, slug)
    system_flow_reset(user=request.user, assistant=assistant, flow_id=flow_id, revision=revision)
    return Status(204, None)


@router.get(BASE + "/system-flows/{flow_id}/diff", response={200: s.SystemFlowDiffOut, **ERRORS})
def editor_system_flow_diff(request: HttpRequest, slug: str, flow_id: str):
    system_flow = system_flow_get(_readable(request, slug), flow_id)
    return {"flow_id": flow_id, "diff": system_flow_diff(system_flow)}


# Translation and responses-CSV routes live in their own module on this router (imported last: it needs `router`).
from studio.editor import translation_api  # noqa: E402,F401
