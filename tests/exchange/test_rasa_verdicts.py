"""Our import verdict agrees with Rasa Pro 3.21's own validator on every recorded project.

Rasa's verdicts (`rasa data validate`, run by tools/rasa_oracle/validate.py in a scratch venv)
are stored beside each project in rasa_verdicts/<case>/verdict.json; this suite never runs Rasa.
Rasa's messages are kept for reading but compared only by verdict and by the item they name.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.exchange.services import ImportRefused, project_parse

VERDICTS = Path(__file__).parent / "rasa_verdicts"

# The item Rasa's error (or, where Rasa only warns, its warning) names; ours must name it too.
NAMED = {
    "link_to_deleted_flow": "collect_feedback",
    "call_to_deleted_flow": "collect_feedback",
    "call_to_deleted_flow_with_sub_agents": "collect_feedback",
    "next_missing_step": "confirm_amount",
    "collect_undefined_slot": "account_type",
    "domain_file_and_folder": "account_type",
    "response_used_undefined": "utter_goodbye",
    "sub_agent_without_config": "stock_agent",
    "sub_agent_config_incomplete": "stock_agent",
    "call_to_pattern": "pattern_chitchat",
    "called_flow_links": "wrap_up",
    "response_in_data_file_and_domain": "utter_transfer_complete",
    "slot_in_data_file": "account_type",
    "rephrase_without_nlg": "nlg",
    "rephrase_with_callback_nlg": "callback",
    "nlu_mapping_without_adapter": "recipient",
    "nlu_correction_on_entity_mapping": "recipient",
    "nlu_correction_without_nlu_mapping": "recipient",
    "every_turn_action_on_llm_mapping": "action_check_recipient",
    "classic_slot_without_mappings": "nickname",
    "response_empty_placeholder": "utter_transfer_complete",
    "button_without_payload": "utter_ask_recipient",
    "button_blank_payload": "utter_ask_recipient",
    "button_eleven_slots": "utter_ask_recipient",
    "button_unreadable_payload": "utter_ask_recipient",
    "button_undeclared_intent": "utter_ask_recipient",
}

# Where we still disagree with Rasa: remove the entry when the fix lands (strict xfail says so).
VERDICT_DIFFERS = {
}
NAME_DIFFERS = {
}


def _cases(only: set[str] | None, differs: dict[str, str]) -> list:
    names = sorted(p.parent.name for p in VERDICTS.glob("*/project") if p.is_dir())
    return [
        pytest.param(name, id=name, marks=[pytest.mark.xfail(strict=True, reason=differs[name])]
                     if name in differs else [])
        for name in names if only is None or name in only
    ]


def _rasa_verdict(case: str) -> dict:
    return json.loads((VERDICTS / case / "verdict.json").read_text())


def _our_verdict(case: str) -> tuple[bool, list[str]]:
    """(accepted, our problems if refused else our warnings), as the import reports them."""
    try:
        parsed = project_parse(VERDICTS / case / "project")
    except ImportRefused as exc:
        return False, [str(p) for p in exc.project_problems]
    return True, [str(w) for w in parsed.warnings]


def test_every_recorded_case_has_a_project_and_a_verdict():
    cases = {p.name for p in VERDICTS.iterdir() if p.is_dir()}
    recorded = {p.parent.name for p in VERDICTS.glob("*/verdict.json")}
    with_project = {p.parent.name for p in VERDICTS.glob("*/project") if p.is_dir()}
    assert cases == recorded == with_project
    assert set(NAMED) <= cases
    assert {"template_tutorial", "template_basic", "template_finance", "template_telco"} <= cases


@pytest.mark.parametrize("case", _cases(None, VERDICT_DIFFERS))
def test_import_accepts_exactly_what_rasa_accepts(case):
    accepted, messages = _our_verdict(case)
    rasa = _rasa_verdict(case)
    assert accepted == rasa["valid"], {"rasa": rasa["errors"] or "valid", "ours": messages or "valid"}


@pytest.mark.parametrize("case", _cases(set(NAMED), NAME_DIFFERS))
def test_import_names_the_item_rasa_names(case):
    rasa = _rasa_verdict(case)
    assert any(NAMED[case] in m for m in rasa["errors"] or rasa["warnings"])  # the fixture's premise
    _, messages = _our_verdict(case)
    assert any(NAMED[case] in m for m in messages), messages
