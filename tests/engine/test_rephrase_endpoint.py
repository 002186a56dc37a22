"""Responses that ask to be rephrased need an NLG endpoint that rephrases, as Rasa Pro 3.21 checks
(`rasa data validate`, and `rasa run` loading the agent); recorded verdicts in
tests/exchange/rasa_verdicts/rephrase_*."""

import pytest

from tests.engine.engine_kit import build

FLOWS = "flows:\n  greet:\n    description: greet\n    steps:\n      - action: utter_greet\n"
REPHRASED = "responses:\n  utter_greet:\n    - text: Hi\n      metadata:\n        rephrase: true\n"


def _problems(domain: str, endpoints: dict | None) -> list[str]:
    return [str(p) for p in build(domain, FLOWS, strict=False, endpoints=endpoints).problems]


@pytest.mark.parametrize("endpoints, why", [
    (None, "endpoints.yml configures no NLG endpoint"),
    ({"nlg": {"type": "callback", "url": "http://localhost:5056/nlg"}}, "the NLG endpoint's type is 'callback'"),
    ({"nlg": {"url": "http://localhost:5056/nlg"}}, "the NLG endpoint's type is 'not set'"),
])
def test_a_rephrased_response_without_a_rephrasing_nlg_endpoint_is_refused(endpoints, why):
    [problem] = _problems(REPHRASED, endpoints)
    assert problem.startswith("endpoints.yml: responses 'utter_greet' ask to be rephrased")
    assert why in problem and "nlg: {type: rephrase}" in problem


@pytest.mark.parametrize("endpoints", [
    {"nlg": {"type": "rephrase"}}, {"nlg": {"type": "Rephrase"}},
    {"nlg": {"type": "addons.rephraser.MyRephraser"}},  # a custom class: only Rasa can import and check it
])
def test_a_rephrasing_nlg_endpoint_accepts_it(endpoints):
    assert _problems(REPHRASED, endpoints) == []


def test_only_the_projects_own_responses_count_not_the_default_patterns():
    # Rasa's default patterns rephrase utter_free_chitchat_response and others: Rasa only warns.
    assert _problems("responses:\n  utter_greet:\n    - text: Hi\n", None) == []
    assert _problems(REPHRASED.replace("true", "false"), None) == []
