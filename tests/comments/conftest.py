"""Comments tests: the shared personas, one flow with three steps and one response, and small helpers."""
import pytest

STEPS = [
    {"id": "ask_amount", "collect": "amount"},
    {"action": "utter_confirm"},
    {"action": "action_send"},
]


@pytest.fixture
def content(assistant, users):
    from studio.assistants import services

    owner = users["owner"]
    for name in ("utter_greet", "utter_confirm"):
        services.response_save(user=owner, assistant=assistant, name=name, variations=[{"text": "Hi"}], revision=None)
    services.slot_save(user=owner, assistant=assistant, name="amount",
                       data={"type": "float", "mappings": [{"type": "from_llm"}]}, revision=None)
    services.custom_action_create(user=owner, assistant=assistant, name="action_send")
    services.flow_create(user=owner, assistant=assistant, flow_id="transfer",
                         data={"description": "Send money", "steps": STEPS})
    return assistant


@pytest.fixture
def on_step():
    from studio.comments.selectors import Target

    def make(step_id: str, flow_id: str = "transfer"):
        return Target.of("flow-step", flow_id=flow_id, step_id=step_id)

    return make


@pytest.fixture
def on_response():
    from studio.comments.selectors import Target

    return lambda name="utter_greet": Target.of("response", response=name)


@pytest.fixture
def start(content, users):
    """Start a thread as a persona: start("writer", target, "text")."""
    from studio.comments.services import thread_start

    def make(role: str, target, body: str = "Is this right?"):
        return thread_start(user=users[role], assistant=content, target=target, body=body)

    return make
