"""One handler maps domain errors to HTTP: 404, 403, 409 with the current object, 422 with places."""
import json

import pytest
from django.test import RequestFactory

from studio.api import domain_error
from studio.assistants.services import flow_create, flow_save
from studio.core.exceptions import Forbidden, NotFound, Problem, RevisionConflict, ValidationFailed


def render(exc):
    response = domain_error(RequestFactory().get("/api/x"), exc)
    return response.status_code, json.loads(response.content)


def test_not_found_and_forbidden_become_404_and_403():
    assert render(NotFound("Flow 'x' not found")) == (404, {"detail": "Flow 'x' not found"})
    assert render(Forbidden("needs owner")) == (403, {"detail": "needs owner"})


def test_validation_failure_is_422_listing_every_place():
    exc = ValidationFailed([Problem(("data", "steps", 0), "a step must be a mapping"), Problem(("name",), "empty")])
    assert render(exc) == (422, {"detail": [
        {"loc": ["data", "steps", 0], "msg": "a step must be a mapping"},
        {"loc": ["name"], "msg": "empty"},
    ]})


def test_revision_conflict_is_409_carrying_the_current_flow(assistant, users):
    body = {"description": "Say hello", "steps": [{"action": "utter_greet"}]}
    flow_create(user=users["owner"], assistant=assistant, flow_id="greet", data=body)
    flow_save(user=users["owner"], assistant=assistant, flow_id="greet", data={**body, "name": "hi"}, revision=1)
    with pytest.raises(RevisionConflict) as caught:
        flow_save(user=users["designer"], assistant=assistant, flow_id="greet", data=body, revision=1)
    status, payload = render(caught.value)
    assert status == 409
    assert payload["detail"] == "flow greet was changed by someone else (now at revision 2)"
    assert payload["current"]["revision"] == 2
    assert payload["current"]["body"] == {"name": "hi", **body}
