"""Schemathesis against /api/openapi.json, in-process: no operation answers 500, whatever the role.

Every operation runs as the owner and as the viewer of the seeded demo assistant, with a real session
cookie and CSRF token (django-ninja's session auth checks CSRF). `make fuzz` runs longer against uvicorn.
"""
import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.api_fuzz import aim_at

CSRF_TOKEN = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz"  # any 32 characters: Django compares cookie and header
# Enough to reach each handler's branches in well under a minute; FUZZ_EXAMPLES=200 for a deeper look.
EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", 10))

# Loaded at collection (the schema needs no database) so each operation is its own test with a fresh
# database: an owner deleting the assistant in one operation must not empty the others.
# WSGI runs the request in the test's thread, inside its transaction.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def keep_test_connection():
    """Django closes connections around each request; in the test's transaction that loses the test data.

    Django's own test client does the same: the signal is off while a request runs in-process.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def logged_in(users, role, keep_test_connection):
    """Cookies and headers of a logged-in session on the demo assistant for `role`."""
    from studio.accounts.models import Membership
    from studio.assistants.demo import demo_assistant_load
    from tests.sockets import session_cookie

    demo, _ = demo_assistant_load(user=users["owner"])
    if role != "owner":
        Membership.objects.create(user=users[role], assistant=demo, role=role)
    aim_at({"slug": [demo.slug], "flow_id": list(demo.flows.values_list("flow_id", flat=True)),
            "username": [user.get_username() for user in users.values()]})
    session = session_cookie(users[role]).decode().split("=", 1)[1]
    return {"cookies": {"sessionid": session, "csrftoken": CSRF_TOKEN}, "headers": {"X-CSRFToken": CSRF_TOKEN}}


@pytest.mark.fuzz
@pytest.mark.parametrize("role", ["owner", "viewer"])
@schema.parametrize()
# Derandomized: the suite tries the same cases every run (no flaky CI); `make fuzz` explores.
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_no_api_operation_answers_500(case, logged_in):
    case.call_and_validate(checks=[not_a_server_error], **logged_in)
