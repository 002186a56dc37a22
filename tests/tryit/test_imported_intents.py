"""An imported project's intents reach try-it: the studio models slots, responses and actions, and
keeps the rest of the domain files (intents, entities...) as written for the engine."""
import pytest

from studio.exchange.services import assistant_import
from studio.exchange.yamlproject import files_from_mapping
from studio.tryit import services

pytestmark = pytest.mark.django_db

PROJECT = {
    "config.yml": "recipe: default.v1\nlanguage: en\npipeline:\n  - name: NLUCommandAdapter\n"
                  "  - name: CompactLLMCommandGenerator\n",
    "domain.yml": 'version: "3.1"\nintents:\n  - intent_42\nresponses:\n  utter_coffee:\n'
                  '    - text: "One coffee coming up."\n',
    "data/flows.yml": "flows:\n  coffee:\n    description: order a coffee\n    nlu_trigger:\n"
                      "      - intent: intent_42\n    steps:\n      - action: utter_coffee\n",
}


def test_an_intent_payload_starts_its_nlu_trigger_flow_in_try_it(users):
    source = files_from_mapping({path: text.encode() for path, text in PROJECT.items()})
    assistant = assistant_import(user=users["owner"], source=source).assistant
    conversation, _ = services.conversation_start(user=users["owner"], assistant=assistant)
    turn = services.conversation_turn(user=users["owner"], conversation=conversation, text="/intent_42")
    assert [m["text"] for m in turn["messages"]][0] == "One coffee coming up."
    # Read as Rasa's NLU command adapter reads it: no command generator was asked. (Before the
    # domain's intents reached the engine, "/intent_42" went to the generator as text.)
    assert turn["commands"] == [{"command": "start_flow", "flow": "coffee"}] and turn["understanding"] is None


def test_a_slot_deleted_in_the_studio_does_not_come_back_from_the_imported_file(users):
    from studio.assistants.engine_adapter import assistant_snapshot
    from studio.assistants.services import slot_delete

    files = {**PROJECT, "domain.yml": PROJECT["domain.yml"] + "slots:\n  note:\n    type: text\n"}
    source = files_from_mapping({path: text.encode() for path, text in files.items()})
    assistant = assistant_import(user=users["owner"], source=source).assistant
    assert "note" in assistant_snapshot(assistant)[0]["domain"]["slots"]
    slot_delete(user=users["owner"], assistant=assistant, name="note")
    domain = assistant_snapshot(assistant)[0]["domain"]
    assert domain["slots"] == {} and domain["intents"] == ["intent_42"]
