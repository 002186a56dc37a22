"""Slot values for a group of slots from one message, without an LLM.

Typed values come first (categorical values, numbers tied to a slot by a nearby word
from its name or description, codes with digits, capitalised names and titles), each
span of the message feeding at most one slot. What is left can become a free-text value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..context import CollectInfo, SlotInfo
from .text import RELATED, STOP_WORDS, content_stems, identifier_words, stem, tokenize
from .kinds import EMAIL, HANDLE, is_money_slot, slot_kind
from .values import DATE, TIME, NumberMention, find_categorical, find_numbers, format_number

# Where an address ends when more follows: "5 High Street on 1 May".
_ADDRESS_END = re.compile(r"\s+(?:on|from|by|starting|next|this|tomorrow|today)\b.*$|[.;!?].*$", re.IGNORECASE)
_CONNECTORS = frozenset({"of", "and", "the", "a", "in", "on", "to", "for", "de", "van", "von", "&"})
_CODE_PART = r"\b[A-Za-z0-9][A-Za-z0-9\-/]*\d[A-Za-z0-9\-/]*|\b\d[A-Za-z0-9\-/]*"
# A leading capitalised prefix belongs to the code: "INS 4471 0098".
_CODE_RUN = re.compile(rf"(?:\b[A-Z]{{2,5}} (?=\d))?(?:{_CODE_PART})(?: (?:{_CODE_PART}))*")
NEGATED = re.compile(r"\b(not|no|isn't|instead of)\s*$", re.IGNORECASE)
_BREAK = re.compile(r"[,;:!?()]")
QUOTED = re.compile(r"[\"“']([^\"”']{2,})[\"”']")
_LEAD_INS = re.compile(
    r"^(?:(?:it'?s|it is|that'?s|that is|this is|i'?m|i am|call me|(?:my|the|our) [\w ]{1,25}? (?:is|are)|"
    r"(?:please )?(?:deliver|send|ship|bring) (?:it )?to|on|at|to|for)\s+)+",
    re.IGNORECASE,
)
_SMALL_WORDS = STOP_WORDS | {"none"}
_TAIL = re.compile(r"[\s,.;:!?]*(?:\b(?:please|thanks|thank you|thx)\b)?[\s,.;:!?]*$", re.IGNORECASE)


@dataclass
class Extraction:
    """Values found so far and the character spans they used."""

    values: dict[str, str] = field(default_factory=dict)
    used: list[tuple[int, int]] = field(default_factory=list)

    def free(self, start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in self.used)

    def take(self, slot: str, value: str, start: int, end: int) -> None:
        self.values[slot] = value
        self.used.append((start, end))


def cue_stems(slot: SlotInfo, collect: CollectInfo | None) -> set[str]:
    text = identifier_words(slot.name) + " " + (collect.description if collect else "")
    return set(content_stems(text)) - {stem("number"), stem("amount")}


def extract_typed(text: str, slots: list[tuple[SlotInfo, CollectInfo | None]], found: Extraction) -> Extraction:
    """Categorical values and slot-tied numbers for `slots`, in that order of confidence."""
    _extract_categorical(text, slots, found)
    _extract_numbers(text, slots, found)
    return found


def _extract_categorical(text: str, slots, found: Extraction) -> None:
    candidates = []
    for slot, collect in slots:
        if slot_kind(slot, collect) == "categorical" and slot.name not in found.values:
            mentions = [m for m in find_categorical(text, slot.values) if not _determiner(text, m.start, m.end)]
            candidates += [(m.score, slot.name, m) for m in mentions[:1]]
    for _, name, mention in sorted(candidates, key=lambda c: -c[0]):
        if name not in found.values and found.free(mention.start, mention.end):
            found.take(name, mention.value, mention.start, mention.end)


def _determiner(text: str, start: int, end: int) -> bool:
    """"are there any Coldplay concerts", "any good rock gigs": a value that is a small word
    (`any`, `other`, `all`) used before another word is no value."""
    return text[start:end].lower() in _SMALL_WORDS and bool(re.match(r"\s+\w", text[end:]))


def _extract_numbers(text: str, slots, found: Extraction) -> None:
    numeric = [(s, c) for s, c in slots if slot_kind(s, c) == "number" and s.name not in found.values]
    if not numeric:
        return
    mentions = [m for m in find_numbers(text) if found.free(m.start, m.end)]
    words = tokenize(text)
    for mention in mentions:
        slot = _slot_for_number(mention, words, numeric)
        if slot is not None:
            found.take(slot.name, format_number(mention.value), mention.start, _cue_end(mention, words))
            numeric = [(s, c) for s, c in numeric if s.name != slot.name]


def _slot_for_number(mention: NumberMention, words, numeric) -> SlotInfo | None:
    near = _nearby_stems(mention, words)
    for slot, collect in numeric:
        if near & cue_stems(slot, collect):
            return slot
        if mention.currency and is_money_slot(slot):
            return slot
    return None


def _nearby_stems(mention: NumberMention, words) -> set[str]:
    before = [w for w in words if w.end <= mention.start][-3:]
    after = [w for w in words if w.start >= mention.end][:3]
    near = {stem(w.lower) for w in before + after}  # "5000 a month": a slot's cue may be a small word
    return near | {r for w in near for r in RELATED.get(w, ())}  # "I earn 5000": the income


def _cue_end(mention: NumberMention, words) -> int:
    # "3 weeks": the unit word belongs to the value, so it is not left for free text.
    after = [w for w in words if w.start >= mention.end][:1]
    return after[0].end if after and after[0].lower not in STOP_WORDS else mention.end


def extract_lone_number(text: str, slot: SlotInfo, found: Extraction) -> None:
    """The only number left goes to the only numeric slot (`two small margheritas`)."""
    mentions = [m for m in find_numbers(text) if found.free(m.start, m.end)]
    if len(mentions) == 1 and slot.name not in found.values:
        m = mentions[0]
        found.take(slot.name, format_number(m.value), m.start, m.end)


def extract_code(text: str, found: Extraction) -> tuple[str, int, int] | None:
    for match in _CODE_RUN.finditer(text):
        if found.free(match.start(), match.end()):
            return match.group(0), match.start(), match.end()
    return None


def extract_proper_name(
    text: str, found: Extraction, allow_first: bool, current: Any = None
) -> tuple[str, int, int] | None:
    """A quoted string, else the last run of capitalised words (`The Left Hand of Darkness`).

    A run after "not" and the slot's current value are skipped: "Peter, not Paul" is Peter.
    """
    quoted = QUOTED.search(text)
    if quoted and found.free(quoted.start(1), quoted.end(1)):
        return quoted.group(1).strip(), quoted.start(1), quoted.end(1)
    runs = [
        run for run in capitalised_runs(text, found, allow_first)
        if not NEGATED.search(text[: run[1]]) and run[0] != current
    ]
    return runs[-1] if runs else None


def capitalised_runs(text: str, found: Extraction, allow_first: bool) -> list[tuple[str, int, int]]:
    tokens = tokenize(text)
    runs, current = [], []
    for i, token in enumerate(tokens):
        capital = token.is_capitalised and token.lower not in {"i", "i'm", "i'd", "i'll", "i've"}
        capital = capital and (i > 0 or allow_first) and found.free(token.start, token.end)
        if current and _BREAK.search(text[current[-1].end : token.start]):
            runs.append(current)  # "Lisa Brown, Tom": a comma ends a name
            current = []
        if capital:
            current.append(token)
        elif current and token.lower in _CONNECTORS and _next_capitalised(tokens, i):
            current.append(token)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    while runs and runs[-1] and runs[-1][-1].lower in _CONNECTORS:
        runs[-1].pop()
    return [_possessive_stripped(text, r[0].start, r[-1].end) for r in runs if r]


def _possessive_stripped(text: str, start: int, end: int) -> tuple[str, int, int]:
    # "Olivia's account": the name is Olivia.
    value = text[start:end]
    if value.lower().endswith("'s"):
        value = value[:-2]
    return value, start, end


def _next_capitalised(tokens, i: int) -> bool:
    return any(t.is_capitalised for t in tokens[i + 1 : i + 3]) and not tokens[i + 1].lower in {"i"}


def extract_address(text: str, found: Extraction) -> tuple[str, int, int] | None:
    """From the first house number to the end of the message (`5 Baker Street, Leeds`)."""
    for token in tokenize(text):
        if token.lower[:1].isdigit() and found.free(token.start, token.end):
            value = _TAIL.sub("", _ADDRESS_END.sub("", text[token.start :]))
            return value, token.start, token.start + len(value)
    return None


def extract_pattern(pattern: re.Pattern, text: str, found: Extraction) -> tuple[str, int, int] | None:
    for match in pattern.finditer(text):
        if found.free(match.start(), match.end()):
            return match.group(0), match.start(), match.end()
    return None


def extract_date(text: str, found: Extraction) -> tuple[str, int, int] | None:
    """A date as the user wrote it: `2025-07-01`, `3rd of August`, `May 1`, `next Monday`."""
    return extract_pattern(DATE, text, found)


def extract_when(text: str, found: Extraction) -> tuple[str, int, int] | None:
    """A time of day with the day it falls on, when they are written together and not taken
    ("7:30pm tomorrow", "friday at 8pm", "tomorrow"): what a slot for a time holds in a flow
    that asks no date of its own (a flow that does takes the date first)."""
    spans = sorted((m.start(), m.end()) for pattern in (TIME, DATE) for m in pattern.finditer(text)
                   if found.free(m.start(), m.end()))
    if not spans:
        return None
    timed = [span for span in spans if TIME.fullmatch(text, *span)]
    start, end = (timed or spans)[0]
    for other_start, other_end in spans:
        between = text[end:other_start]
        if other_start >= end and _JOINS.fullmatch(between):
            end = other_end
    for other_start, other_end in reversed(spans):
        between = text[other_end:start]
        if other_end <= start and _JOINS.fullmatch(between):
            start = other_start
    return text[start:end], start, end


_JOINS = re.compile(r"\s*(?:,|at|on|@)?\s*", re.IGNORECASE)


def typed_text(kind: str, text: str, found: Extraction, allow_first: bool) -> tuple[str, int, int] | None:
    """The value of a text-like slot of this kind, if the message has one that looks right."""
    if kind == "code":
        return extract_code(text, found)
    if kind in ("name", "place", "title"):
        span = extract_proper_name(text, found, allow_first)
        return _with_model_number(text, span) if kind == "title" and span else span
    if kind == "address":
        return extract_address(text, found)
    if kind == "date":
        return extract_date(text, found)
    if kind == "time":
        return extract_when(text, found)
    if kind == "email":
        return extract_pattern(EMAIL, text, found)
    if kind == "handle":
        return extract_pattern(HANDLE, text, found)
    return None


def _with_model_number(text: str, span: tuple[str, int, int]) -> tuple[str, int, int]:
    """"Ibuprofen 400mg", "PlayStation 5": a thing's name ends in its model or strength, when
    that number ends the message ("Hamlet 2 tickets" is two tickets for Hamlet)."""
    _, start, end = span
    tail = _MODEL_NUMBER.match(text, end)
    return (text[start:tail.end(1)], start, tail.end(1)) if tail else span


_MODEL_NUMBER = re.compile(r"\s+(\d[\w-]*(?:\.\d+[\w-]*)?)\s*[.!?]?\s*$")


def free_text(text: str, found: Extraction) -> str:
    """The message minus used spans, lead-ins (`it's`, `my name is`) and politeness."""
    kept, cursor = [], 0
    for start, end in sorted(found.used):
        kept.append(text[cursor:start])
        cursor = max(cursor, end)
    kept.append(text[cursor:])
    remaining = re.sub(r"\s+", " ", " ".join(kept)).strip(" ,.;:!?-")
    remaining = _LEAD_INS.sub("", remaining)
    remaining = _TAIL.sub("", remaining)
    remaining = re.sub(r"(?:\s+\b(?:as|for|with|in|and|by|an?|the)\b)+\s*$", "", remaining, flags=re.IGNORECASE)
    return remaining.strip(" ,.;:!?\"'")
