import pytest

NO_ACTION_SERVER = """model_groups:
  - id: rasa_command_generation_model
    models:
      - provider: openai
        model: gpt-4.1-mini-2025-04-14
"""


@pytest.fixture
def demo(users):
    """The seeded demo assistant (corner cafe), owned by the owner persona, viewer invited."""
    from studio.accounts.models import Membership
    from studio.assistants.demo import demo_assistant_load

    assistant, _ = demo_assistant_load(user=users["owner"])
    Membership.objects.create(user=users["viewer"], assistant=assistant, role="viewer")
    return assistant


@pytest.fixture
def shop(assistant, users):
    """A small assistant without an action server: `buy` collects an item, runs a custom action, confirms."""
    from studio.assistants import services
    from studio.tryit.runtime import built_assistants
    from studio.tryit.mock_services import action_mock_save

    built_assistants.clear()
    owner = users["owner"]
    # The scripted generator reads the command grammar, so tests say exactly what the user means.
    services.assistant_update(user=owner, assistant=assistant, endpoints_yaml=NO_ACTION_SERVER,
                              settings={"generator": "scripted"})
    services.slot_save(user=owner, assistant=assistant, name="item",
                       data={"type": "categorical", "values": ["apple", "pear"],
                             "mappings": [{"type": "from_llm"}]}, revision=None)
    services.response_save(user=owner, assistant=assistant, name="utter_ask_item", revision=None, variations=[
        {"text": "Which fruit?", "buttons": [{"title": "Apple", "payload": "/SetSlots(item=apple)"},
                                             {"title": "Pear", "payload": "/SetSlots(item=pear)"}]}])
    services.response_save(user=owner, assistant=assistant, name="utter_bought", revision=None,
                           variations=[{"text": "One {item}, coming up."}])
    action = services.custom_action_create(user=owner, assistant=assistant, name="action_reserve")
    # No action server: an empty mock lets the action run (the flow goes on, the inspector says it was mocked).
    action_mock_save(user=owner, assistant=assistant, name="action_reserve", mock={}, revision=action.revision)
    services.flow_create(user=owner, assistant=assistant, flow_id="buy", data={
        "description": "buy a fruit", "steps": [
            {"id": "ask_item", "collect": "item"}, {"action": "action_reserve"}, {"action": "utter_bought"}]})
    assistant.refresh_from_db()
    return assistant
