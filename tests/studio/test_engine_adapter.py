"""One adapter to the engine, one judge: build, editor, try-it, import and export agree on a flow's problems."""
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from studio.assistants import engine_adapter, services
from studio.core.problems import Problem
from studio.exchange.models import SourceFile
from studio.exchange.services import assistant_export
from studio.exchange.yamlproject import files_from_mapping, parse_project
from studio.training.services import version_create
from studio.tryit import runtime

MISSING_NEXT = "'next' points to a step that does not exist: 'nowhere'"
BROKEN_STEPS = [{"collect": "city", "id": "ask_city", "next": "nowhere"}]


@pytest.fixture
def weather(assistant, users):
    owner = users["owner"]
    services.slot_save(user=owner, assistant=assistant, name="city", data={"type": "text"}, revision=None)
    services.response_save(user=owner, assistant=assistant, name="utter_ask_city",
                           variations=[{"text": "Which city?"}], revision=None)
    services.flow_create(user=owner, assistant=assistant, flow_id="weather",
                         data={"description": "Weather for a city", "steps": [{"collect": "city", "id": "ask_city"}]},
                         source_path="data/flows.yml")
    return assistant


@pytest.fixture
def broken(weather, users):
    """The weather flow saved as a draft whose step points at a missing step (saving is allowed)."""
    services.flow_save(user=users["owner"], assistant=weather, flow_id="weather",
                       data={"description": "Weather for a city", "steps": BROKEN_STEPS}, revision=1)
    return weather


def _build(user, assistant, capture):
    with capture(execute=True):
        version = version_create(user=user, assistant=assistant, note="")
    version.refresh_from_db()
    return version


def test_a_build_with_an_engine_error_fails_listing_the_problem_with_file_flow_and_step(
        broken, users, django_capture_on_commit_callbacks):
    version = _build(users["owner"], broken, django_capture_on_commit_callbacks)
    assert (version.status, version.reason) == ("failed", "1 problem found")
    assert version.problems == [{"message": MISSING_NEXT, "file": "data/flows.yml", "line": None,
                                 "flow_id": "weather", "step_id": "ask_city"}]


def test_a_broken_engine_fails_the_build_instead_of_marking_it_ready(
        weather, users, django_capture_on_commit_callbacks, monkeypatch):
    def engine_is_broken(**kwargs):
        raise AttributeError("engine half-installed")

    monkeypatch.setattr(engine_adapter.EngineAssistant, "from_dicts", engine_is_broken)
    version = _build(users["owner"], weather, django_capture_on_commit_callbacks)
    assert version.status == "failed"
    assert version.reason.startswith("the build crashed (AttributeError)")


def test_editor_try_it_build_and_import_report_the_same_problem(broken, users, client_for,
                                                                 django_capture_on_commit_callbacks):
    editor = client_for("designer").post(
        f"/api/assistants/{broken.slug}/editor/validate", json.dumps({"flow_id": "weather", "body": {
            "description": "Weather for a city", "steps": BROKEN_STEPS}}), content_type="application/json")
    assert editor.status_code == 200
    assert [(p["flow_id"], p["step_id"], p["message"]) for p in editor.json()["problems"]] == [
        ("weather", "ask_city", MISSING_NEXT)]

    with pytest.raises(runtime.TryItUnavailable) as tryit:
        runtime.engine_assistant(broken, runtime.source_for(broken, None))
    assert tryit.value.message == ("The assistant cannot run until these are fixed: "
                                   f"data/flows.yml, flow 'weather', step 'ask_city': {MISSING_NEXT}")

    version = _build(users["owner"], broken, django_capture_on_commit_callbacks)
    assert [(p["flow_id"], p["step_id"], p["message"]) for p in version.problems] == [
        ("weather", "ask_city", MISSING_NEXT)]

    exported = assistant_export(user=users["owner"], assistant=broken, allow_problems=True)
    parsed = parse_project(files_from_mapping(exported))
    assert [(p.file, p.flow_id, p.step_id, p.message) for p in parsed.problems] == [
        ("data/flows.yml", "weather", "ask_city", MISSING_NEXT)]
    assert parsed.problems[0].line is not None


def test_a_rule_moved_from_the_exchange_to_the_engine_is_still_reported_by_import_with_its_place():
    parsed = parse_project(files_from_mapping({
        "domain.yml": b"slots:\n  name: {type: text}\nresponses:\n  utter_ask_name: [{text: \"Name?\"}]\n",
        "data/flows.yml": (b"flows:\n  ask:\n    description: ask a name\n    steps:\n"
                           b"      - id: get_name\n        collect: name\n        ask_confirm: true\n"),
    }))
    assert parsed.problems == [Problem("unknown key 'ask_confirm' on a collect step", "data/flows.yml", 5,
                                       "ask", "get_name")]


def test_imported_sub_agent_configs_reach_the_engine(weather, users):
    SourceFile.objects.create(assistant=weather, path="sub_agents/helper/config.yml", kind="other",
                              content=b"agent:\n  name: helper\n  description: helps\n")
    body = {"description": "Ask the helper", "steps": [{"call": "helper", "exit_if": ["slots.city is not null"]}]}
    assert engine_adapter.flow_problems(weather, "ask_helper", body) == []
    snapshot, problems = engine_adapter.assistant_snapshot(weather)
    assert problems == [] and list(snapshot["agents"]) == ["helper"]


def test_export_api_refuses_an_assistant_with_errors_unless_told_to_allow_them(broken, client_for):
    owner = client_for("owner")
    refused = owner.get(f"/api/assistants/{broken.slug}/export")
    assert refused.status_code == 422
    assert refused.json()["problems"] == [{
        "message": MISSING_NEXT, "file": "data/flows.yml", "line": None, "flow_id": "weather",
        "step_id": "ask_city", "editor_url": f"/assistants/{broken.slug}/flows/weather/edit/#step=ask_city"}]
    assert refused.json()["detail"].startswith("Export refused: the assistant has 1 problem Rasa Pro would refuse")
    allowed = owner.get(f"/api/assistants/{broken.slug}/export?allow_problems=1")
    assert allowed.status_code == 200
    assert any(n.endswith("data/flows.yml") for n in zipfile.ZipFile(io.BytesIO(allowed.content)).namelist())


def test_export_page_lists_the_problems_with_links_to_the_steps(broken, client_for):
    viewer = client_for("viewer")
    refused = viewer.get(f"/assistants/{broken.slug}/export.zip")
    assert refused.status_code == 422
    text = refused.content.decode()
    assert (f'<a href="/assistants/{broken.slug}/flows/weather/edit/#step=ask_city"><code>data/flows.yml, '
            "flow &#x27;weather&#x27;, step &#x27;ask_city&#x27;</code></a>: &#x27;next&#x27; points to a step "
            "that does not exist: &#x27;nowhere&#x27;") in text
    assert f'href="/assistants/{broken.slug}/export.zip?allow_problems=1"' in text
    allowed = viewer.get(f"/assistants/{broken.slug}/export.zip?allow_problems=1")
    assert allowed.status_code == 200 and allowed["Content-Type"] == "application/zip"


def test_export_command_refuses_with_every_problem_unless_allowed(broken, users, tmp_path):
    with pytest.raises(CommandError) as err:
        call_command("export_assistant", broken.slug, str(tmp_path / "out"), "--user", "owner")
    assert str(err.value) == ("export refused, 1 problem(s):\n"
                              f"  - data/flows.yml, flow 'weather', step 'ask_city': {MISSING_NEXT}\n"
                              "(--allow-problems exports anyway)")
    assert not (tmp_path / "out").exists()
    call_command("export_assistant", broken.slug, str(tmp_path / "out"), "--user", "owner", "--allow-problems",
                 stdout=io.StringIO())
    assert (tmp_path / "out" / "data" / "flows.yml").exists()


def test_a_valid_assistant_exports_without_an_override(weather, client_for):
    assert client_for("viewer").get(f"/api/assistants/{weather.slug}/export").status_code == 200


def test_the_editor_judges_an_mcp_call_with_the_endpoints_a_build_uses(weather, users):
    weather.endpoints_yaml = "mcp_servers:\n  - name: forecasts\n    url: http://localhost:8080\n    type: http\n"
    weather.save()
    body = {"description": "Forecast", "steps": [{"call": "get_forecast", "mcp_server": "forecasts", "mapping": {
        "input": [{"param": "town", "slot": "city"}], "output": [{"slot": "city", "value": "result.town"}]}}]}
    assert engine_adapter.flow_problems(weather, "forecast", body) == []
    services.flow_create(user=users["owner"], assistant=weather, flow_id="forecast", data=body)
    assert engine_adapter.assistant_problems(weather) == []
