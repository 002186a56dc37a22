"""Slots Rasa provides to every assistant (the default patterns' slots and its built-in ones) may
be named in flows and patterns without a definition in the domain, as in Rasa's own templates."""

import pytest

from engine import DefinitionError

from tests.engine.engine_kit import build

DOMAIN = """
responses:
  utter_ask_still_there: [{text: "Still there?"}]
"""

# Rasa's finance template overrides pattern_user_silence and persists a default pattern slot.
SILENCE_PATTERN = """
flows:
  pattern_user_silence:
    description: Reacting to user silence in voice bots
    persisted_slots:
      - consecutive_silence_timeouts
    steps:
      - noop: true
        next:
          - if: "slots.consecutive_silence_timeouts = 0.0"
            then: set_once
          - else: END
      - id: set_once
        set_slots:
          - consecutive_silence_timeouts: 1.0
      - action: utter_ask_still_there
        next: END
"""


def test_a_pattern_may_persist_a_default_pattern_slot():
    assert build(DOMAIN, SILENCE_PATTERN).problems == ()


@pytest.mark.parametrize("slot", ["requested_slot", "flow_hashes", "session_started_metadata",
                                  "mocked_datetime", "language"])
def test_built_in_slots_may_be_set_persisted_and_tested_in_flows(slot):
    flows = f"""
    flows:
      remember:
        description: keeps a built-in slot
        persisted_slots: [{slot}]
        steps:
          - set_slots:
              - {slot}: null
            next:
              - if: slots.{slot} is null
                then: END
              - else: END
    """
    assert build(DOMAIN, flows).problems == ()


def test_an_unknown_persisted_slot_is_still_refused():
    with pytest.raises(DefinitionError) as err:
        build(DOMAIN, SILENCE_PATTERN.replace("- consecutive_silence_timeouts\n", "- silence_count\n", 1))
    assert "persisted slot 'silence_count' is not defined in the domain" in str(err.value)
