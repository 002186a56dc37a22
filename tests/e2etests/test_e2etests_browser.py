"""The tests page in headless Chromium: a run queued elsewhere finishes on the open page without a reload."""
import pytest

from tests.browser import logged_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_queued_run_turns_green_on_the_open_page_and_run_all_works(chromium, asgi_server, users):
    from studio.accounts.models import Membership
    from studio.assistants.demo import DEMO_DIR
    from studio.e2etests import services
    from studio.e2etests.models import TestRun
    from studio.exchange.services import assistant_import

    demo = assistant_import(user=users["owner"], source=DEMO_DIR).assistant
    Membership.objects.create(user=users["viewer"], assistant=demo, role="viewer")
    services.tests_generate_save(user=users["owner"], assistant=demo)
    queued = TestRun.objects.create(assistant=demo, started_by=users["owner"], generator="offline")  # as a busy worker leaves it
    with logged_in_page(chromium, asgi_server, users["viewer"]) as (page, errors):
        page.goto(f"{asgi_server}/assistants/{demo.slug}/tests/")
        page.wait_for_selector("#run:has-text('queued')", timeout=10000)
        services.test_run_execute(run_id=queued.pk)
        page.wait_for_selector("#run:has-text('passed: 5/5')", timeout=15000)
        page.click("button:has-text('Run all')")
        page.wait_for_selector("#coverage:has-text('order_drink: 8/8 steps reached')", timeout=15000)
        assert page.locator("#files .pill.ok").count() == 5
        page.screenshot(path="/tmp/e2etests_page.png", full_page=True)  # for a look after a failure
        assert errors == []
