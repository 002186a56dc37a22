"""The graph editor in headless Chromium against the live server: build, undo/redo, conflicts, read-only."""
from pathlib import Path

import pytest
from playwright.sync_api import expect
from ruamel.yaml import YAML

from studio.assistants import services
from studio.assistants.models import Flow, Slot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def stored(flows, flow_id: str) -> dict:
    return Flow.objects.get(assistant=flows, flow_id=flow_id).to_rasa()


def add_step(page, after: str, kind: str, branch: str | None = None) -> None:
    """Click the "+" on the edge leaving step `after` (optionally the branch labelled `branch`)."""
    page.locator(".react-flow__controls-fitview").click()
    selector = f'button.fs-plus[data-from="{after}"]'
    if branch is not None:
        quoted = branch.replace("\\", "\\\\").replace("'", "\\'")
        selector += f"[data-branch='{quoted}']"
    page.locator(selector).click()
    page.locator(f'[data-insert="{kind}"]').click()
    expect(page.locator(f'[data-panel="step"][data-step-kind="{kind}"]')).to_be_visible()


def pick(page, label: str, value: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(value)
    field.press("Enter")


def create_in_picker(page, picker: str, kind: str, name: str, **extra: str) -> None:
    page.locator(f'[data-picker="{picker}"] >> text=+ new {kind}').click()
    form = page.locator(f'[data-create="{kind}"]')
    form.get_by_label(f"new {kind} name").fill(name)
    for label, value in extra.items():
        control = form.get_by_label(label.replace("_", " "))
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    form.get_by_role("button", name=f"Create {kind}").click()
    expect(form).to_have_count(0)


def wait_saved(page) -> None:
    expect(page.locator(".fs-status")).to_have_attribute("data-status", "saved", timeout=10000)


def node(page, step_id: str):
    return page.locator(f'.fs-node[data-step-id="{step_id}"]')


def test_designer_builds_a_flow_with_every_step_kind_from_scratch(browser_as, open_editor, flows, live_server, users):
    context = browser_as("designer")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/assistants/{flows.slug}/flows/")
    page.get_by_label("Flow id").fill("order")
    page.get_by_label("Name").fill("Order")
    page.get_by_label("Description").fill("Take an order")
    page.get_by_role("button", name="Create and open").click()
    page.wait_for_selector("#flow-editor[data-ready=true]", state="attached")

    add_step(page, "START", "collect")
    create_in_picker(page, "slot", "slot", "size", new_slot_type="categorical", new_slot_values="small, large")
    expect(page.get_by_label("Slot", exact=True)).to_have_value("size")

    add_step(page, "order_0_collect_size", "action")
    create_in_picker(page, "response_or_action", "response", "utter_confirm", new_response_text="Got it!")

    add_step(page, "order_1_utter_confirm", "set_slots")
    page.get_by_role("button", name="+ slot").click()
    create_in_picker(page, "slot", "slot", "confirmed", new_slot_type="bool")
    pick(page, "Value 1", "true")

    add_step(page, "order_2_set_slots", "noop")
    branch = page.locator('[data-branch="0"]')
    branch.get_by_role("button", name="+ condition").click()
    branch.get_by_label("condition slot").fill("size")
    branch.get_by_label("condition slot").press("Tab")
    branch.get_by_label("condition value").fill("large")
    branch.get_by_label("condition value").press("Tab")
    expect(branch.locator(".fs-cond-preview")).to_have_text('slots.size is "large"')

    add_step(page, "order_3_noop", "call", branch='slots.size is "large"')
    pick(page, "Flow to call", "check")
    add_step(page, "order_4_call_check", "action")
    create_in_picker(page, "response_or_action", "action", "action_pay")
    add_step(page, "order_3_noop", "link", branch="else")
    pick(page, "Continue with flow", "bye")
    wait_saved(page)

    expected = {
        "name": "Order", "description": "Take an order",
        "steps": [
            {"collect": "size"},
            {"action": "utter_confirm"},
            {"set_slots": [{"confirmed": True}]},
            {"noop": True, "next": [
                {"if": 'slots.size is "large"', "then": [{"call": "check"}, {"action": "action_pay", "next": "END"}]},
                {"else": [{"link": "bye"}]},
            ]},
        ],
    }
    assert stored(flows, "order") == expected
    assert Slot.objects.get(assistant=flows, name="size").definition["values"] == ["small", "large"]

    page.reload()
    page.wait_for_selector("#flow-editor[data-ready=true]", state="attached")
    kinds = page.locator(".fs-node[data-kind]").evaluate_all("els => els.map(e => e.dataset.kind).sort()")
    assert kinds == ["action", "call", "collect", "end", "link", "noop", "response", "set_slots", "start"]
    expect(page.locator(".fs-cond", has_text='slots.size is "large"')).to_be_visible()
    assert errors == []

    from studio.exchange.services import assistant_export

    # The drawn flow is a draft (nothing asks for 'size' yet): only an explicit override exports it.
    files = assistant_export(user=users["owner"], assistant=flows, allow_problems=True)
    flow_files = [YAML(typ="safe").load(body) for path, body in files.items() if b"order:" in body and "flow" in path]
    assert flow_files and flow_files[0]["flows"]["order"] == expected


def test_undo_and_redo_with_the_keyboard(browser_as, open_editor, flows):
    page = open_editor(browser_as("designer"), flows.slug, "main")
    add_step(page, "main_0_collect_amount", "action")
    pick(page, "Response or action", "utter_done")
    expect(node(page, "main_1_utter_done")).to_be_visible()
    page.locator(".react-flow__pane").click(position={"x": 10, "y": 10})

    page.keyboard.press("Control+z")
    expect(node(page, "main_1_utter_done")).to_have_count(0)
    page.keyboard.press("Control+z")
    expect(page.locator(".fs-node[data-kind=response]")).to_have_count(0)
    page.keyboard.press("Control+Shift+z")
    page.keyboard.press("Control+Shift+z")
    expect(node(page, "main_1_utter_done")).to_be_visible()
    wait_saved(page)
    assert stored(flows, "main")["steps"][1] == {"action": "utter_done"}


def test_delete_key_removes_a_step_and_reconnects(browser_as, open_editor, flows):
    page = open_editor(browser_as("designer"), flows.slug, "main")
    node(page, "calling").click()
    page.keyboard.press("Delete")
    expect(node(page, "calling")).to_have_count(0)
    expect(page.locator('button.fs-plus[data-from="main_0_collect_amount"][data-to="main_1_link_bye"]')).to_have_count(1)
    wait_saved(page)
    assert stored(flows, "main")["steps"] == [{"collect": "amount"}, {"link": "bye"}]


def test_copy_and_paste_a_step_with_the_keyboard(browser_as, open_editor, flows):
    page = open_editor(browser_as("designer"), flows.slug, "main")
    node(page, "calling").click()
    page.keyboard.press("Control+c")
    node(page, "main_0_collect_amount").click()
    page.keyboard.press("Control+v")
    expect(node(page, "calling_copy")).to_be_visible()
    wait_saved(page)
    assert stored(flows, "main")["steps"][1] == {"id": "calling_copy", "call": "check"}


def test_two_editors_changing_different_settings_both_keep_their_change(browser_as, open_editor, flows):
    """Issue 12: "keep mine" used to put back the other designer's description; now nothing needs keeping."""
    first = open_editor(browser_as("designer"), flows.slug, "main")
    second = open_editor(browser_as("owner"), flows.slug, "main")

    first.get_by_label("Description", exact=True).fill("changed by the designer")
    first.get_by_label("Description", exact=True).press("Tab")
    wait_saved(first)

    second.get_by_label("Name", exact=True).fill("renamed by the owner")
    second.get_by_label("Name", exact=True).press("Enter")
    wait_saved(second)
    expect(second.locator("[data-merge-note]")).to_contain_text("Merged with designer's revision 2")
    expect(second.get_by_label("Description", exact=True)).to_have_value("changed by the designer")
    expect(second.get_by_role("dialog", name="Save conflict")).to_have_count(0)
    body = stored(flows, "main")
    assert (body["name"], body["description"]) == ("renamed by the owner", "changed by the designer")


def test_the_same_setting_changed_by_both_asks_and_take_mine_touches_nothing_else(browser_as, open_editor, flows):
    first = open_editor(browser_as("designer"), flows.slug, "main")
    second = open_editor(browser_as("owner"), flows.slug, "main")
    first.get_by_label("Name", exact=True).fill("theirs")
    first.get_by_label("Name", exact=True).press("Tab")
    wait_saved(first)
    first.get_by_label("Description", exact=True).fill("their description")
    first.get_by_label("Description", exact=True).press("Tab")
    wait_saved(first)

    second.get_by_label("Name", exact=True).fill("mine")
    second.get_by_label("Name", exact=True).press("Enter")
    dialog = second.get_by_role("dialog", name="Save conflict")
    expect(dialog).to_be_visible(timeout=10000)
    expect(dialog).to_contain_text("designer changed this flow too (revision 3)")
    item = dialog.locator("[data-conflict='(flow):name']")
    expect(item).to_contain_text("flow settings: name")
    assert item.locator("pre").all_inner_texts() == ["main flow", "theirs", "mine"]
    assert stored(flows, "main")["name"] == "theirs"  # nothing overwritten before the choice

    item.get_by_label("Take mine").check()
    dialog.get_by_role("button", name="Save merged version").click()
    wait_saved(second)
    body = stored(flows, "main")
    assert (body["name"], body["description"]) == ("mine", "their description")
    expect(second.get_by_label("Description", exact=True)).to_have_value("their description")


def test_viewer_gets_a_read_only_editor(browser_as, open_editor, flows):
    page = open_editor(browser_as("viewer"), flows.slug, "main")
    expect(page.locator(".fs-status")).to_have_attribute("data-status", "readonly")
    expect(page.locator(".fs-node[data-kind=call]")).to_be_visible()
    assert page.locator("button.fs-plus").count() == 0
    expect(page.get_by_label("Name", exact=True)).to_be_disabled()
    node(page, "calling").click()
    page.keyboard.press("Delete")
    expect(node(page, "calling")).to_be_visible()
    expect(page.get_by_role("button", name="Delete step")).to_have_count(0)
    assert Flow.objects.get(assistant=flows, flow_id="main").revision == 1


def test_deep_link_selects_a_step_and_problems_jump_to_their_node(browser_as, open_editor, flows, users):
    services.flow_save(user=users["owner"], assistant=flows, flow_id="main", revision=1, data={
        "description": "send money", "steps": [{"collect": "nope"}, {"id": "calling", "call": "check"}]})
    page = open_editor(browser_as("designer"), flows.slug, "main", "#step=calling")
    expect(page.locator('[data-panel="step"][data-step-kind="call"]')).to_be_visible()
    expect(node(page, "main_0_collect_nope").locator(".fs-badge")).to_have_text("1")
    page.locator(".fs-problem", has_text="collect uses slot 'nope'").click()
    expect(page.locator('[data-panel="step"][data-step-kind="collect"]')).to_be_visible()
    assert page.evaluate("location.hash") == "#step=main_0_collect_nope"


def test_search_highlights_matching_steps(browser_as, open_editor, flows):
    page = open_editor(browser_as("viewer"), flows.slug, "main")
    page.get_by_label("search steps").fill("bye")
    expect(page.locator(".fs-hits")).to_have_text("1 found")
    expect(page.locator(".fs-node--hit")).to_have_attribute("data-step-id", "main_2_link_bye")


def test_export_png_and_svg(browser_as, open_editor, flows):
    page = open_editor(browser_as("viewer"), flows.slug, "main")
    for fmt in ("PNG", "SVG"):
        with page.expect_download() as download:
            page.get_by_role("button", name=fmt).click()
        assert download.value.suggested_filename == f"main.{fmt.lower()}"


def test_an_exported_svg_holds_steps_that_were_off_screen(browser_as, open_editor, flows, users):
    steps = [{"id": f"say_{i}", "action": "utter_done"} for i in range(40)] + [{"id": "far_below", "link": "bye"}]
    services.flow_create(user=users["owner"], assistant=flows, flow_id="long",
                         data={"description": "a long flow", "steps": steps})
    page = open_editor(browser_as("viewer"), flows.slug, "long")
    expect(page.locator('[data-step-id="far_below"]')).to_have_count(0)  # below the fold, not rendered
    with page.expect_download() as download:
        page.get_by_role("button", name="SVG").click()
    svg = Path(download.value.path()).read_text()
    assert "far_below" in svg
    expect(page.locator('[data-step-id="far_below"]')).to_have_count(0)  # back to visible steps only


def test_dragging_a_step_onto_another_edge_moves_it_there(browser_as, open_editor, flows):
    page = open_editor(browser_as("designer"), flows.slug, "main")
    page.locator(".react-flow__controls-fitview").click()
    box = node(page, "calling").bounding_box()
    plus = page.locator('button.fs-plus[data-from="START"]').bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(plus["x"] + plus["width"] / 2, plus["y"] + plus["height"] / 2, steps=12)
    page.mouse.up()
    wait_saved(page)
    assert stored(flows, "main")["steps"] == [{"id": "calling", "call": "check"}, {"collect": "amount"}, {"link": "bye"}]


def test_a_step_dropped_away_from_any_edge_stays_where_it_was(browser_as, open_editor, flows):
    page = open_editor(browser_as("designer"), flows.slug, "main")

    def offset():  # relative to another node, since dragging near the border may pan the canvas
        a, b = node(page, "calling").bounding_box(), node(page, "main_0_collect_amount").bounding_box()
        return round(a["x"] - b["x"]), round(a["y"] - b["y"])

    before = offset()
    box = node(page, "calling").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 400, box["y"] + 10, steps=8)
    page.mouse.up()
    expect(page.locator(".fs-status")).to_have_attribute("data-status", "saved")
    assert offset() == before
    assert Flow.objects.get(assistant=flows, flow_id="main").revision == 1


def test_a_duplicate_step_id_is_refused_with_a_message(browser_as, open_editor, flows):
    page = open_editor(browser_as("designer"), flows.slug, "main")
    node(page, "main_0_collect_amount").click()
    pick(page, "Step id", "calling")
    expect(page.locator(".fs-notice")).to_contain_text("step id 'calling' is already used")
    assert stored(flows, "main")["steps"][0] == {"collect": "amount"}


def test_raw_condition_is_checked_by_the_server(browser_as, open_editor, flows):
    page = open_editor(browser_as("designer"), flows.slug, "main")
    page.locator('[data-condition="Guard (if)"]').get_by_role("button", name="raw").click()
    guard = page.get_by_label("Guard (if) expression")
    guard.fill("slots.amount >")
    guard.press("Tab")
    expect(page.locator('[data-condition="Guard (if)"] [role=status]')).to_contain_text(
        "condition 'slots.amount >' does not parse")
    guard.fill("slots.amount > 10")
    guard.press("Tab")
    expect(page.locator('[data-condition="Guard (if)"] [role=status]')).to_have_text("valid condition")
    wait_saved(page)
    assert stored(flows, "main")["if"] == "slots.amount > 10"


def test_clicking_a_call_opens_the_called_flow(browser_as, open_editor, flows):
    page = open_editor(browser_as("viewer"), flows.slug, "main")
    page.locator(".fs-flowlink", has_text="check").click()
    page.wait_for_url(f"**/assistants/{flows.slug}/flows/check/edit/")
    page.wait_for_selector("#flow-editor[data-ready=true]", state="attached")
    expect(page.locator(".fs-title")).to_have_text("check")


def test_a_link_target_flow_can_be_created_from_the_picker(browser_as, open_editor, flows):
    page = open_editor(browser_as("designer"), flows.slug, "main")
    node(page, "main_2_link_bye").click()
    create_in_picker(page, "flow", "flow", "feedback", new_flow_description="Ask for feedback")
    expect(page.get_by_label("Continue with flow", exact=True)).to_have_value("feedback")
    wait_saved(page)
    assert stored(flows, "main")["steps"][2] == {"link": "feedback"}
    assert stored(flows, "feedback") == {"description": "Ask for feedback", "steps": []}


def test_a_call_to_a_sub_agent_or_mcp_tool_is_drawn_as_an_external_step(browser_as, open_editor, flows, users):
    services.slot_save(user=users["owner"], assistant=flows, name="ticker", data={"type": "text"}, revision=None)
    services.flow_create(user=users["owner"], assistant=flows, flow_id="explore", data={
        "description": "hand over", "steps": [
            {"call": "stock_explorer"},
            {"call": "place_order", "mcp_server": "trade", "mapping": {"input": [], "output": [{"slot": "ticker", "value": "x"}]}},
            {"call": "check"}]})
    page = open_editor(browser_as("viewer"), flows.slug, "explore")
    agent = node(page, "explore_0_call_stock_explorer")
    expect(agent).to_have_attribute("data-kind", "agent")
    expect(agent.locator(".fs-node__kind")).to_have_text("Call sub-agent")
    expect(agent).to_contain_text("external agent, runs outside the studio")
    tool = node(page, "explore_1_call_place_order")
    expect(tool).to_have_attribute("data-kind", "mcp_tool")
    expect(tool).to_contain_text("on MCP server trade")
    expect(node(page, "explore_2_call_check")).to_have_attribute("data-kind", "call")
    agent.click()
    expect(page.locator('[data-call-target="agent"]')).to_contain_text(
        "No flow has this id: Rasa reads it as a sub-agent (sub_agents/<name>/config.yml).")
    assert page.js_errors == []


def test_deleting_a_called_flow_in_the_editor_shows_the_refusal_then_removes_the_references(
        browser_as, open_editor, flows, live_server):
    page = open_editor(browser_as("designer"), flows.slug, "check")
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator('[data-panel="flow"]').get_by_role("button", name="Delete flow").click()
    refusal = page.locator("[data-delete-refusal]")
    expect(refusal).to_contain_text("Cannot delete flow 'check': it is used in 1 place")
    expect(refusal).to_contain_text("• flow main, step calling: call (data/flows/main.yml)")
    assert Flow.objects.filter(assistant=flows, flow_id="check").exists()
    refusal.get_by_role("button", name="Delete and remove the references…").click()
    page.wait_for_url(f"{live_server.url}/assistants/{flows.slug}/flows/")
    assert not Flow.objects.filter(assistant=flows, flow_id="check").exists()
    assert stored(flows, "main")["steps"] == [{"collect": "amount"}, {"link": "bye"}]
