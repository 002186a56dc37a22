"""Flows an assistant keeps for social turns: a greeting, a goodbye, "who are you", help.

Many assistants answer "hello", "bye", "are you a bot?" or "what can you do?" with a flow of
their own (described "greet the user", "say goodbye", "clarifies that the user is talking to
a chatbot"). Such a flow is found by the words of its name and description; when several
fit, the one the message matches best is started.
"""

from __future__ import annotations

from ..context import UnderstandingContext
from .flows import FlowIndex
from .kinds import message_values
from .phrases import Social
from .text import identifier_words, stem, tokenize

_WORDS = {
    Social.GREET: "greet greeting welcome hello",
    Social.GOODBYE: "goodbye bye farewell",
    Social.IDENTITY: "who bot chatbot robot identity",
    Social.INSULT: "insult insults rude offensive abusive",
    Social.OVERRIDE: "behaviour behavior instruction instructions tone persona jailbreak manipulation",
    "help": "help capabilities capability skills features services",
    "human": "human person staff agent operator representative someone handoff",
}
CATEGORY_STEMS = {category: frozenset(stem(w) for w in words.split()) for category, words in _WORDS.items()}


def social_flow(text: str, context: UnderstandingContext, index: FlowIndex, category) -> str | None:
    """The startable flow this assistant keeps for `category`, if it has one.

    A flow whose id or name says it ("welcome", "human_handoff") comes before one whose
    description only mentions the word ("should not respond to greetings").
    """
    wanted = CATEGORY_STEMS[category]
    by_name, by_description = [], []
    for flow in context.startable_flows():
        if flow.id == context.active_flow:
            continue
        if wanted & _stems(f"{identifier_words(flow.id)} {flow.name}"):
            by_name.append(flow.id)
        elif wanted & _stems(flow.description):
            by_description.append(flow.id)
    candidates = by_name or by_description
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    ranked = index.score(text, set(candidates), message_values(text, index.known))
    return ranked[0].flow_id if ranked else candidates[0]


def _stems(text: str) -> set[str]:
    return {stem(t.lower) for t in tokenize(text)}
