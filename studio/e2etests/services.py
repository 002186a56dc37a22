"""Stored e2e tests: list, edit, delete, generate, save conversations, and run them.

Test files live where imported ones do (exchange SourceFile rows of kind e2e_test, written through
`studio.exchange.e2e`), so they export under `tests/` and re-import unchanged. Viewers see and run
tests; designers and owners edit, delete and generate them (tests describe flows, which are theirs).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from studio.accounts.permissions import CAN_EDIT_FLOWS, CAN_READ, require_role
from studio.assistants.engine_adapter import assistant_snapshot, problems_text, snapshot_built
from studio.assistants.models import Assistant
from studio.core.exceptions import Conflict, NotFound, ValidationFailed
from studio.e2etests import cases as case_text_ops
from studio.e2etests.cases import CaseProblem
from studio.e2etests.from_conversation import case_name, conversation_test
from studio.e2etests.generate import generate_path_tests
from studio.e2etests.groups import test_runs_group_name
from studio.e2etests.models import RunStatus, TestRun
from studio.e2etests.runs import GENERATORS, command_generator, default_generator, tests_run
from studio.exchange import e2e

logger = logging.getLogger(__name__)
CAN_RUN = CAN_READ
CAN_WRITE_TESTS = CAN_EDIT_FLOWS
RESULT_RUNS = 20  # runs read for the "last result" column


@dataclass(frozen=True)
class StoredCase:
    file: str
    name: str
    line: int | None
    last: dict | None  # this case's entry in the latest finished run


@dataclass(frozen=True)
class StoredFile:
    path: str
    revision: str
    cases: list[StoredCase]
    problem: str = ""  # the file does not read (it was hand-edited outside the studio)


def _invalid(field: str, problem: CaseProblem) -> ValidationFailed:
    return ValidationFailed.one(field, msg=str(problem))


def latest_run(assistant: Assistant) -> TestRun | None:
    return TestRun.objects.filter(assistant=assistant).first()


def _finished(assistant: Assistant):
    return TestRun.objects.filter(assistant=assistant, status__in=(RunStatus.PASSED, RunStatus.FAILED))


def latest_full_run(assistant: Assistant) -> TestRun | None:
    """The newest finished run of every stored test: the one coverage is read from."""
    return _finished(assistant).filter(path="", case="").first()


def test_file_list(*, user, assistant: Assistant) -> list[StoredFile]:
    require_role(user, assistant, *CAN_READ)
    last: dict[tuple[str, str], dict] = {}
    # Each case's newest result, whether it came from a full run, a file or the case alone.
    for results in _finished(assistant).values_list("results", flat=True)[:RESULT_RUNS]:
        for result in results:
            last.setdefault((result["file"], result["name"]), result)
    out = []
    for path, text in e2e.test_files(assistant).items():
        try:
            found = case_text_ops.read_cases(text, path)
        except CaseProblem as exc:
            out.append(StoredFile(path, e2e.content_hash(text), [], str(exc)))
            continue
        out.append(StoredFile(path, e2e.content_hash(text),
                              [StoredCase(path, c.name, c.line, last.get((path, c.name))) for c in found]))
    return out


def _file(assistant: Assistant, path: str, *, lock: bool = False) -> str:
    text = e2e.test_file_locked(assistant, path) if lock else e2e.test_files(assistant).get(path)
    if text is None:
        raise NotFound(f"Test file {path!r} not found")
    return text


def test_case_get(*, user, assistant: Assistant, path: str, name: str) -> tuple[str, str]:
    """(the case's YAML, the file's revision)."""
    require_role(user, assistant, *CAN_READ)
    text = _file(assistant, path)
    try:
        return case_text_ops.case_text(text, path, name), e2e.content_hash(text)
    except KeyError:
        raise NotFound(f"Test case {name!r} not found in {path}") from None
    except CaseProblem as exc:
        raise _invalid("path", exc) from None


def _check_revision(text: str, revision: str) -> None:
    if revision != e2e.content_hash(text):
        raise Conflict("The test file was changed since you opened it; reload to see the current version")


@transaction.atomic
def test_case_save(*, user, assistant: Assistant, path: str, name: str, case_yaml: str, revision: str) -> str:
    """Replace one case (validated by the engine's e2e reader); returns the file's new revision."""
    require_role(user, assistant, *CAN_WRITE_TESTS)
    text = _file(assistant, path, lock=True)
    _check_revision(text, revision)
    try:
        new = case_text_ops.case_replace(text, path, name, case_yaml)
    except KeyError:
        raise NotFound(f"Test case {name!r} not found in {path}") from None
    except CaseProblem as exc:
        raise _invalid("yaml", exc) from None
    e2e.test_file_write(assistant, path, new)
    return e2e.content_hash(new)


@transaction.atomic
def test_case_delete(*, user, assistant: Assistant, path: str, name: str, revision: str) -> None:
    require_role(user, assistant, *CAN_WRITE_TESTS)
    text = _file(assistant, path, lock=True)
    _check_revision(text, revision)
    try:
        new = case_text_ops.case_remove(text, path, name)
    except KeyError:
        raise NotFound(f"Test case {name!r} not found in {path}") from None
    if new is None:
        e2e.test_file_delete(assistant, path)
    else:
        e2e.test_file_write(assistant, path, new)


def _built(assistant: Assistant):
    snapshot, problems = assistant_snapshot(assistant)
    built, problems = (None, problems) if problems else snapshot_built(snapshot)
    if built is None:
        raise Conflict("The assistant cannot run until these are fixed: " + problems_text(problems))
    return built


def _check_generator(generator: str) -> None:
    if generator not in GENERATORS:
        raise ValidationFailed.one("generator", msg=f"must be one of {', '.join(GENERATORS)}")


def tests_generate_preview(*, user, assistant: Assistant, generator: str = "") -> tuple[str, list[str]]:
    """(the generated file's text, flows nothing was generated for and why). With `offline` the paths are
    played through the offline generator and start from the flow's name, as a user would ask; without a
    generator, the one try-it uses."""
    require_role(user, assistant, *CAN_WRITE_TESTS)
    generator = generator or default_generator(assistant)
    _check_generator(generator)
    built = _built(assistant)
    generated = generate_path_tests(built, generator=command_generator(generator, built))
    return e2e.tests_text(generated.to_data(), generator), generated.skipped


@transaction.atomic
def tests_generate_save(*, user, assistant: Assistant, generator: str = "") -> str:
    """Generate again (the content may have changed since the preview) and save; returns the path."""
    text, _ = tests_generate_preview(user=user, assistant=assistant, generator=generator)
    e2e.test_file_write(assistant, e2e.GENERATED_PATH, text)
    return e2e.GENERATED_PATH


def conversation_test_text(*, assistant: Assistant, turns: list[dict], name: str) -> str:
    """The e2e test file of a conversation's turns (the caller checked who may read them)."""
    return e2e.tests_text(conversation_test(turns, name=name, assistant=_built(assistant)))


@transaction.atomic
def conversation_test_save(*, user, assistant: Assistant, turns: list[dict], name: str) -> str:
    require_role(user, assistant, *CAN_WRITE_TESTS)
    text = conversation_test_text(assistant=assistant, turns=turns, name=name)
    path = f"tests/conversations/{case_name(name)}.yml"
    if path in e2e.test_files(assistant):
        raise Conflict(f"A test file {path} exists already; choose another name")
    e2e.test_file_write(assistant, path, text)
    return path


# --- runs ------------------------------------------------------------------------------------
def test_run_create(*, user, assistant: Assistant, generator: str = "", path: str = "",
                    case: str = "") -> TestRun:
    """Queue a run (viewers may run tests); the worker picks it up once this transaction commits. Without
    a generator, the one try-it uses, so a conversation saved as a test replays as it was chatted."""
    require_role(user, assistant, *CAN_RUN)
    generator = generator or default_generator(assistant)
    _check_generator(generator)
    if path and path not in e2e.test_files(assistant):
        raise NotFound(f"Test file {path!r} not found")
    from studio.e2etests.tasks import test_run_execute as task

    run = TestRun.objects.create(assistant=assistant, started_by=user, generator=generator, path=path, case=case)
    task.delay_on_commit(run.pk)
    return run


def test_run_get(*, user, assistant: Assistant, run_id: Any) -> TestRun:
    require_role(user, assistant, *CAN_READ)
    run = TestRun.objects.filter(assistant=assistant, pk=run_id if str(run_id).isdigit() else None).first()
    if run is None:
        raise NotFound(f"Test run {run_id!r} not found")
    return run


def _send(run: TestRun, done: int, total: int) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    html = render_to_string("e2etests/tests.html#run-status",
                            {"assistant": run.assistant, "run": run, "done": done, "total": total})
    try:
        async_to_sync(layer.group_send)(test_runs_group_name(run.assistant_id),
                                        {"type": "run.progress", "html": html, "run": run.pk})
    except Exception:  # noqa: BLE001 - progress is a courtesy; the page polls the stored run anyway
        logger.warning("could not send progress of test run %s", run.pk, exc_info=True)


def test_run_execute(*, run_id: int) -> TestRun | None:
    """The task's work: run, store results and coverage, report progress. None if the run is gone."""
    run = TestRun.objects.select_related("assistant").filter(pk=run_id).first()
    # Late acks may deliver the task twice: only the delivery that moves it out of "queued" runs it.
    if run is None or not TestRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(status=RunStatus.RUNNING):
        return run
    run.status = RunStatus.RUNNING

    def progress(done: int, total: int, result) -> None:
        run.passed += int(result.passed)
        run.total = total
        _send(run, done, total)

    outcome = tests_run(run.assistant, generator=run.generator, path=run.path, case=run.case, progress=progress)
    run.results = [{"file": r.case.file, "name": r.case.name, "line": r.case.line, "passed": r.passed,
                    "failures": "\n".join(r.failures)} for r in outcome.results]
    run.passed, run.total = outcome.passed, len(outcome.results)
    run.output, run.error, run.coverage = outcome.output, outcome.error, outcome.coverage
    run.status = (RunStatus.ERROR if outcome.error else
                  RunStatus.PASSED if run.passed == run.total else RunStatus.FAILED)
    run.finished_at = timezone.now()
    if not TestRun.objects.filter(pk=run.pk).exists():
        return None
    run.save()
    _send(run, run.total, run.total)
    return run


def unreached_steps(run: TestRun | None) -> list[dict]:
    """[{flow_id, reached, total, unreached: [step ids]}] of the run's coverage, in flow order."""
    if run is None:
        return []
    return [{"flow_id": flow_id, "reached": len(c["reached"]), "total": len(c["steps"]),
             "unreached": [s for s in c["steps"] if s not in c["reached"]]}
            for flow_id, c in (run.coverage or {}).items()]


def conversation_turns(*, user, assistant: Assistant, conversation_id: Any) -> list[dict]:
    """The stored turns of a try-it conversation the user may see (try-it's own selector decides)."""
    from studio.tryit.selectors import conversation_turns_for_user, conversation_view_for_user

    conversation = conversation_view_for_user(user, assistant, conversation_id)
    return conversation_turns_for_user(user, conversation)
