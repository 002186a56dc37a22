"""Which flow a message asks for: lexical relevance and how well its values fit.

Every flow is a small weighted bag of stems, built once per assistant from everything it says
about itself: id and name count most, then NLU examples by how many of them use the word, the
description, what the flow says before its first question (an answer flow's answer), and last
its slot names, collect descriptions and question texts; slot values and button titles are
neutral. A message scores against a flow by idf-weighted coverage: the share of the message's
meaningful words and values that the flow explains. A value (a number, a name, a handle, a
code, a thing's name nobody's words explain) is explained when one of the flow's collect steps
can hold it, and a flow whose collect steps take all of a message's values is a candidate even
when no word points at it. Near-identical NLU examples win outright. Typos, related words and
other forms of a word are matched against the assistant's vocabulary.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Generic, Hashable, TypeVar

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from ..context import FlowInfo, SlotInfo
from .kinds import FITS, Mention
from .values import NUMBER_WORDS
from .vocabulary import FlowShape, flow_shape, flow_texts, surface_words
from .text import PHRASES, RELATED, REQUEST_VERBS, SOFT_WORDS, STOP_WORDS, derived_forms, stem, tokenize

_STRONG = 0.8  # a match from the name, an example or the description
_TYPO_CUTOFF = 85
# From six letters on, one slip (a swapped pair too: "recieved") is a typo of a word the assistant uses.
_LONG_TYPO_SIMILARITY = 0.8
_RELATED_FACTOR = 0.8
EXAMPLE_CUTOFF = 88
_VALUE_FACTOR = 0.6  # a value weighs like a fairly rare word
_UNKNOWN_FACTOR = 0.5  # a word no flow uses, in a request (not a question)
T = TypeVar("T")


@dataclass(frozen=True)
class FlowScore:
    flow_id: str
    coverage: float  # 0..1: share of the message's idf mass this flow explains
    hits: int = 1  # distinct message words matched
    strong: bool = True  # at least one came from the name, an example or the description
    completion: float = 0.0  # share of the flow's fillable slots the message's values fill
    name_words: int = 0  # the flow's name words the message uses
    name_left: int = 0  # and those it does not say, not even through a related word
    named: bool = False  # it says the whole name, itself or through related words ("open on christmas day")
    missing: int = 0  # message words and values the flow does not explain
    fits: float = 0.0  # the message's values its slots can hold
    focus: float = 0.0  # share of the flow's own topic (idf-weighted name and description) the message says
    informs: bool = False  # the flow answers or lists something (FlowShape.informs)


@dataclass
class FlowIndex:
    """Built once per assistant (per tuple of flows) and reused for every message."""

    weights: dict[str, dict[str, float]]  # stem -> flow id -> field weight
    idf: dict[str, float]
    vocabulary: list[str]  # stems and the words as the assistant writes them, for typos
    surface: dict[str, str]  # a written word -> its stem ("booking" -> "book")
    examples: list[tuple[str, str]]  # (lower-cased example, flow id)
    unknown_idf: float
    shapes: dict[str, FlowShape]

    @classmethod
    def build(cls, flows: tuple[FlowInfo, ...], slots: tuple[SlotInfo, ...] = ()) -> "FlowIndex":
        weights: dict[str, dict[str, float]] = {}
        examples: list[tuple[str, str]] = []
        user_flows = [f for f in flows if not f.is_pattern]
        by_name = {s.name: s for s in slots}
        value_words: set[tuple[str, str]] = set()
        for flow in user_flows:
            for field_name, words, weight in flow_texts(flow, by_name):
                for word in words:
                    if field_name == "value":
                        value_words.add((word, flow.id))
                    per_flow = weights.setdefault(word, {})
                    per_flow[flow.id] = max(per_flow.get(flow.id, 0.0), weight)
            examples.extend((example.lower(), flow.id) for example in flow.examples)
        for word, per_flow in weights.items():
            for flow_id in per_flow:
                if (word, flow_id) in value_words and per_flow[flow_id] < _STRONG:
                    per_flow[flow_id] = 0.0  # a slot value, even if a collect description repeats it
        n = max(len(user_flows), 1)
        idf = {word: math.log(1 + n / len(per_flow)) for word, per_flow in weights.items()}
        shapes = {f.id: flow_shape(f, by_name) for f in user_flows}
        surface = surface_words(user_flows, weights)
        vocabulary = sorted(set(weights) | set(surface))
        return cls(weights, idf, vocabulary, surface, examples, math.log(1 + n), shapes)

    def known(self, word: str) -> bool:
        """A stem the assistant itself uses."""
        return word in self.weights

    def explains(self, flow_id: str, word: str) -> bool:
        """The flow's own text has this stem (or a typo or a related word of it)."""
        return flow_id in self._lookup(word)[0]

    def example_match(self, message: str, allowed: set[str]) -> str | None:
        """The flow of an NLU example the message (nearly) repeats."""
        choices = [text for text, flow_id in self.examples if flow_id in allowed]
        if not choices:
            return None
        best = process.extractOne(message.lower(), choices, scorer=fuzz.token_sort_ratio, score_cutoff=EXAMPLE_CUTOFF)
        if best is None:
            return None
        return next(flow_id for text, flow_id in self.examples if text == best[0] and flow_id in allowed)

    def score(self, message: str, allowed: set[str], values: tuple[Mention, ...] = (),
              question: bool = False) -> list[FlowScore]:
        """Flows among `allowed` ranked by coverage of the message's content words and values.

        Unknown words count for a flow that collects a thing's name ("order a teddy bear"),
        but not in a question, whose odd words are what it asks about.
        """
        stems = self._query_stems(message, values)
        message_tally = self._tally(stems, allowed)
        value_weight = self.unknown_idf * _VALUE_FACTOR
        # A word the assistant never uses tells nothing about which of its flows is meant, and
        # in a request little about whether one is: users add context ("my car got damaged, I
        # want to make a claim"). In a question the odd words are what it asks about.
        unknown = message_tally.unknown * (1.0 if question else _UNKNOWN_FACTOR)
        total = message_tally.total - message_tally.unknown + unknown + value_weight * len(values)
        # "I'd like a latte" asks for the one flow that takes lattes; a bare "large" answers a
        # question nobody asked, so one value alone starts nothing.
        sentence = len(tokenize(message)) > 1
        ranked = []
        # Words nobody uses, in a request that gives other values too, name a thing ("send a
        # bouquet of flowers worth 40 to Sarah"): a value for a flow that collects a thing's name.
        thing_value = bool(values) and not question and message_tally.unknown > 0
        said = set(stems)
        related = {r for word in said for r in RELATED.get(word, ())}  # "open a claim" says `file_a_claim`
        for flow_id in self._candidates(message_tally, allowed, values, thing_value):
            tally = message_tally.flows.get(flow_id) or _Tally()
            shape = self.shapes[flow_id]
            fits = _fit_count(values, shape.kinds) if values else 0.0
            fits += thing_value and "title" in shape.kinds and fits < len(shape.kinds)
            own_request = sentence and tally.own_values and tally.words == message_tally.words
            thing = 0.0 if question else unknown * shape.thing
            denominator = total + tally.own_soft - tally.neutral
            if (tally.mass or fits >= 2) and denominator > 0:
                coverage = min((tally.mass + value_weight * fits + thing) / denominator, 1.0)
            elif tally.value_words >= 2 or own_request or sentence and tally.own_values:
                # "two small margheritas for pickup", "I'd like a latte": only this flow's values;
                # one value only it takes among other words ("when is breakfast served") is weak evidence
                coverage = tally.neutral / total
            else:
                continue
            if message_tally.words and not tally.words and not fits:
                continue  # only a question word or request verb of its own: "tell me a joke"
            # Strong: a word from its name, examples or description, or a related word and a
            # value it can hold ("I'm looking for The Hobbit"), or two of its slot values.
            completion = fits / len(shape.kinds) if shape.kinds and values else 0.0
            strong = (tally.strongest >= _STRONG or tally.value_words >= 2 or own_request
                      or fits and tally.strongest >= _STRONG * _RELATED_FACTOR or fits >= 3 and completion == 1)
            ranked.append(FlowScore(
                flow_id, coverage, tally.hits, strong,
                completion=completion,
                name_words=len(shape.name_stems & said), name_left=len(shape.name_stems - said - related),
                named=_says_name(shape.name_stems, said, related),
                missing=message_tally.words - tally.words + len(values) - int(fits), fits=fits,
                focus=self._focus(shape, said), informs=shape.informs,
            ))
        return sorted(ranked, key=lambda s: (-s.coverage, s.flow_id))

    def _candidates(self, tally: "_MessageTally", allowed: set[str], values: tuple[Mention, ...],
                    thing: bool) -> list[str]:
        """Flows the message's words point at, and flows whose collect steps take all its values."""
        result = list(tally.flows)
        if len(values) + thing >= 2:
            for flow_id in sorted(allowed - set(result)):
                shape = self.shapes.get(flow_id)
                fits = _fit_count(values, shape.kinds) + (thing and "title" in shape.kinds) if shape else 0
                if shape and len(shape.kinds) >= 2 and fits >= 3:
                    result.append(flow_id)
        return result

    def _focus(self, shape: "FlowShape", stems: set[str]) -> float:
        """How much of what the flow is about the message says: "when are you open?" says more
        of `hours` ("when the bank is open") than of `holiday_hours` ("closed for holidays")."""
        total = sum(self.idf.get(w, 0.0) for w in shape.topic)
        said = sum(self.idf.get(w, 0.0) for w in shape.topic & stems)
        return said / total if total else 0.0

    def _tally(self, stems: list[str], allowed: set[str]) -> "_MessageTally":
        """What each allowed flow explains of the message's words."""
        result = _MessageTally()
        for word in stems:
            hits, weight = self._lookup(word)
            soft = word in SOFT_WORDS or word in REQUEST_VERBS
            if soft:  # only where a flow's own name, description or examples use it (or a related word)
                hits = {f: w for f, w in hits.items() if w >= _STRONG * _RELATED_FACTOR or w == 0.0}
            result.total += 0.0 if soft else weight
            result.words += not soft
            result.unknown += 0.0 if hits else weight
            # A flow's own name ("pesticides") argues for it, not for a flow that only lists it
            # among a slot's values ("product_type: seeds, pesticides, tools").
            named = any(word in self.shapes[f].name_stems for f in hits if f in allowed)
            for flow_id, field_weight in hits.items():
                if flow_id in allowed and not (named and field_weight == 0.0):
                    result.flows.setdefault(flow_id, _Tally()).add(weight, field_weight, soft, len(hits) == 1)
        return result

    def _query_stems(self, message: str, values: tuple[Mention, ...]) -> list[str]:
        """Content stems of the message, minus numbers, values and proper names it does not know."""
        stems, phrases = [], []
        for pattern, replacement in PHRASES:  # the first phrase that reads a span wins
            for match in pattern.finditer(message):
                if all(match.end() <= start or match.start() >= end for start, end in phrases):
                    stems.append(replacement)
                    phrases.append(match.span())
        spans = phrases + [(v.start, v.end) for v in values]
        for position, token in enumerate(tokenize(message)):
            if token.lower in STOP_WORDS or token.lower in NUMBER_WORDS or any(c.isdigit() for c in token.lower):
                continue
            if any(start < token.end and token.start < end for start, end in spans):
                continue
            word = stem(token.lower)
            if position > 0 and token.is_capitalised and token.text != "I" and word not in self.weights:
                continue  # names and titles ("renew Dune") say nothing about the flow
            stems.append(word)
        return list(dict.fromkeys(stems))

    def _lookup(self, word: str) -> tuple[dict[str, float], float]:
        hits = self.weights.get(word)
        if hits is not None:
            related = self._related(word)
            if related:
                hits = {**related, **{f: max(w, related.get(f, 0.0)) if w else w for f, w in hits.items()}}
            return hits, self.idf[word]
        if len(word) >= 5:
            best = process.extractOne(word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=_TYPO_CUTOFF)
            if best is None and len(word) >= 6:
                best = process.extractOne(word, self.vocabulary, scorer=OSA.normalized_similarity,
                                          score_cutoff=_LONG_TYPO_SIMILARITY)
            if best is not None:  # "bookng" is a typo of "booking", whose stem is "book"
                word = self.surface.get(best[0], best[0])
                return self.weights[word], self.idf[word]
        related = self._related(word)
        return (related, self.unknown_idf) if related else ({}, self.unknown_idf)

    def _related(self, word: str) -> dict[str, float]:
        """Hits through a related word ("pay" for a flow that says "send") or another form of the
        word ("windy" for one that says "wind"), weighed down."""
        hits: dict[str, float] = {}
        for other in RELATED.get(word, ()) + derived_forms(word):
            for flow_id, weight in self.weights.get(other, {}).items():
                hits[flow_id] = max(hits.get(flow_id, 0.0), weight * _RELATED_FACTOR)
        return hits


@dataclass
class _MessageTally:
    total: float = 0.0  # idf mass of the message's words (question words and request verbs aside)
    unknown: float = 0.0  # of those no flow knows
    words: int = 0
    flows: dict[str, "_Tally"] = field(default_factory=dict)


@dataclass
class _Tally:
    """What one flow explains of a message."""

    mass: float = 0.0
    hits: int = 0
    strongest: float = 0.0
    neutral: float = 0.0  # words that are only the flow's slot values ("large")
    value_words: int = 0
    own_values: int = 0  # of those, values no other flow's slots can take ("latte" in a café)
    own_soft: float = 0.0  # question words and request verbs this flow's text has
    words: int = 0  # message words (not question words or request verbs) it explains

    def add(self, weight: float, field_weight: float, soft: bool, only_here: bool) -> None:
        self.words += not soft
        if field_weight == 0.0:
            self.neutral += weight
            self.value_words += 1
            self.own_values += only_here
            return
        # A question word or request verb the flow's description uses ("show your contact
        # list", "where their order is") counts in full, and only for that flow.
        self.mass += weight * (min(field_weight / _STRONG, 1.0) if soft else field_weight)
        self.own_soft += weight if soft else 0.0
        self.hits += 1
        self.strongest = max(self.strongest, field_weight)


def _says_name(name: frozenset[str], said: set[str], related: set[str]) -> bool:
    """All of the flow's name, with at least one word itself unless the name has several:
    "farming tools" says `tools`, "open on christmas day" says `holiday_hours`."""
    return bool(name) and name <= said | related and (bool(name & said) or len(name) >= 2)


def _fit_count(values: tuple[Mention, ...], kinds: tuple[str, ...]) -> float:
    """How many of the message's values the flow's slots can hold, one value per slot. A name
    the word before it points elsewhere ("books by Jane Austen" for a title slot) fits by half."""
    free = Counter(kinds)
    fits = 0.0
    for value in values:
        allowed = FITS[value.kind]
        kind = next((k for k in value.hint if free[k] and k in allowed), None)
        kind = kind or next((k for k in allowed if free[k]), None)
        if kind is not None:
            free[kind] -= 1
            fits += 0.5 if value.hint and kind not in value.hint else 1.0
    return fits


class BuildCache(Generic[T]):
    """Values built from an assistant's tuples (flows, slots), kept per key: by default the
    tuples' identity, since the bridge hands out one tuple per guard state."""

    def __init__(self, build: Callable[..., T], size: int = 16, key: Callable[..., Hashable] | None = None) -> None:
        self.build = build
        self.size = size
        self.key = key or (lambda *parts: tuple(id(part) for part in parts))
        self._entries: dict[Hashable, tuple[T, tuple]] = {}
        # One generator serves every try-it chat of an assistant, from several threads at once.
        self._lock = threading.Lock()

    def get(self, *parts: tuple) -> T:
        key = self.key(*parts)
        with self._lock:
            hit = self._entries.get(key)
            if hit is None:
                if len(self._entries) >= self.size:
                    self._entries.pop(next(iter(self._entries)))
                # The tuples are kept with the value so their ids cannot be reused meanwhile.
                hit = self._entries[key] = (self.build(*parts), parts)
            return hit[0]


class IndexCache(BuildCache[FlowIndex]):
    """Lexical indexes per (flows, slots) tuple pair."""

    def __init__(self, size: int = 16) -> None:
        super().__init__(FlowIndex.build, size)
