"""The values a message gives for the slots of the flow it starts.

Typed values first (categorical values, numbers, e-mails, handles, codes, dates,
addresses), then capitalised names, each going to the slot a nearby word points at
("for Emma" is a person, "called Holiday Fund" a title), then a thing's name from the words
the flow's own vocabulary does not explain ("order a teddy bear for 25 euros").
"""

from __future__ import annotations

import re
from typing import Callable

from ..context import CollectInfo, SlotInfo
from .extract import NEGATED, QUOTED, Extraction, capitalised_runs, extract_lone_number, extract_typed, typed_text
from .kinds import NAME_HINTS, POSSESSIVES, example_values, slot_kind
from .values import find_categorical, find_numbers
from .text import RELATED, REQUEST_VERBS, SOFT_WORDS, STOP_WORDS, content_stems, identifier_words, squash, stem, tokenize

Slots = list[tuple[SlotInfo, CollectInfo]]
_TYPED = ("email", "handle", "code", "date", "time", "address")  # a date before a time of day
_NAMED = ("name", "place", "title")
_CONNECTORS = frozenset({"of", "and", "&"})
_BREAK = re.compile(r"[,;:!?]")
_DETERMINERS = frozenset({"a", "an", "the", "my", "your", "our", "some", "any", "best", "new", "good"})
_GENERIC = frozenset(stem(w) for w in ("name", "the", "user", "person", "type", "number", "value"))


def flow_start_values(text: str, slots: Slots, explained: Callable[[str], bool], topic: frozenset[str],
                      found: Extraction, name: frozenset[str] = frozenset()) -> None:
    """Fill `found` with values for `slots`; `explained(stem)` tells the flow's own words,
    `topic` the stems of its name and description, `name` the words of its id and name."""
    kinds = {slot.name: slot_kind(slot, collect) for slot, collect in slots}
    _skip_negated_numbers(text, found)
    _codes_by_cue(text, [(s, c) for s, c in slots if kinds[s.name] in ("code", "number")], kinds, found)
    extract_typed(text, slots, found)
    numeric = [slot for slot, _ in slots if kinds[slot.name] == "number"]
    if len(numeric) == 1:
        extract_lone_number(text, numeric[0], found)
    _example_values(text, slots, kinds, name, found)
    for kind in _TYPED:
        for slot, _ in slots:
            if kinds[slot.name] == kind and slot.name not in found.values:
                span = typed_text(kind, text, found, allow_first=False)
                # "a room for 3": a short plain number is a count, a code only next to its cue (above).
                if span and not (kind == "code" and span[0].isdigit() and len(span[0]) < 4):
                    found.take(slot.name, *span)
    named = [(s, c) for s, c in slots if kinds[s.name] in _NAMED]
    # A name can answer a free-text slot too ("a book by Agatha Christie" for `author`),
    # when the flow has no slot made for names.
    _names(text, named or [(s, c) for s, c in slots if kinds[s.name] == "text"], kinds, found, topic)
    _things(text, [(s, c) for s, c in slots if kinds[s.name] in ("title", "text")], kinds, (explained, topic), found)


def _skip_negated_numbers(text: str, found: Extraction) -> None:
    """"4 people now instead of 2": the number after "instead of" or "not" is no value."""
    for mention in find_numbers(text):
        if NEGATED.search(text[: mention.start]):
            found.used.append((mention.start, mention.end))


def _codes_by_cue(text: str, slots: Slots, kinds: dict[str, str], found: Extraction) -> None:
    """"move booking 558201", "favourite number 3": a number right after a word of a code slot's
    own name (or a related word) that no other slot for numbers has is that code, before a count
    or an amount takes it ("move 80 from savings" says nothing of `move_from_account`)."""
    for slot, collect in slots:
        others = {w for s, c in slots if s.name != slot.name for w in _own_words(s, c)}
        cues = _own_words(slot, collect) - others
        if kinds[slot.name] != "code" or not cues:
            continue
        for mention in find_numbers(text):
            before = [stem(t.lower) for t in tokenize(text[: mention.start]) if stem(t.lower) not in _GENERIC][-1:]
            near = set(before) | {r for w in before for r in RELATED.get(w, ())}
            value = text[mention.start:mention.end]
            if (near & cues and value.isdigit() and not mention.currency
                    and found.free(mention.start, mention.end) and slot.name not in found.values):
                found.take(slot.name, value, mention.start, mention.end)


def _example_values(text: str, slots: Slots, kinds: dict[str, str], name: frozenset[str],
                    found: Extraction) -> None:
    """"fantasy books" for a genre slot described "(e.g. fantasy, mystery, romance)"; "from
    checking to savings" for slots described "source/destination account - checking or savings";
    "a photographer" for one that maps to "photography", "videography". The value is written as listed."""
    tokens = tokenize(text)
    for slot, collect in slots:
        if kinds[slot.name] not in ("text", "title", "code", "name", "place") or slot.name in found.values:
            continue
        # Listed choices, not the flow's own name ("a note to identify the payee or purpose" in add_payee);
        # "recipient name or account" offers no choice of people.
        listed = example_values(slot, collect, choices=kinds[slot.name] != "name")
        listed = tuple(v for v in listed if not set(identifier_words(v).lower().split()) & name)
        wanted = {squash(v): v for v in listed}
        spans = [(tokens[i].start, tokens[i + n - 1].end, i) for n in (3, 2, 1)
                 for i in range(len(tokens) - n + 1)]
        direction = _direction(slot, collect)
        # The span right after the slot's own preposition first ("from checking" is the source).
        spans.sort(key=lambda s: not (direction and s[2] > 0 and tokens[s[2] - 1].lower == direction))
        for start, end, _ in spans:
            if squash(text[start:end]) in wanted and found.free(start, end) and slot.name not in found.values:
                found.take(slot.name, wanted[squash(text[start:end])], start, end)
        mention = next((m for m in find_categorical(text, listed) if found.free(m.start, m.end)), None)
        if mention is not None and slot.name not in found.values:
            found.take(slot.name, mention.value, mention.start, mention.end)


def _direction(slot: SlotInfo, collect: CollectInfo) -> str | None:
    """"from" for a source slot (`transfer_from_account`, "source account"), "to" for a
    destination one; None for others."""
    said = {t.lower for t in tokenize(collect.description or "")} & {"source", "origin", "destination", "target"}
    words = set(identifier_words(slot.name).lower().split()) | said
    if words & {"from", "source", "origin"}:
        return "from"
    if words & {"to", "destination", "target"}:
        return "to"
    return None



def _names(text: str, slots: Slots, kinds: dict[str, str], found: Extraction, topic: frozenset[str]) -> None:
    quoted = QUOTED.search(text)
    titles = [s for s, _ in slots if kinds[s.name] == "title"]
    if quoted and titles and found.free(quoted.start(1), quoted.end(1)):
        found.take(titles[0].name, quoted.group(1).strip(), quoted.start(1), quoted.end(1))
    for value, start, end in capitalised_runs(text, found, allow_first=False):
        if all(stem(t.lower) in topic for t in tokenize(value)):
            continue  # "an HR emergency" for "Handle urgent HR requests": the flow's own word, not a name
        open_slots = [(s, c) for s, c in slots if s.name not in found.values]
        slot = _slot_for_name(text[:start], open_slots, kinds)
        if slot is not None:
            found.take(slot.name, value, _relation_start(text, start), end)


def _slot_for_name(before: str, slots: Slots, kinds: dict[str, str]) -> SlotInfo | None:
    if not slots:
        return None
    words = [t.lower for t in tokenize(before) if t.lower not in ("a", "an", "the")][-3:]
    near = {stem(w) for w in words[-1:]} - _GENERIC
    for slot, collect in slots:  # a word of the slot itself right before: "reserve Dune"
        if near & _own_words(slot, collect):
            return slot
    if words and words[-1] in ("is", "are") and len(words) >= 2:
        for slot, collect in slots:
            if stem(words[-2]) in _own_words(slot, collect) | {"name"} and kinds[slot.name] == "name":
                return slot
    related = len(words) >= 2 and words[-2] in POSSESSIVES  # "my dad Frank", "my sister Mia"
    preferred = ("name",) if related else NAME_HINTS.get(words[-1], ()) if words else ()
    for kind in preferred:
        match = next((s for s, _ in slots if kinds[s.name] == kind), None)
        if match is not None:
            return match
    # "weather for Vienna": no slot of the kind the word before points at, so any will do.
    return slots[0][0] if not preferred or not _has_kinds(slots, kinds, preferred) else None


def _has_kinds(slots: Slots, kinds: dict[str, str], wanted) -> bool:
    return any(kinds[s.name] in wanted for s, _ in slots)


def _relation_start(text: str, start: int) -> int:
    """Where "my dad Frank" starts, so that "dad" is not read as a thing's name."""
    before = tokenize(text[:start])
    if len(before) >= 2 and before[-2].lower in POSSESSIVES:
        return before[-1].start
    return start


def _own_words(slot: SlotInfo, collect: CollectInfo) -> set[str]:
    return set(content_stems(identifier_words(slot.name))) - _GENERIC


def _things(text: str, slots: Slots, kinds: dict[str, str], flow_words, found: Extraction) -> None:
    """A thing's name from the words nothing else explains; a text slot only next to its cue
    (a word of the slot's own name that is not the flow's topic: "the marketing department")."""
    explained, topic = flow_words
    for slot, collect in slots:
        if slot.name in found.values:
            continue
        runs = _unexplained_runs(text, explained, topic, found)
        if kinds[slot.name] == "text":
            runs = [r for r in runs if _next_to_cue(text, r, _own_words(slot, collect))]
        if runs:
            # The longest, the later on a tie: "a birthday gift for Lucy, a scarf" is a scarf.
            start, end = max(runs, key=lambda r: (len(text[r[0]:r[1]].split()), r[0]))
            found.take(slot.name, text[start:end], start, end)


def _unexplained_runs(text: str, explained, topic, found: Extraction) -> list[tuple[int, int]]:
    runs: list[list] = [[]]
    tokens = tokenize(text)
    for i, token in enumerate(tokens):
        word = token.lower
        if (word not in STOP_WORDS and not token.is_number and found.free(token.start, token.end)
                and not _flow_word(stem(word), explained)
                and not (i + 1 < len(tokens) and stem(tokens[i + 1].lower) in topic)):
            # (a word right before the flow's topic is its modifier: "a cheap hotel")
            runs[-1].append(token)
        elif not (runs[-1] and word in _CONNECTORS):
            runs.append([])
        elif runs[-1]:
            runs[-1].append(token)
        if _BREAK.match(text[token.end : token.end + 1]):
            runs.append([])
    for run in runs:
        while run and run[-1].lower in _CONNECTORS:
            run.pop()
    return [(_modifier_start(text, tokens, run[0], found), run[-1].end) for run in runs if run]


def _modifier_start(text: str, tokens, first, found: Extraction) -> int:
    """"the best baby monitor": a content word right before the run belongs to it."""
    i = tokens.index(first)
    if i > 1 and tokens[i - 2].lower in _DETERMINERS and tokens[i - 1].lower not in STOP_WORDS \
            and not tokens[i - 1].is_number \
            and found.free(tokens[i - 1].start, first.start) and not _BREAK.search(text[tokens[i - 1].end:first.start]) \
            and stem(tokens[i - 1].lower) not in REQUEST_VERBS:
        return tokens[i - 1].start
    return first.start


def _flow_word(word: str, explained) -> bool:
    return word in REQUEST_VERBS or word in SOFT_WORDS or explained(word)


def _next_to_cue(text: str, run: tuple[int, int], cues: set[str]) -> bool:
    """"the marketing department", "a video about X", "because of a sore throat": the run
    touches its cue (or a word related to it), with only small words between."""
    near = [t.lower for t in tokenize(text[run[1]:])][:1]
    for token in reversed(tokenize(text[: run[0]])[-3:]):
        near.append(token.lower)
        if token.lower not in STOP_WORDS:
            break
    stems = {stem(w) for w in near}
    return bool((stems | {r for w in stems for r in RELATED.get(w, ())}) & cues)
