"""Coverage drawn on the graph: the tests page links each flow to its read-only drawing, reached
steps and never-reached ones marked (the same overlay as try-it's path taken)."""
import html as htmllib
import json
import re

import pytest

from studio.e2etests import services
from studio.e2etests.models import RunStatus, TestRun
from tests.e2etests.test_e2etests import demo  # noqa: F401 (the imported demo with every role a member)

pytestmark = pytest.mark.django_db

STEPS = ["order_drink_0_collect_drink", "order_drink_1_collect_size", "order_drink_2_call_check_loyalty"]


def overlay_of(page: str) -> dict:
    return json.loads(htmllib.unescape(re.search(r'data-overlay="([^"]*)"', page).group(1)))


def graph_url(assistant, flow_id="order_drink") -> str:
    return f"/assistants/{assistant.slug}/tests/coverage/{flow_id}/"


def full_run(assistant, reached) -> TestRun:
    return TestRun.objects.create(assistant=assistant, status=RunStatus.FAILED, total=1,
                                  coverage={"order_drink": {"steps": STEPS, "reached": reached}})


@pytest.mark.parametrize("role", ("owner", "designer", "writer", "viewer"))
def test_every_member_sees_reached_and_unreached_steps_on_the_graph(demo, client_for, role):
    full_run(demo, STEPS[:1])
    response = client_for(role).get(graph_url(demo))
    assert response.status_code == 200
    page = response.content.decode()
    assert overlay_of(page) == {"kind": "coverage", "visited": STEPS[:1], "unreached": STEPS[1:]}
    assert 'data-read-only="true"' in page and 'data-flow-id="order_drink"' in page
    assert f'<a class="fs-ov-back" href="/assistants/{demo.slug}/tests/#coverage">' in page
    assert f'data-flow-url-template="/assistants/{demo.slug}/tests/coverage/__FLOW__/"' in page


def test_the_tests_page_links_each_flow_to_its_coverage_graph(demo, client_for):
    full_run(demo, STEPS[:2])
    page = client_for("viewer").get(f"/assistants/{demo.slug}/tests/").content.decode()
    assert "order_drink</strong>: 2/3 steps reached" in page
    assert f'<a href="{graph_url(demo)}" data-coverage-graph="order_drink">show on graph</a>' in page


def test_outsiders_get_404_and_a_flow_no_full_run_covered_says_so(demo, client_for):
    assert client_for("outsider").get(graph_url(demo)).status_code == 404
    response = client_for("viewer").get(graph_url(demo))
    assert response.status_code == 404
    assert "No full test run has covered flow &#x27;order_drink&#x27; yet: run all tests first." in response.content.decode()
    full_run(demo, STEPS)
    assert client_for("viewer").get(graph_url(demo, "no_such_flow")).status_code == 404


def test_a_real_run_draws_what_it_reached(demo, users, client_for, django_capture_on_commit_callbacks):
    services.tests_generate_save(user=users["designer"], assistant=demo)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.test_run_create(user=users["viewer"], assistant=demo)
    run.refresh_from_db()
    overlay = overlay_of(client_for("viewer").get(graph_url(demo, "check_loyalty")).content.decode())
    assert overlay["kind"] == "coverage"
    assert overlay["visited"] == run.coverage["check_loyalty"]["reached"] and overlay["visited"]
    assert sorted(overlay["visited"] + overlay["unreached"]) == sorted(run.coverage["check_loyalty"]["steps"])
