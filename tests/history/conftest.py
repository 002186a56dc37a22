"""History tests: personas log in with force_login, and a small assistant with one item of each kind."""
import pytest


@pytest.fixture
def make_user(db, django_user_model):
    def make(username: str, **extra):
        user = django_user_model(username=username, **extra)
        user.set_unusable_password()  # hashing is slow on a shared box and nothing here logs in by password
        user.save()
        return user

    return make


@pytest.fixture
def content(assistant, users):
    """One flow, response, slot and custom action, created by the owner through the services."""
    from studio.assistants import services

    owner = users["owner"]
    services.response_save(user=owner, assistant=assistant, name="utter_greet",
                           variations=[{"text": "Hello!"}], revision=None)
    services.slot_save(user=owner, assistant=assistant, name="size", data={"type": "text", "mappings": [{"type": "from_llm"}]},
                       revision=None)
    services.custom_action_create(user=owner, assistant=assistant, name="action_check")
    services.flow_create(user=owner, assistant=assistant, flow_id="greet", data={
        "description": "Say hello", "steps": [{"id": "hello", "action": "utter_greet"}]})
    return assistant


@pytest.fixture
def api_for(client_for):
    """JSON calls as a persona: api_for("designer").put(url, {...})."""
    import json

    class Api:
        def __init__(self, role):
            self.client = client_for(role)

        def get(self, url):
            return self.client.get(url)

        def post(self, url, body):
            return self.client.post(url, json.dumps(body), content_type="application/json")

        def put(self, url, body):
            return self.client.put(url, json.dumps(body), content_type="application/json")

    return Api
