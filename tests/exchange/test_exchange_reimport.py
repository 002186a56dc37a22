"""Re-import: the previewed upload waits server-side for its uploader only, applies only over what
the preview saw (409 otherwise), and leaves the owner-only files to owners."""

import io
from datetime import timedelta

import pytest

from studio.accounts.models import Membership
from studio.assistants.models import Assistant, Flow
from studio.assistants.services import assistant_update, flow_save, response_save
from studio.exchange.models import PendingImport
from studio.exchange.services import assistant_import
from studio.exchange.yamlproject import build_zip, read_directory

from exchange_projects import FIXTURES

pytestmark = pytest.mark.django_db


def _raw(edit=None) -> dict[str, bytes]:
    raw = read_directory(FIXTURES / "bank_split").raw_by_path()
    if edit:
        edit(raw)
    return raw


def _upload(raw: dict[str, bytes]) -> io.BytesIO:
    data = io.BytesIO(build_zip(raw))
    data.name = "project.zip"
    return data


def _without_greet(raw):
    del raw["data/flows/greet.yaml"]


def _new_endpoints(raw):
    raw["endpoints.yml"] = b"action_endpoint:\n  url: http://attacker.example/webhook\nnlg:\n  type: rephrase\n"


@pytest.fixture
def bank(users):
    assistant = assistant_import(user=users["owner"], source=FIXTURES / "bank_split", name="Bank").assistant
    for role in ("designer", "writer"):
        Membership.objects.create(user=users[role], assistant=assistant, role=role)
    return assistant


def api_preview(client, bank, edit=_without_greet):
    return client.post(f"/api/assistants/{bank.slug}/import/preview", {"file": _upload(_raw(edit))})


def api_apply(client, bank, pending):
    return client.post(f"/api/assistants/{bank.slug}/import/apply", {"pending": pending},
                       content_type="application/json")


# ---- the upload waits server-side ---------------------------------------------------------------

def test_the_page_keeps_the_upload_out_of_the_session_and_applies_it_by_id(client_for, bank, users):
    designer = client_for("designer")
    preview = designer.post(f"/assistants/{bank.slug}/reimport/", {"file": _upload(_raw(_without_greet))})
    assert preview.status_code == 200
    pending = PendingImport.objects.get()
    assert (pending.uploaded_by, pending.assistant, pending.name) == (users["designer"], bank, "project.zip")
    assert f'name="pending" value="{pending.pk}"' in preview.content.decode()
    assert len(str(dict(designer.session))) < 300  # the upload is not in the session
    applied = designer.post(f"/assistants/{bank.slug}/reimport/apply/", {"pending": str(pending.pk)})
    assert applied.status_code == 200 and b"Re-imported Bank" in applied.content
    assert not Flow.objects.filter(assistant=bank, flow_id="greet_user").exists()
    assert not PendingImport.objects.exists()  # used once


def test_only_the_uploader_may_apply_a_preview(client_for, bank):
    pending = api_preview(client_for("designer"), bank).json()["pending"]
    response = api_apply(client_for("owner"), bank, pending)
    assert response.status_code == 404
    assert response.json()["detail"].startswith(f"No re-import preview '{pending}' of yours is waiting for 'bank'")
    assert Flow.objects.filter(assistant=bank, flow_id="greet_user").exists()
    assert api_apply(client_for("designer"), bank, pending).status_code == 200


def test_an_expired_preview_cannot_be_applied(client_for, bank):
    pending = api_preview(client_for("designer"), bank).json()["pending"]
    PendingImport.objects.update(created_at=PendingImport.objects.get().created_at - timedelta(hours=2))
    response = api_apply(client_for("designer"), bank, pending)
    assert response.status_code == 404 and "previews expire after 1 hour" in response.json()["detail"]


@pytest.mark.parametrize("pending", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", ""])
def test_applying_an_unknown_preview_is_404(client_for, bank, pending):
    assert api_apply(client_for("designer"), bank, pending).status_code == 404


# ---- apply only over what the preview saw -------------------------------------------------------

def test_api_apply_after_a_flow_was_saved_is_409_and_changes_nothing(client_for, bank, users):
    pending = api_preview(client_for("designer"), bank).json()["pending"]
    flow = Flow.objects.get(assistant=bank, flow_id="transfer_money")
    flow_save(user=users["owner"], assistant=bank, flow_id="transfer_money",
              data={**flow.to_rasa(), "description": "edited after the preview"}, revision=flow.revision)
    response = api_apply(client_for("designer"), bank, pending)
    assert response.status_code == 409
    assert response.json() == {"detail": "'Bank' changed after the preview: flow 'transfer_money' (saved). "
                                         "Nothing was applied; preview the upload again."}
    assert Flow.objects.filter(assistant=bank, flow_id="greet_user").exists()
    assert Flow.objects.get(assistant=bank, flow_id="transfer_money").description == "edited after the preview"


def test_page_apply_after_a_response_was_added_says_so_and_changes_nothing(client_for, bank, users):
    designer = client_for("designer")
    designer.post(f"/assistants/{bank.slug}/reimport/", {"file": _upload(_raw(_without_greet))})
    response_save(user=users["writer"], assistant=bank, name="utter_new", variations=[{"text": "hi"}], revision=None)
    applied = designer.post(f"/assistants/{bank.slug}/reimport/apply/",
                            {"pending": str(PendingImport.objects.get().pk)})
    assert applied.status_code == 409
    assert "changed after the preview: response &#x27;utter_new&#x27; (added)" in applied.content.decode()
    assert Flow.objects.filter(assistant=bank, flow_id="greet_user").exists()


def test_apply_after_a_settings_change_is_409(client_for, bank, users):
    pending = api_preview(client_for("owner"), bank).json()["pending"]
    assistant_update(user=users["owner"], assistant=bank, description="changed")
    response = api_apply(client_for("owner"), bank, pending)
    assert response.status_code == 409
    assert response.json()["detail"] == ("'Bank' changed after the preview: its settings or actions. "
                                         "Nothing was applied; preview the upload again.")


# ---- owner-only files ---------------------------------------------------------------------------

def test_a_designer_cannot_change_the_endpoints_by_reimport(client_for, bank):
    response = api_preview(client_for("designer"), bank, edit=_new_endpoints)
    assert response.status_code == 422
    assert response.json()["problems"] == [{"message": "only an owner may change the endpoints",
                                            "file": "endpoints.yml", "line": None, "flow_id": "", "step_id": ""}]
    page = client_for("designer").post(f"/assistants/{bank.slug}/reimport/", {"file": _upload(_raw(_new_endpoints))})
    assert page.status_code == 422
    assert "<code>endpoints.yml</code>: only an owner may change the endpoints" in page.content.decode()
    assert not PendingImport.objects.exists()


def test_a_designer_cannot_drop_the_config_either(client_for, bank):
    def drop_config(raw):
        del raw["config.yml"]
    response = api_preview(client_for("designer"), bank, edit=drop_config)
    assert response.status_code == 422
    assert response.json()["problems"][0]["message"] == "only an owner may change the configuration " \
                                                         "(the upload has no config.yml)"


def test_someone_demoted_after_the_preview_cannot_apply_owner_files(client_for, bank, users):
    Membership.objects.filter(user=users["designer"], assistant=bank).update(role="owner")
    pending = api_preview(client_for("designer"), bank, edit=_new_endpoints).json()["pending"]
    Membership.objects.filter(user=users["designer"], assistant=bank).update(role="designer")
    response = api_apply(client_for("designer"), bank, pending)
    assert response.status_code == 422
    assert response.json()["problems"][0]["message"] == "only an owner may change the endpoints"
    assert "attacker" not in Assistant.objects.get(pk=bank.pk).endpoints_yaml


def test_an_owner_changes_the_endpoints_by_reimport(client_for, bank):
    owner = client_for("owner")
    pending = api_preview(owner, bank, edit=_new_endpoints).json()["pending"]
    assert api_apply(owner, bank, pending).status_code == 200
    assert "attacker.example" in Assistant.objects.get(pk=bank.pk).endpoints_yaml


def test_a_designer_reimports_the_studios_own_export_with_an_edited_flow(client_for, users):
    import zipfile

    from studio.assistants.demo import demo_assistant_load

    demo, _ = demo_assistant_load(user=users["owner"])
    Membership.objects.create(user=users["designer"], assistant=demo, role="designer")
    designer = client_for("designer")
    exported = zipfile.ZipFile(io.BytesIO(designer.get(f"/api/assistants/{demo.slug}/export").content))
    raw = {name: exported.read(name) for name in exported.namelist() if not name.endswith("/")}
    flows_file = next(name for name, data in raw.items() if b"order_drink:" in data and name.endswith(".yml")
                      and name != "domain.yml")
    raw[flows_file] = raw[flows_file].replace(b"to pick up at the counter", b"to take away")
    preview = designer.post(f"/api/assistants/{demo.slug}/import/preview", {"file": _upload(raw)})
    assert preview.status_code == 200, preview.content
    applied = api_apply(designer, demo, preview.json()["pending"])
    assert applied.status_code == 200, applied.content
    assert "take away" in Flow.objects.get(assistant=demo, flow_id="order_drink").description
