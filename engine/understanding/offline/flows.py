"""Which flow a message asks for: lexical relevance over names, descriptions and examples.

Every flow is a small weighted bag of stems (id and name count most, then NLU examples,
the description, and last the flow's slot names and collect descriptions). A message
scores against a flow by idf-weighted coverage: the share of the message's meaningful
words that the flow explains. Near-identical NLU examples win outright. Typos are
matched through rapidfuzz against the vocabulary.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..context import FlowInfo, SlotInfo
from .values import NUMBER_WORDS
from .text import RELATED, SOFT_WORDS, STOP_WORDS, content_stems, identifier_words, stem, tokenize

_FIELD_WEIGHTS = {"name": 1.0, "example": 1.0, "description": 0.8, "value": 0.0, "slot": 0.4}
_STRONG = 0.8  # a match from the name, an example or the description
# Weight 0 marks a word that is only one of the flow's slot values ("large", "card"): it
# neither argues for the flow nor counts against it.
_TYPO_CUTOFF = 85
_RELATED_FACTOR = 0.8
EXAMPLE_CUTOFF = 88


@dataclass(frozen=True)
class FlowScore:
    flow_id: str
    coverage: float  # 0..1: share of the message's idf mass this flow explains
    hits: int = 1  # distinct message words matched
    strong: bool = True  # at least one came from the name, an example or the description


@dataclass
class FlowIndex:
    """Built once per assistant (per tuple of flows) and reused for every message."""

    weights: dict[str, dict[str, float]]  # stem -> flow id -> field weight
    idf: dict[str, float]
    vocabulary: list[str]
    examples: list[tuple[str, str]]  # (lower-cased example, flow id)
    unknown_idf: float

    @classmethod
    def build(cls, flows: tuple[FlowInfo, ...], slots: tuple[SlotInfo, ...] = ()) -> "FlowIndex":
        weights: dict[str, dict[str, float]] = {}
        examples: list[tuple[str, str]] = []
        user_flows = [f for f in flows if not f.is_pattern]
        values = {s.name: s.values for s in slots if s.type == "categorical"}
        value_words: set[tuple[str, str]] = set()
        for flow in user_flows:
            for field_name, text in _flow_texts(flow, values):
                for word in content_stems(text):
                    if field_name == "value":
                        value_words.add((word, flow.id))
                    per_flow = weights.setdefault(word, {})
                    per_flow[flow.id] = max(per_flow.get(flow.id, 0.0), _FIELD_WEIGHTS[field_name])
            examples.extend((example.lower(), flow.id) for example in flow.examples)
        for word, per_flow in weights.items():
            for flow_id in per_flow:
                if (word, flow_id) in value_words and per_flow[flow_id] < _STRONG:
                    per_flow[flow_id] = 0.0  # a slot value, even if a collect description repeats it
        n = max(len(user_flows), 1)
        idf = {word: math.log(1 + n / len(per_flow)) for word, per_flow in weights.items()}
        return cls(weights, idf, sorted(weights), examples, math.log(1 + n))

    def example_match(self, message: str, allowed: set[str]) -> str | None:
        """The flow of an NLU example the message (nearly) repeats."""
        choices = [text for text, flow_id in self.examples if flow_id in allowed]
        if not choices:
            return None
        best = process.extractOne(message.lower(), choices, scorer=fuzz.token_sort_ratio, score_cutoff=EXAMPLE_CUTOFF)
        if best is None:
            return None
        return next(flow_id for text, flow_id in self.examples if text == best[0] and flow_id in allowed)

    def score(self, message: str, allowed: set[str]) -> list[FlowScore]:
        """Flows among `allowed` ranked by coverage of the message's content words."""
        total = 0.0
        matched: dict[str, list[float]] = {}  # flow id -> [mass, hits, strongest field, neutral mass]
        for word in _query_stems(message):
            hits, weight = self._lookup(word)
            if word not in SOFT_WORDS or any(f in allowed for f in hits):
                total += weight
            for flow_id, field_weight in hits.items():
                if flow_id not in allowed:
                    continue
                entry = matched.setdefault(flow_id, [0.0, 0, 0.0, 0.0, 0])
                if field_weight == 0.0:
                    entry[3] += weight
                    entry[4] += 1
                    continue
                entry[0] += weight * field_weight
                entry[1] += 1
                entry[2] = max(entry[2], field_weight)
        ranked = [_flow_score(fid, total, *entry) for fid, entry in matched.items()]
        ranked = [r for r in ranked if r is not None]
        return sorted(ranked, key=lambda s: (-s.coverage, s.flow_id))

    def _lookup(self, word: str) -> tuple[dict[str, float], float]:
        hits = self.weights.get(word)
        if hits is not None:
            related = self._related(word)
            if related:
                hits = {**related, **{f: max(w, related.get(f, 0.0)) if w else w for f, w in hits.items()}}
            return hits, self.idf[word]
        if len(word) >= 5:
            best = process.extractOne(word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=_TYPO_CUTOFF)
            if best is not None:
                return self.weights[best[0]], self.idf[best[0]]
        related = self._related(word)
        return (related, self.unknown_idf) if related else ({}, self.unknown_idf)

    def _related(self, word: str) -> dict[str, float]:
        """Hits through a related word ("pay" for a flow that says "send"), weighed down."""
        hits: dict[str, float] = {}
        for other in RELATED.get(word, ()):
            for flow_id, weight in self.weights.get(other, {}).items():
                hits[flow_id] = max(hits.get(flow_id, 0.0), weight * _RELATED_FACTOR)
        return hits


def _flow_score(flow_id: str, total: float, mass: float, hits: int, field: float,
                neutral: float, values: int) -> FlowScore | None:
    if mass and total > neutral:
        return FlowScore(flow_id, mass / (total - neutral), hits, field >= _STRONG)
    if not mass and values >= 2:
        # "two small margheritas for pickup": nothing but this flow's slot values.
        return FlowScore(flow_id, neutral / total, values, True)
    return None


def _flow_texts(flow: FlowInfo, values: dict[str, tuple[str, ...]]) -> list[tuple[str, str]]:
    texts = [("name", identifier_words(flow.id)), ("name", flow.name), ("description", flow.description)]
    texts += [("example", example) for example in flow.examples]
    texts += [("name", identifier_words(intent)) for intent in flow.nlu_intents]
    for collect in flow.collected_slots:
        texts += [("slot", identifier_words(collect.slot)), ("slot", collect.description)]
        texts += [("value", identifier_words(v)) for v in values.get(collect.slot, ())]
    return texts


def _query_stems(message: str) -> list[str]:
    """Content stems of the message, minus numbers, codes and mid-sentence proper names."""
    stems = []
    for position, token in enumerate(tokenize(message)):
        if token.lower in STOP_WORDS or token.lower in NUMBER_WORDS or any(c.isdigit() for c in token.lower):
            continue
        if position > 0 and token.is_capitalised and token.text != "I":
            continue  # names and titles ("renew Dune") say nothing about the flow
        stems.append(stem(token.lower))
    return list(dict.fromkeys(stems))


class IndexCache:
    """Indexes per (flows, slots) tuple pair; the bridge hands out one tuple per guard state."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self._entries: dict[tuple[int, int], tuple[FlowIndex, tuple, tuple]] = {}

    def get(self, flows: tuple[FlowInfo, ...], slots: tuple[SlotInfo, ...]) -> FlowIndex:
        key = (id(flows), id(slots))
        hit = self._entries.get(key)
        if hit is None:
            if len(self._entries) >= self.size:
                self._entries.pop(next(iter(self._entries)))
            # The tuples are kept with the index so their ids cannot be reused meanwhile.
            hit = self._entries[key] = (FlowIndex.build(flows, slots), flows, slots)
        return hit[0]
