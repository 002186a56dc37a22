"""History with the exchange: imports keep one version per changed item, and a restore changes the export back."""
import pytest

from studio.accounts.models import Membership
from studio.assistants import services
from studio.assistants.demo import demo_assistant_load
from studio.assistants.models import Flow, Response
from studio.exchange.services import assistant_export, import_apply
from studio.history.selectors import assistant_activity, item_history
from studio.history.services import history_restore

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(users):
    assistant, _ = demo_assistant_load(user=users["owner"])
    for role in ("designer", "writer", "viewer"):
        Membership.objects.create(user=users[role], assistant=assistant, role=role)
    return assistant


def _export(demo, user):
    return assistant_export(user=user, assistant=demo, allow_problems=True)


def test_an_import_keeps_a_first_version_of_every_item_by_the_importer(demo, users):
    versions = item_history(users["viewer"], demo, "responses", "utter_opening_hours")
    assert [(v.action, v.user) for v in versions] == [("created", "owner")]
    created = {(v.kind, v.key) for v in assistant_activity(users["viewer"], demo, limit=500)
               if v.action == "created" and v.user == "owner"}
    items = {("flows", f.flow_id) for f in demo.flows.all()} | {("responses", r.name) for r in demo.responses.all()} \
        | {("slots", s.name) for s in demo.slots.all()} | {("actions", a.name) for a in demo.actions.all()}
    assert items <= created


def test_an_actions_mock_change_is_a_version_that_can_be_restored(demo, users):
    from studio.tryit.mock_services import action_mock_save

    designer = users["designer"]
    action = demo.actions.exclude(mock=None).first()
    action_mock_save(user=designer, assistant=demo, name=action.name, mock=None, revision=action.revision)
    versions = item_history(designer, demo, "actions", action.name)
    assert (versions[0].action, versions[0].user) == ("changed", "designer")
    assert "-mock (try-it only):" in versions[0].diff.splitlines()
    history_restore(user=designer, assistant=demo, kind="actions", key=action.name, history_id=versions[1].history_id)
    assert demo.actions.get(name=action.name).mock == action.mock


def test_a_reimport_keeps_one_version_per_changed_item_and_none_for_the_rest(demo, users):
    files = _export(demo, users["owner"])
    files["domain.yml"] = files["domain.yml"].replace(b"from 7am to 7pm", b"from 8am to 6pm")
    activity_before = len(assistant_activity(users["viewer"], demo, limit=500))
    import_apply(user=users["designer"], assistant=demo, source=files)
    activity = assistant_activity(users["viewer"], demo, limit=500)
    assert len(activity) == activity_before + 1
    assert (activity[0].kind, activity[0].key, activity[0].action, activity[0].user) == (
        "responses", "utter_opening_hours", "changed", "designer")
    assert "+  - text: We are open every day from 8am to 6pm." in item_history(
        users["viewer"], demo, "responses", "utter_opening_hours")[0].diff.splitlines()


def test_export_after_restore_equals_export_before_the_change(demo, users):
    writer, designer = users["writer"], users["designer"]
    before = _export(demo, writer)
    response = Response.objects.get(assistant=demo, name="utter_opening_hours")
    services.response_save(user=writer, assistant=demo, name=response.name, variations=[{"text": "Closed today."}],
                           revision=response.revision)
    flow = Flow.objects.get(assistant=demo, flow_id="opening_hours")
    services.flow_save(user=designer, assistant=demo, flow_id="opening_hours",
                       data={**flow.to_rasa(), "description": "When is the cafe open?"}, revision=flow.revision)
    changed = _export(demo, writer)
    assert changed != before
    assert [p for p in before if changed[p] != before[p]] == ["data/flows.yml", "domain.yml"]

    for user, kind, key in ((writer, "responses", "utter_opening_hours"), (designer, "flows", "opening_hours")):
        previous = item_history(user, demo, kind, key)[1]
        history_restore(user=user, assistant=demo, kind=kind, key=key, history_id=previous.history_id)
    assert _export(demo, writer) == before


def test_restoring_one_response_changes_only_its_lines_in_the_export(demo, users):
    writer = users["writer"]
    for text in ("Closed today.", "Open at noon."):
        response = Response.objects.get(assistant=demo, name="utter_opening_hours")
        services.response_save(user=writer, assistant=demo, name=response.name, variations=[{"text": text}],
                               revision=response.revision)
    before = _export(demo, writer)["domain.yml"].decode().splitlines()
    first_edit = item_history(writer, demo, "responses", "utter_opening_hours")[1]
    history_restore(user=writer, assistant=demo, kind="responses", key="utter_opening_hours",
                    history_id=first_edit.history_id)
    after = _export(demo, writer)["domain.yml"].decode().splitlines()
    assert [(a, b) for a, b in zip(before, after) if a != b] == [
        ('    - text: "Open at noon."', '    - text: "Closed today."')]
