"""The flow list page and the editor page (server-rendered; the graph itself is tested in a browser)."""
import pytest

from studio.assistants.models import Flow

pytestmark = pytest.mark.django_db


def test_flow_list_searches_by_name_and_description(client_for, flows):
    page = client_for("viewer").get(f"/assistants/{flows.slug}/flows/?q=goodbye")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-flow="bye"' in html
    assert 'data-flow="main"' not in html


def test_viewer_sees_no_create_duplicate_or_delete_controls(client_for, flows):
    html = client_for("viewer").get(f"/assistants/{flows.slug}/flows/").content.decode()
    assert "Create and open" not in html
    assert "Duplicate" not in html


def test_designer_creates_a_flow_and_lands_in_the_editor(client_for, flows):
    res = client_for("designer").post(f"/assistants/{flows.slug}/flows/", {"flow_id": "order", "description": "Order"})
    assert res.status_code == 302
    assert res.url == f"/assistants/{flows.slug}/flows/order/edit/"
    assert Flow.objects.get(flow_id="order").description == "Order"


def test_creating_a_flow_with_a_taken_id_shows_the_error_on_the_field(client_for, flows):
    res = client_for("designer").post(f"/assistants/{flows.slug}/flows/", {"flow_id": "main"})
    assert res.status_code == 400
    assert "a flow with id &#x27;main&#x27; already exists" in res.content.decode()


def test_designer_duplicates_a_flow_from_the_list(client_for, flows):
    res = client_for("designer").post(f"/assistants/{flows.slug}/flows/main/duplicate/", {"new_flow_id": "main2"},
                                      follow=True)
    assert "Duplicated main as main2" in res.content.decode()
    assert Flow.objects.filter(flow_id="main2").exists()


def test_delete_page_refuses_a_flow_others_use_and_lists_them(client_for, flows):
    res = client_for("designer").get(f"/assistants/{flows.slug}/flows/check/delete/")
    html = res.content.decode()
    assert res.status_code == 409 and 'data-usages="1"' in html
    assert "Cannot delete flow &#x27;check&#x27;: it is used in 1 place." in html
    assert "<code>data/flows/main.yml</code></a> flow main, step calling: call" in html
    assert "Delete and remove the references" in html
    assert Flow.objects.filter(flow_id="check").exists()


def test_posting_delete_of_a_used_flow_is_refused(client_for, flows):
    res = client_for("designer").post(f"/assistants/{flows.slug}/flows/check/delete/")
    assert res.status_code == 409
    assert Flow.objects.filter(flow_id="check").exists()


def test_designer_previews_then_deletes_a_flow_with_its_references(client_for, flows):
    designer = client_for("designer")
    preview = designer.get(f"/assistants/{flows.slug}/flows/check/delete/?remove_references=1").content.decode()
    assert "What will change" in preview and "-    - id: calling\n-      call: check\n" in preview
    assert Flow.objects.filter(flow_id="check").exists()
    res = designer.post(f"/assistants/{flows.slug}/flows/check/delete/", {"remove_references": "1"})
    assert res.status_code == 302
    assert not Flow.objects.filter(flow_id="check").exists()
    assert Flow.objects.get(flow_id="main").steps == [{"collect": "amount"}, {"link": "bye"}]


def test_designer_deletes_a_flow_nothing_uses_after_confirming(client_for, flows):
    html = client_for("designer").get(f"/assistants/{flows.slug}/flows/main/delete/").content.decode()
    assert 'data-usages="0"' in html
    res = client_for("designer").post(f"/assistants/{flows.slug}/flows/main/delete/")
    assert res.status_code == 302
    assert not Flow.objects.filter(flow_id="main").exists()


def test_viewer_cannot_delete_a_flow(client_for, flows):
    assert client_for("viewer").post(f"/assistants/{flows.slug}/flows/check/delete/").status_code == 403
    assert Flow.objects.filter(flow_id="check").exists()


@pytest.mark.parametrize(("role", "read_only"), [("owner", "false"), ("designer", "false"),
                                                 ("writer", "true"), ("viewer", "true")])
def test_editor_page_passes_the_role_as_read_only_flag(client_for, flows, role, read_only):
    html = client_for(role).get(f"/assistants/{flows.slug}/flows/main/edit/").content.decode()
    assert f'data-read-only="{read_only}"' in html
    assert f'data-api-base="/api/assistants/{flows.slug}/editor"' in html
    assert 'data-flow-id="main"' in html
    assert "editor/editor.js" in html


def test_editor_page_for_an_unknown_flow_is_a_404_page(client_for, flows):
    res = client_for("designer").get(f"/assistants/{flows.slug}/flows/nope/edit/")
    assert res.status_code == 404
    assert "Flow &#x27;nope&#x27; not found" in res.content.decode()


def test_outsider_gets_404_on_editor_pages(client_for, flows):
    assert client_for("outsider").get(f"/assistants/{flows.slug}/flows/").status_code == 404
    assert client_for("outsider").get(f"/assistants/{flows.slug}/flows/main/edit/").status_code == 404


def test_flow_list_search_from_htmx_renders_only_the_table(client_for, flows):
    res = client_for("viewer").get(f"/assistants/{flows.slug}/flows/?q=money", HTTP_HX_REQUEST="true")
    html = res.content.decode()
    assert html.lstrip().startswith('<section class="card" id="flow-table">')
    assert 'data-flow="main"' in html
    assert 'data-flow="bye"' not in html
