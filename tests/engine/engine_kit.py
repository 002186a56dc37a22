"""Helpers for engine tests: inline-YAML assistants and a recording chat."""

import io
import textwrap

from ruamel.yaml import YAML

from engine import Assistant, Conversation

BASE_CONFIG = {"pipeline": [{"name": "CompactLLMCommandGenerator"}], "policies": [{"name": "FlowPolicy"}]}


def load_yaml(text: str):
    return YAML(typ="safe", pure=True).load(io.StringIO(textwrap.dedent(text)))


def build(domain: str, flows: str, config: dict | None = None, **kwargs) -> Assistant:
    """An assistant from inline YAML: a domain document and a `flows:` document."""
    return Assistant.from_dicts(config=config or BASE_CONFIG, domain=load_yaml(domain) or {},
                                flows=(load_yaml(flows) or {}).get("flows", {}), **kwargs)


class Chat:
    """A conversation that starts its session and keeps every turn for assertions."""

    def __init__(self, assistant: Assistant, **kwargs):
        self.conversation = Conversation(assistant, **kwargs)
        self.turns = [self.conversation.start_session()]

    def say(self, text: str, **kwargs):
        turn = self.conversation.handle(text, **kwargs)
        self.turns.append(turn)
        return turn

    @staticmethod
    def texts(turn):
        return [m["text"] for m in turn.messages]

    @property
    def slots(self):
        return self.conversation.tracker.slots

