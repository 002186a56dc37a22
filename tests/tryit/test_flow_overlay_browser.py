"""In headless Chromium: the inspector's embedded flow marks the path taken, and the coverage graph
marks reached and never-reached steps with a legend (the editor bundle reading `data-overlay`)."""
import pytest

from studio.tryit import services
from tests.browser import logged_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def marked_steps(frame, mark: str) -> list[str]:
    return frame.locator(f".react-flow__node.fs-ov-{mark} .fs-node[data-step-id]").evaluate_all(
        "nodes => nodes.map((n) => n.dataset.stepId)")


def test_the_embedded_flow_marks_the_path_taken_and_keeps_the_current_step_selected(
        chromium, asgi_server, demo, users):
    conversation, _ = services.conversation_start(user=users["viewer"], assistant=demo)
    for text in ("I want a coffee", "/SetSlots(drink=latte)"):
        services.conversation_turn(user=users["viewer"], conversation=conversation, text=text)
    with logged_in_page(chromium, asgi_server, users["viewer"]) as (page, errors):
        page.goto(f"{asgi_server}/assistants/{demo.slug}/try/c/{conversation.pk}/")
        drawn = page.frame_locator("iframe.live-flow")
        drawn.locator("#flow-editor[data-ready=true]").wait_for(timeout=15000)
        assert marked_steps(drawn, "visited") == ["order_drink_0_collect_drink", "order_drink_1_collect_size"]
        assert "order_drink_1_collect_size" in drawn.locator(".react-flow__node.selected").inner_text()
        # Start → drink → size are green; the way on from the current step is not (the start node is off screen).
        drink = drawn.locator('.fs-node[data-step-id="order_drink_0_collect_drink"]').evaluate(
            "n => n.closest('.react-flow__node').dataset.id")
        assert drawn.locator(".react-flow__edge.fs-ov-visited").evaluate_all("es => es.map((e) => e.dataset.id)") == [
            "__start>", f"{drink}>"]
        assert drawn.locator(".react-flow__edge:not(.fs-ov-visited)").count() >= 1
        assert drawn.locator("[data-overlay-legend=path]").inner_text().split("\n") == ["path taken so far", "current step"]
        assert errors == []


def test_the_coverage_graph_marks_never_reached_steps(chromium, asgi_server, demo, users):
    from studio.e2etests.models import RunStatus, TestRun

    steps = ["order_drink_0_collect_drink", "order_drink_1_collect_size", "order_drink_2_call_check_loyalty"]
    TestRun.objects.create(assistant=demo, status=RunStatus.PASSED, total=1,
                           coverage={"order_drink": {"steps": steps, "reached": steps[:2]}})
    with logged_in_page(chromium, asgi_server, users["viewer"]) as (page, _):
        page.goto(f"{asgi_server}/assistants/{demo.slug}/tests/")
        page.click("[data-coverage-graph=order_drink]")
        page.locator("#flow-editor[data-ready=true]").wait_for(timeout=15000)
        assert marked_steps(page, "visited") == steps[:2]
        assert marked_steps(page, "unreached") == steps[2:]
        assert page.locator("[data-overlay-legend=coverage]").inner_text().split("\n") == ["reached by a test", "never reached"]
        assert page.locator(".react-flow__node.fs-ov-unreached .fs-node").evaluate(
            "n => getComputedStyle(n).borderStyle") == "dashed"
