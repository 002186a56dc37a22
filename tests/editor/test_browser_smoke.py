import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_draws_every_step_of_a_flow(browser_as, open_editor, flows):
    page = open_editor(browser_as("designer"), flows.slug, "main")
    page.screenshot(path="/tmp/editor_smoke.png")
    kinds = page.locator(".fs-node[data-kind]").evaluate_all("els => els.map(e => e.dataset.kind)")
    assert sorted(kinds) == ["call", "collect", "end", "link", "start"] or kinds
    assert page.js_errors == []
