"""What each flow says about itself, read once per assistant: the weighted words of its id,
name, description, NLU examples, first responses and collect steps; the words as written (for
typos); and its shape: the kinds of values its slots take, its own topic, whether it answers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..context import FlowInfo, SlotInfo
from .kinds import example_values, slot_kind
from .text import REQUEST_VERBS, SOFT_WORDS, STOP_WORDS, content_stems, identifier_words, stem, tokenize

FIELD_WEIGHTS = {"name": 1.0, "example": 1.0, "description": 0.8, "value": 0.0, "slot": 0.4, "question": 0.4,
                 "says": 0.5}
# Weight 0 marks a word that is only one of the flow's slot values ("large", "card"): it
# neither argues for the flow nor counts against it.
# An unknown word a flow's "name of the thing" slot could hold, or (less surely) a free-text slot.
_THING_FACTORS = {"title": 0.5, "text": 0.3}
_NAME_FILLERS = frozenset(stem(w) for w in ("ask", "request", "handle", "provide", "user", "flow", "inquiry"))
# What an answering flow's description starts with (after "This flow", "The assistant").
_INFORMING = frozenset(stem(w) for w in "tell provide answer give list show explain inform describe display share "
                       "check find search look view".split())
_INFO_NOUNS = frozenset(stem(w) for w in ("info", "information", "faq", "faqs"))
_DESCRIPTION_OPENERS = frozenset(stem(w) for w in ("flow", "assistant", "bot", "user", "customer"))


@dataclass(frozen=True)
class FlowShape:
    name_stems: frozenset[str]
    kinds: tuple[str, ...]  # kinds of the slots a first message may fill
    topic: frozenset[str]  # stems of its id, name and description
    thing: float  # how much of an unknown word one of its slots could hold
    informs: bool  # it answers, tells, lists or finds something rather than doing it


def flow_shape(flow: FlowInfo, slots: dict[str, SlotInfo]) -> FlowShape:
    kinds = tuple(
        slot_kind(slots[c.slot], c) for c in flow.collected_slots
        if c.slot in slots and slots[c.slot].llm_fillable and not c.ask_before_filling
    )
    name = content_stems(f"{identifier_words(flow.id)} {flow.name}")
    thing = max((_THING_FACTORS.get(k, 0.0) for k in kinds), default=0.0)
    # "ask for opening hours", "check balance": a user names the thing, not the asking.
    named = frozenset(w for w in name if w not in _NAME_FILLERS and w not in REQUEST_VERBS and w not in SOFT_WORDS)
    topic = frozenset(name + content_stems(flow.description))
    return FlowShape(named or frozenset(name), kinds, topic, thing, _informs(flow))


def _informs(flow: FlowInfo) -> bool:
    """A flow that answers: its description starts with telling, listing or finding ("Provide
    information about on-site facilities", "This flow tells the humidity", "List all the bookings"),
    or its id says so (`facility_info`)."""
    verbs = [w for w in content_stems(flow.description) if w not in _DESCRIPTION_OPENERS][:1]
    ids = content_stems(identifier_words(flow.id))
    return bool(set(verbs) & _INFORMING or set(ids[:1]) & _INFORMING or set(ids) & _INFO_NOUNS)


def flow_texts(flow: FlowInfo, slots: dict[str, SlotInfo]) -> list[tuple[str, list[str], float]]:
    """(field, stems, weight) for everything the flow says about itself."""
    texts = [("name", identifier_words(flow.id)), ("name", flow.name), ("description", flow.description),
             ("says", flow.utterances)]
    texts += [("name", identifier_words(intent)) for intent in flow.nlu_intents]
    for collect in flow.collected_slots:
        slot = slots.get(collect.slot)
        texts += [("slot", identifier_words(collect.slot)), ("slot", collect.description),
                  ("question", collect.question), ("slot", slot.description if slot else "")]
        if slot is not None and slot.type == "categorical":
            texts += [("value", identifier_words(v)) for v in slot.values]
        elif slot is not None:  # "the specialty of the doctor (e.g., cardiologist, dermatologist)"
            texts += [("value", v) for v in example_values(slot, collect)]
        texts += [("value", title) for title in collect.choices]  # the answers its buttons offer
    weighted = [(f, content_stems(t), FIELD_WEIGHTS[f]) for f, t in texts if t]
    return weighted + _example_texts(flow.examples)


def surface_words(flows: list[FlowInfo], weights) -> dict[str, str]:
    """The assistant's words as written (not stop words, not yet stemmed), each with its stem."""
    texts = [t for f in flows for t in (f.id.replace("_", " "), f.name, f.description, *f.examples)]
    texts += [c.description for f in flows for c in f.collected_slots]
    result = {}
    for text in texts:
        for token in tokenize(text or ""):
            word = stem(token.lower)
            if word in weights and token.lower != word and token.lower not in STOP_WORDS:
                result[token.lower] = word
    return result


def _example_stems(example: str) -> list[str]:
    # "Add Max to my contacts": the names in examples are samples, not the flow's words.
    return [stem(t.lower) for i, t in enumerate(tokenize(example))
            if t.lower not in STOP_WORDS and not t.is_number and not (i > 0 and t.is_capitalised and t.text != "I")]


def _example_texts(examples: tuple[str, ...]) -> list[tuple[str, list[str], float]]:
    """A word most examples use counts like the flow's name; one example's aside counts less."""
    counts = Counter(word for example in examples for word in set(_example_stems(example)))
    return [("example", [word], min(1.0, 0.5 + counts[word] / len(examples))) for word in counts]
