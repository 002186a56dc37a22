"""Which flow a message starts: the flows its words and values point at, ranked by how much
of the message each explains (flows.py), then rules for the close calls.

A flow passes with enough coverage and strong evidence (its name, description or examples). Of
the flows that pass, the one leaving least of the message unexplained wins; flows still equal are
asked about. When none passes: a sentence of context and a sentence asking for a flow are taken
apart; a question goes to the one flow that answers what it asks; then the flow the message is
nearest in meaning (meaning.py), when clearly nearest; a request in a small assistant goes to the
one flow it points at, however weakly; a bare person's name to the one flow for a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..context import UnderstandingContext
from .flows import BuildCache, FlowIndex, FlowScore, IndexCache
from .kinds import message_values
from .meaning import FlowMeanings, Nearest, has_meaning
from .phrases import is_question, is_request, is_small_talk, social_intent

_SENTENCE_BREAK = re.compile(r"\s*[,;.!?]+\s+|\s*[.!?]+$")


@dataclass(frozen=True)
class Thresholds:
    """Share of a message's meaningful words a flow must explain to be started."""

    statement: float = 0.5
    question: float = 0.6
    clarify_ratio: float = 0.9
    completion_ratio: float = 0.75
    named: float = 0.25  # a flow whose whole name the message says
    weak: float = 0.15  # the only flow a request points at, without strong evidence, in a small assistant
    small_assistant: int = 3  # startable flows
    answer: float = 0.3  # a question about the topic of one flow that answers it
    # Cosine of a message and a flow's nearest own text (meaning.py) that starts the flow when
    # no word does, and how much nearer it must be than any other flow's. Chosen on the tuning
    # sets' first turns and 30 out-of-scope messages sent to each tuning assistant: by meaning
    # alone, 1.9 % of those would start a flow, and 51 % of the tuning turns would, 96 % of them
    # the right one.
    meaning: float = 0.55
    meaning_margin: float = 0.08


@dataclass(frozen=True)
class Choice:
    flow_ids: tuple[str, ...]  # one to start, several to clarify between, or none
    note: str | None = None  # for the inspector, when the flow was chosen by meaning


class FlowPicker:
    """Flow choice for one assistant's messages; indexes come from the generator's caches."""

    def __init__(self, thresholds: Thresholds, indexes: IndexCache,
                 meanings: BuildCache[FlowMeanings] | None = None) -> None:
        self.thresholds = thresholds
        self._indexes = indexes
        self._meanings = meanings

    def index(self, context: UnderstandingContext) -> FlowIndex:
        return self._indexes.get(context.flows, context.slots)

    def rank(self, text: str, context: UnderstandingContext) -> list[FlowScore]:
        allowed = {f.id for f in context.startable_flows() if f.id != context.active_flow}
        index = self.index(context)
        example = index.example_match(text, allowed)
        if example is not None:
            return [FlowScore(example, coverage=1.0, hits=2, strong=True)]
        return index.score(text, allowed, message_values(text, index.known), question=_asks(text))

    def pick(self, text: str, context: UnderstandingContext) -> list[str]:
        """One flow id to start, two or more to clarify between, or none, by the message's words alone."""
        return list(self.choose(text, context, meaning=False).flow_ids)

    def choose(self, text: str, context: UnderstandingContext, *, meaning: bool = True) -> "Choice":
        """The flows to start or clarify between, with how they were chosen when not by their words.
        `meaning`: when no flow's words suffice, the flow nearest in meaning before the one a word
        weakly points at."""
        picked = self._pick(text, context)
        if picked:
            return Choice(tuple(picked))
        # "my kitchen got flooded last night, I want to file a claim": context, then the
        # request; the one clause that asks for a flow decides when the others ask for none.
        clauses = [c for c in _SENTENCE_BREAK.split(text) if c.strip()]
        picks = [p for p in (self._pick(c, context) for c in clauses) if p] if len(clauses) > 1 else []
        if len(picks) == 1:
            return Choice(tuple(picks[0]))
        meant = self._meant(text, context) if meaning else None
        if meant is not None and not _can_start(meant.flow_id, context):
            # It means a flow the user cannot start now ("my car broke down" without roadside
            # cover): no weaker reason starts another.
            return Choice(())
        if meant is not None:
            ahead = f"{meant.margin:.2f} ahead of the next flow" if meant.others else "no other flow to tell it from"
            return Choice((meant.flow_id,), f"{meant.flow_id} by meaning, not by its words: its own texts are nearest "
                                            f"the message (similarity {meant.similarity:.2f}, {ahead})")
        return Choice(tuple(self._weak_pick(text, context)))

    def _meant(self, text: str, context: UnderstandingContext) -> Nearest | None:
        """The flow a request means though too few of its words are the flow's own ("storm
        wrecked my roof, I want my insurer to pay" for `file_claim`): the one whose own texts
        it is nearest in meaning, by a margin, among all the assistant's flows (the caller starts
        none when that one cannot start now). Not for an answer to the question being asked, nor
        small talk, nor a question that an assistant with knowledge search answers."""
        if self._meanings is None or not _may_ask_for_a_flow(text, context) or not has_meaning(text):
            return None
        if context.search_enabled and _asks(text):
            return None
        nearest = self._meanings.get(context.flows).nearest(text, {f.id for f in context.user_flows()})
        if nearest is None or nearest.similarity < self.thresholds.meaning:
            return None
        return nearest if nearest.margin >= self.thresholds.meaning_margin else None

    def _pick(self, text: str, context: UnderstandingContext) -> list[str]:
        ranked = self.rank(text, context)
        question = _asks(text)
        passing = self._passing(ranked, question)
        if not passing:
            return self._answer_flow(ranked, text, context) if question else []
        best = passing[0]
        # A flow the message's values complete, or whose whole name it says, stays in the
        # running a little longer; so does one whose whole name it says when the best explains
        # none of its own name ("I need pesticides for my farm": not product_inquiry for "farm").
        close = [
            s for s in passing
            if s.coverage >= best.coverage * self.thresholds.clarify_ratio
            or (s.completion > best.completion or s.named and not best.named)
            and s.coverage >= best.coverage * self.thresholds.completion_ratio
            or s.named and not best.name_words
        ]
        top = max(_tie_key(s, question) for s in close)
        close_ids = [s.flow_id for s in close if _tie_key(s, question) == top]
        return close_ids[:3]

    def _passing(self, ranked: list[FlowScore], question: bool) -> list[FlowScore]:
        """Flows with strong evidence that explain enough of the message. A question that shares
        one incidental word with a flow ("any books by ...?") is a knowledge question: it needs
        two matching words or values, or nothing else. A message that says a flow's whole name
        asks for it, whatever else it tells ("do you sell maize seeds?")."""
        threshold = self.thresholds.question if question else self.thresholds.statement
        return [
            s for s in ranked
            if s.strong and (s.coverage >= threshold and (not question or s.hits + s.fits >= 2 or s.missing == 0)
                             or s.named and s.coverage >= self.thresholds.named)
        ]

    def _answer_flow(self, ranked: list[FlowScore], text: str, context: UnderstandingContext) -> list[str]:
        """A question about what one answering flow covers ("is there parking?" and a flow that
        provides information about parking, pool and meals) starts it, when no other answering
        flow shares its words ("is there wifi in the library?" with library hours and library
        fines asks neither) and it explains enough of the question; a question that only names
        a value ("is Norah Jones playing soon?") starts the one answering flow made for it."""
        index = self.index(context)
        if not ranked:
            made_for = _made_for(message_values(text, index.known), context, index)
            return [f for f in made_for if index.shapes[f].informs]
        answering = [s for s in ranked if s.informs]
        if len(answering) > 1 and answering[1].coverage * 2 > answering[0].coverage:
            return []
        return [answering[0].flow_id] if answering and answering[0].coverage >= self.thresholds.answer else []

    def _weak_pick(self, text: str, context: UnderstandingContext) -> list[str]:
        """Weak evidence for one flow only still picks it: a request (not a question, not an
        answer to the question being asked, not small talk) nearly always means one of the
        assistant's flows."""
        if _asks(text) or not _may_ask_for_a_flow(text, context):
            return []
        # Among all the assistant's flows: "place a hold on a book" is for a flow the user cannot
        # start now, not a weak reason for another one.
        index = self.index(context)
        allowed = {f.id for f in context.user_flows()}
        values = message_values(text, index.known)
        ranked = index.score(text, allowed, values)
        if not ranked:
            return _made_for(values, context, index)
        if len(ranked) > 1 and ranked[1].coverage * 2 > ranked[0].coverage:
            return []
        best = ranked[0]
        startable = _can_start(best.flow_id, context)
        # With three flows a request nearly always means one of them; with twenty it may mean none.
        small = len(context.startable_flows()) <= self.thresholds.small_assistant
        return [best.flow_id] if startable and small and best.coverage >= self.thresholds.weak else []


def _made_for(values, context: UnderstandingContext, index: FlowIndex) -> list[str]:
    """"I want to see Taylor Swift live": nothing the assistant says, only a bare name; the one
    flow with a slot for a person is meant. A date says when, not what ("a good movie for
    tonight"), and a name after "to", "in", "of" may be a place or a thing ("a flight to Paris")."""
    if not values or any(v.kind != "name" or v.hint for v in values):
        return []
    fitting = [f.id for f in context.startable_flows()
               if f.id != context.active_flow and f.id in index.shapes and "name" in index.shapes[f.id].kinds]
    return fitting if len(fitting) == 1 else []


def _may_ask_for_a_flow(text: str, context: UnderstandingContext) -> bool:
    """Not the answer to the question being asked, not small talk."""
    return not (context.collecting_slot or social_intent(text) or is_small_talk(text))


def _can_start(flow_id: str, context: UnderstandingContext) -> bool:
    """The flow a message points at, among all the assistant's flows, is one the user can start now."""
    return flow_id != context.active_flow and flow_id in {f.id for f in context.startable_flows()}


def _asks(text: str) -> bool:
    """A question for information, not a request put as one ("can you reserve ...?")."""
    return is_question(text) and not is_request(text)


def _tie_key(score: FlowScore, question: bool) -> tuple:
    """Equally relevant flows: the one that leaves none of the message's words and values
    unexplained, then the one the message's values complete, then the one that explains more
    of its words, then one that answers for a question and one that acts for a request ("make
    a booking" adds one, "what have I booked?" lists them), then the one whose name it uses most
    and leaves least of ("who is in my contact list?" lists; it adds nothing), then the one
    whose own topic it says most of. Flows still equal after all that are asked about."""
    return (-score.missing, score.completion, score.hits, score.informs == question, score.name_words,
            -score.name_left, round(score.focus, 2))
