"""Routes of the flow graph editor under /api/assistants/{slug}/editor/; thin over services and selectors."""
from django.http import HttpRequest
from ninja import Router, Status

from studio.accounts.permissions import CAN_READ
from studio.assistants import services
from studio.assistants.schemas import ErrorOut
from studio.assistants.selectors import assistant_get_for_user, flow_get, flow_list
from studio.editor import schemas as s
from studio.editor.selectors import condition_problem, editor_catalog, flow_problems, flow_usages

router = Router(tags=["editor"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
BASE = "/{slug}/editor"


def _readable(request: HttpRequest, slug: str):
    return assistant_get_for_user(request.user, slug, *CAN_READ)


def _flow_out(assistant, flow) -> dict:
    body = flow.to_rasa()
    return {"flow_id": flow.flow_id, "revision": flow.revision, "body": body,
            "updated_by": flow.updated_by.get_username() if flow.updated_by else None,
            "problems": flow_problems(assistant, flow.flow_id, body)}


@router.get(f"{BASE}/flows", response={200: list[s.FlowListItemOut], **ERRORS})
def editor_flow_list(request: HttpRequest, slug: str, q: str = ""):
    assistant = _readable(request, slug)
    flows = [f for f in flow_list(assistant) if q.lower() in f"{f.flow_id} {f.name} {f.description}".lower()]
    return [{"flow_id": f.flow_id, "name": f.name, "description": f.description, "is_pattern": f.is_pattern,
             "revision": f.revision, "step_count": len(f.steps), "used_by": flow_usages(assistant, f.flow_id)}
            for f in flows]


@router.post(f"{BASE}/flows", response={201: s.EditorFlowOut, **ERRORS})
def editor_flow_create(request: HttpRequest, slug: str, payload: s.FlowCreateIn):
    assistant = _readable(request, slug)
    data = {"name": payload.name, "description": payload.description, "steps": []}
    flow = services.flow_create(user=request.user, assistant=assistant, flow_id=payload.flow_id,
                                data={k: v for k, v in data.items() if v or k == "steps"})
    return Status(201, _flow_out(assistant, flow))


@router.get(BASE + "/flows/{flow_id}", response={200: s.EditorFlowOut, **ERRORS})
def editor_flow_get(request: HttpRequest, slug: str, flow_id: str):
    assistant = _readable(request, slug)
    return _flow_out(assistant, flow_get(assistant, flow_id))


@router.put(BASE + "/flows/{flow_id}", response={200: s.EditorFlowOut, 409: ErrorOut, **ERRORS})
def editor_flow_save(request: HttpRequest, slug: str, flow_id: str, payload: s.FlowSaveIn):
    """Save with the revision the editor loaded; 409 with the current flow when someone saved first."""
    assistant = _readable(request, slug)
    flow = services.flow_save(user=request.user, assistant=assistant, flow_id=flow_id,
                              data=payload.body, revision=payload.revision)
    return _flow_out(assistant, flow)


@router.delete(BASE + "/flows/{flow_id}", response={204: None, **ERRORS})
def editor_flow_delete(request: HttpRequest, slug: str, flow_id: str):
    assistant = _readable(request, slug)
    services.flow_delete(user=request.user, assistant=assistant, flow_id=flow_id)
    return Status(204, None)


@router.post(BASE + "/flows/{flow_id}/duplicate", response={201: s.EditorFlowOut, **ERRORS})
def editor_flow_duplicate(request: HttpRequest, slug: str, flow_id: str, payload: s.FlowDuplicateIn):
    assistant = _readable(request, slug)
    flow = services.flow_duplicate(user=request.user, assistant=assistant, flow_id=flow_id,
                                   new_flow_id=payload.new_flow_id)
    return Status(201, _flow_out(assistant, flow))


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
    slot = services.slot_save(user=request.user, assistant=assistant, name=payload.name, data=data, revision=None)
    return Status(201, {"name": slot.name})


@router.post(f"{BASE}/responses", response={201: s.CreatedOut, **ERRORS})
def editor_response_create(request: HttpRequest, slug: str, payload: s.ResponseIn):
    assistant = _readable(request, slug)
    response = services.response_save(user=request.user, assistant=assistant, name=payload.name,
                                      variations=[{"text": payload.text}], revision=None)
    return Status(201, {"name": response.name})


@router.post(f"{BASE}/actions", response={201: s.CreatedOut, **ERRORS})
def editor_action_create(request: HttpRequest, slug: str, payload: s.ActionIn):
    assistant = _readable(request, slug)
    action = services.custom_action_create(user=request.user, assistant=assistant, name=payload.name)
    return Status(201, {"name": action.name})
