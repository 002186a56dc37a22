"""Versions: snapshot + engine validation in a Celery task; a real worker when Redis is configured."""
import pytest

from studio.assistants import services
from studio.core.exceptions import Forbidden, NotFound
from studio.training.build import version_build_run
from studio.training.models import AssistantVersion
from studio.training.services import version_create
from studio.training.tasks import version_build


@pytest.fixture
def content(assistant, users):
    owner = users["owner"]
    services.slot_save(user=owner, assistant=assistant, name="city", data={"type": "text"}, revision=None)
    services.response_save(user=owner, assistant=assistant, name="utter_ask_city",
                           variations=[{"text": "Which city?"}], revision=None)
    services.flow_create(user=owner, assistant=assistant, flow_id="weather",
                         data={"description": "Weather for a city", "steps": [{"collect": "city"}]},
                         source_path="data/flows.yml")
    return assistant


def build(user, assistant, capture):
    with capture(execute=True):
        version = version_create(user=user, assistant=assistant, note="first")
    version.refresh_from_db()
    return version


def test_designer_builds_a_ready_version_with_a_snapshot(content, users, django_capture_on_commit_callbacks):
    version = build(users["designer"], content, django_capture_on_commit_callbacks)
    assert (version.number, version.status, version.problems) == (1, "ready", [])
    assert version.snapshot["flows"]["weather"]["steps"] == [{"collect": "city"}]
    assert version.snapshot["domain"]["slots"] == {"city": {"type": "text"}}
    assert version.snapshot["config"]["language"] == "en"
    assert build(users["owner"], content, django_capture_on_commit_callbacks).number == 2


@pytest.mark.parametrize(("role", "error"), [("writer", Forbidden), ("viewer", Forbidden), ("outsider", NotFound)])
def test_only_designers_and_owners_build_versions(content, users, role, error):
    with pytest.raises(error):
        version_create(user=users[role], assistant=content)
    assert not AssistantVersion.objects.exists()


def test_broken_config_yaml_fails_the_version_naming_file_and_line(content, users,
                                                                     django_capture_on_commit_callbacks):
    content.config_yaml = "recipe: default.v1\npipeline: [\n"
    content.save()
    version = build(users["owner"], content, django_capture_on_commit_callbacks)
    assert version.status == "failed"
    assert version.problems[0]["file"] == "config.yml"
    assert version.problems[0]["line"] == 3


def test_engine_problems_fail_the_version_naming_the_flow(content, users, django_capture_on_commit_callbacks):
    services.flow_create(user=users["owner"], assistant=content, flow_id="broken",
                         data={"description": "Broken", "steps": [{"collect": "no_such_slot"}]},
                         source_path="data/broken.yml")
    version = build(users["owner"], content, django_capture_on_commit_callbacks)
    assert version.status == "failed"
    assert {p["flow_id"] for p in version.problems} == {"broken"}
    assert all(p["file"] == "data/broken.yml" for p in version.problems)


def test_task_tolerates_a_deleted_version(db):
    assert version_build_run(987654) is None
    assert version_build.apply(args=[987654]).get() == "deleted"


def test_ready_version_is_immutable(content, users, django_capture_on_commit_callbacks):
    version = build(users["owner"], content, django_capture_on_commit_callbacks)
    version.note = "rewritten"
    with pytest.raises(ValueError, match="is ready and immutable"):
        version.save()


def test_rebuilding_a_finished_version_changes_nothing(content, users, django_capture_on_commit_callbacks):
    version = build(users["owner"], content, django_capture_on_commit_callbacks)
    services.flow_delete(user=users["owner"], assistant=content, flow_id="weather")
    assert version_build_run(version.pk).snapshot["flows"].keys() == {"weather"}
