from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from studio.accounts.permissions import CAN_READ
from studio.assistants.schemas import ErrorOut
from studio.assistants.selectors import assistant_get_for_user
from studio.e2etests import services
from studio.e2etests.schemas import (
    CaseIn, CaseYamlOut, ConversationTestIn, GeneratedOut, RunIn, RunOut, TestFileOut,
)

router = Router(tags=["e2e tests"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
EDIT_ERRORS = {**ERRORS, 409: ErrorOut}


def _assistant(request: HttpRequest, slug: str):
    return assistant_get_for_user(request.user, slug, *CAN_READ)


def _run_out(run) -> dict:
    return {"id": run.pk, "status": run.status, "generator": run.generator, "file": run.path, "case": run.case,
            "passed": run.passed, "total": run.total, "results": run.results, "output": run.output,
            "error": run.error, "created_at": run.created_at, "finished_at": run.finished_at,
            "unreached": {c["flow_id"]: c["unreached"] for c in services.unreached_steps(run)}}


@router.get("/{slug}/tests", response={200: list[TestFileOut], **ERRORS})
def test_file_list_route(request: HttpRequest, slug: str):
    files = services.test_file_list(user=request.user, assistant=_assistant(request, slug))
    return [{"path": f.path, "revision": f.revision, "problem": f.problem,
             "cases": [{"name": c.name, "line": c.line, "last_passed": c.last["passed"] if c.last else None}
                       for c in f.cases]} for f in files]


@router.get("/{slug}/tests/case", response={200: CaseYamlOut, **ERRORS})
def test_case_get_route(request: HttpRequest, slug: str, file: str, name: str):
    text, revision = services.test_case_get(user=request.user, assistant=_assistant(request, slug), path=file, name=name)
    return {"file": file, "name": name, "yaml": text, "revision": revision}


@router.put("/{slug}/tests/case", response={200: CaseYamlOut, **EDIT_ERRORS})
def test_case_save_route(request: HttpRequest, slug: str, payload: CaseIn):
    """Replace one test case; 422 names the line the engine's e2e reader refused, 409 when the file changed."""
    assistant = _assistant(request, slug)
    revision = services.test_case_save(user=request.user, assistant=assistant, path=payload.file,
                                       name=payload.name, case_yaml=payload.yaml, revision=payload.revision)
    return {"file": payload.file, "name": payload.name, "yaml": payload.yaml, "revision": revision}


@router.delete("/{slug}/tests/case", response={204: None, **EDIT_ERRORS})
def test_case_delete_route(request: HttpRequest, slug: str, file: str, name: str, revision: str):
    services.test_case_delete(user=request.user, assistant=_assistant(request, slug), path=file, name=name,
                              revision=revision)
    return Status(204, None)


@router.post("/{slug}/tests/generate", response={200: GeneratedOut, 201: GeneratedOut, **EDIT_ERRORS})
def tests_generate_route(request: HttpRequest, slug: str, dry_run: bool = False, generator: str = ""):
    """Tests for every branch of every flow, for the `scripted` or `offline` generator (default: the one
    try-it uses); `dry_run` previews."""
    assistant = _assistant(request, slug)
    text, skipped = services.tests_generate_preview(user=request.user, assistant=assistant, generator=generator)
    if dry_run:
        return {"path": services.e2e.GENERATED_PATH, "yaml": text, "skipped": skipped}
    path = services.tests_generate_save(user=request.user, assistant=assistant, generator=generator)
    return Status(201, {"path": path, "yaml": services.e2e.test_files(assistant)[path], "skipped": skipped})


@router.post("/{slug}/tests/runs", response={202: RunOut, **ERRORS})
def test_run_create_route(request: HttpRequest, slug: str, payload: RunIn):
    """Run stored tests against the current content; poll the run (or listen on the tests socket)."""
    run = services.test_run_create(user=request.user, assistant=_assistant(request, slug),
                                   generator=payload.generator, path=payload.file, case=payload.case)
    return Status(202, _run_out(run))


@router.get("/{slug}/tests/runs/{run_id}", response={200: RunOut, **ERRORS})
def test_run_get_route(request: HttpRequest, slug: str, run_id: int):
    return _run_out(services.test_run_get(user=request.user, assistant=_assistant(request, slug), run_id=run_id))


@router.get("/{slug}/conversations/{conversation_id}/e2e-test", response={200: None, **ERRORS})
def conversation_test_route(request: HttpRequest, slug: str, conversation_id: int, name: str = ""):
    """The conversation as a Rasa Pro e2e test file (YAML)."""
    assistant = _assistant(request, slug)
    turns = services.conversation_turns(user=request.user, assistant=assistant, conversation_id=conversation_id)
    text = services.conversation_test_text(assistant=assistant, turns=turns,
                                           name=name or f"conversation_{conversation_id}")
    return HttpResponse(text, content_type="application/x-yaml; charset=utf-8")


@router.post("/{slug}/conversations/{conversation_id}/e2e-test", response={201: dict, **EDIT_ERRORS})
def conversation_test_save_route(request: HttpRequest, slug: str, conversation_id: int, payload: ConversationTestIn):
    """Save the conversation into the assistant's tests (designers and owners); returns the file path."""
    assistant = _assistant(request, slug)
    turns = services.conversation_turns(user=request.user, assistant=assistant, conversation_id=conversation_id)
    path = services.conversation_test_save(user=request.user, assistant=assistant, turns=turns, name=payload.name)
    return Status(201, {"path": path})
