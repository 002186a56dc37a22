import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Five personas per test: the default PBKDF2 cost made setup take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def flows(assistant, users):
    """A small assistant: two flows, where `main` calls `check` and links to `bye`."""
    from studio.assistants import services

    owner = users["owner"]
    services.slot_save(user=owner, assistant=assistant, name="amount", data={"type": "float"}, revision=None)
    services.response_save(user=owner, assistant=assistant, name="utter_ask_amount",
                           variations=[{"text": "How much?"}], revision=None)
    services.response_save(user=owner, assistant=assistant, name="utter_done", variations=[{"text": "Done"}],
                           revision=None)
    for flow_id, body in {
        "check": {"description": "check the balance", "steps": [{"action": "utter_done"}]},
        "bye": {"description": "say goodbye", "steps": [{"action": "utter_done"}]},
        "main": {"name": "main flow", "description": "send money", "steps": [
            {"collect": "amount"}, {"id": "calling", "call": "check"}, {"link": "bye"}]},
    }.items():
        services.flow_create(user=owner, assistant=assistant, flow_id=flow_id, data=body)
    return assistant


@pytest.fixture
def api(client_for, flows):
    """JSON calls to the editor API as a persona: api("designer").put("/flows/main", {...})."""
    import json

    class Caller:
        def __init__(self, role):
            self.client = client_for(role)
            self.base = f"/api/assistants/{flows.slug}/editor"

        def _call(self, method, path, data=None):
            kwargs = {"content_type": "application/json"}
            if data is not None:
                kwargs["data"] = json.dumps(data)
            return getattr(self.client, method)(self.base + path, **kwargs)

        def get(self, path):
            return self.client.get(self.base + path)

        def post(self, path, data):
            return self._call("post", path, data)

        def put(self, path, data):
            return self._call("put", path, data)

        def delete(self, path):
            return self._call("delete", path)

    return Caller
