"""What kind of value a slot holds, and which values a message carries.

A slot's kind is read from everything the assistant says about it: its type, its name, the
collect step's description and the question's text ("a user handle starting with @", "the
name of the gift", "the amount of money"). A message's values (numbers, codes, handles,
e-mails, dates, names) are what a flow's collect steps must be able to hold for the flow to
fit the message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from ..context import CollectInfo, SlotInfo
from .text import identifier_words, stem, tokenize
from .values import DATE, TIME, find_numbers

NUMERIC_TYPES = frozenset({"float", "int", "integer", "number"})
_EMAIL_WORDS = frozenset({"email", "e-mail", "mail"})
_HANDLE_WORDS = frozenset({"handle", "username"})
_MONEY_WORDS = frozenset({"amount", "money", "price", "cost", "sum", "budget", "fee", "income", "expense",
                          "salary", "payment", "dollar", "euro"})
_CODE_WORDS = frozenset({"number", "id", "code", "pin", "phone", "postcode", "zip", "reference", "ref",
                         "tracking", "account", "card", "iban", "digit", "ssn"})
_DATE_WORDS = frozenset({"date", "day", "birthday", "deadline", "when"})
_TIME_WORDS = frozenset({"time", "hour", "clock"})
_ADDRESS_WORDS = frozenset({"address", "street"})
_PLACE_WORDS = frozenset({"city", "destination", "location", "place", "town", "country", "airport"})
_PERSON_WORDS = frozenset({"recipient", "person", "payee", "beneficiary", "contact", "customer", "passenger",
                           "patient", "doctor", "friend", "who", "full", "author", "writer", "artist",
                           "director", "owner", "guest", "employee", "manager", "teacher", "student"})
# "account_type", "payment_method": a category, whatever the other words say.
_CATEGORY_HEADS = frozenset({"type", "kind", "category", "format", "mode", "method", "option", "preference"})
# "product_weight", "event_duration": a measure is a number, whatever is measured.
_MEASURES = frozenset(stem(w) for w in ("weight", "quantity", "duration", "count", "age", "length", "height",
                                         "distance"))
# "reason_for_item_exchange", "delivery_note": what the user says in their own words.
_FREE_TEXT = frozenset(stem(w) for w in ("reason", "note", "comment", "feedback", "message", "detail",
                                         "description", "explanation", "problem", "issue", "symptom"))
_TITLE_WORDS = frozenset({"name", "title", "product", "item", "gift", "company", "brand", "model"})
# "(e.g. fantasy, mystery, romance)", "for example: stocks, bonds or mutual_funds".
_EXAMPLES = re.compile(r"\b(?:e\.g\.|eg\.|for example|such as)\s*:?\s*([^).;?]+)", re.IGNORECASE)
# "checking or savings account", "Checking or savings?": the choices a short text names.
_CHOICES = re.compile(r"\b([A-Za-z]+(?:, [A-Za-z]+)*) or ([A-Za-z]+)\b")
# "one of the following "photography", "videography", "photo_booth"": quoted choices in a row.
_QUOTED = r"[\"“'`]\w[\w \-]{0,30}[\"”'`]"
_QUOTED_LIST = re.compile(rf"{_QUOTED}(?:\s*(?:,|/|\bor\b|\band\b)\s*{_QUOTED})+")
# "(pool, parking, breakfast, gym)", "(standard or suite)": a bracketed list of short choices.
_BRACKETED = re.compile(r"\(([^()]+)\)")
# "the number of guests", "how many nights": a count, whatever is counted.
_COUNT = re.compile(r"\b(?:number|count) of \w+s\b|\bhow many\b", re.IGNORECASE)
HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_][A-Za-z0-9_.]*[A-Za-z0-9_]|(?<![\w@])@[A-Za-z0-9_]")
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Letters and digits together ("XK7P2Q", "CLM-48213"); plain digits are numbers, which
# fit a code slot too.
_CODE = re.compile(r"\b(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\b")


def _words(text: str) -> set[str]:
    return {stem(t.lower) for t in tokenize(identifier_words(text))}


_STEMS = {name: frozenset(stem(w) for w in words) for name, words in {
    "email": _EMAIL_WORDS, "handle": _HANDLE_WORDS, "money": _MONEY_WORDS, "code": _CODE_WORDS,
    "date": _DATE_WORDS, "time": _TIME_WORDS, "address": _ADDRESS_WORDS, "place": _PLACE_WORDS, "person": _PERSON_WORDS,
    "title": _TITLE_WORDS,
}.items()}


def slot_kind(slot: SlotInfo, collect: CollectInfo | None = None) -> str:
    """categorical / number / bool / email / handle / code / date / time (of day) / address / place / name
    (a person) / title (a thing's name) / text: what the slot's value looks like in a message."""
    if slot.type == "categorical" and slot.values:
        return "categorical"
    if slot.type in NUMERIC_TYPES:
        return "number"
    if slot.type in ("bool", "boolean"):
        return "bool"
    return _text_kind(slot.name, f"{slot.description} {collect.description if collect else ''}")


@lru_cache(maxsize=4096)
def _text_kind(slot_name: str, description: str) -> str:
    # The head of the slot's name decides first ("transfer_money_recipient" is a recipient,
    # "amount_of_money" an amount), then its other words, then the description.
    words = identifier_words(slot_name).lower().split()
    head = words[words.index("of") - 1] if "of" in words[1:] else words[-1] if words else ""
    name, about = _words(slot_name), _words(description)
    if "@" in description:
        return "handle"
    if _COUNT.search(description) or name & _MEASURES:
        return "number"
    if head in _CATEGORY_HEADS or name & _FREE_TEXT:
        return "text"
    kind = next((k for k in _ABOUT_ORDER if {stem(head)} & _STEMS[k]), None)
    if kind == "time" and name & _STEMS["date"]:
        return "date"  # "date_time", "delivery_day_time": a date, with its time if given
    if kind is not None:
        return _KIND_OF.get(kind, kind)
    named = _NAME_OF.search(description)
    if named:  # "Name of the object that has to be moved": a thing's name, unless the thing is a person
        return "name" if {stem(named.group(1).lower())} & _STEMS["person"] else "title"
    for group, order in ((name, _ORDER), (about, _ABOUT_ORDER)):
        kind = next((k for k in order if group & _STEMS[k]), None)
        if kind is not None:
            return _KIND_OF.get(kind, kind)
    return "text"


_NAME_OF = re.compile(r"\bname of (?:the |a |an |your |their |this )?(\w+)", re.IGNORECASE)


_ORDER = ("email", "handle", "person", "title", "money", "date", "time", "code", "address", "place")
_ABOUT_ORDER = ("email", "handle", "person", "money", "date", "time", "code", "address", "place")
_KIND_OF = {"person": "name", "money": "number"}


def is_money_slot(slot: SlotInfo) -> bool:
    """A slot for an amount of money ("budget", "amount_of_money", "price")."""
    return bool(_words(slot.name) & _STEMS["money"])


def example_values(slot: SlotInfo, collect: CollectInfo | None, choices: bool = True) -> tuple[str, ...]:
    """Values the assistant gives as examples: "the genre (e.g. fantasy, mystery, sci-fi)", "one of
    the following "photography", "videography"", "(pool, parking, gym)", and with `choices` the
    ones a short text offers ("checking or savings account"), written as listed."""
    found: list[str] = []
    lowered: set[str] = set()
    for text in (slot.description, collect.description if collect else "", collect.question if collect else ""):
        for match in _listed(text or "", choices):
            for part in re.split(r",|\bor\b|\band\b|/", match):
                value = part.strip(" \"'`.:“”")
                if value and len(identifier_words(value).split()) <= 3 and value.lower() not in lowered:
                    found.append(value)
                    lowered.add(value.lower())
    return tuple(found)


def _listed(text: str, choices: bool) -> list[str]:
    parts = [m.group(1) for m in _EXAMPLES.finditer(text)] + [m.group(0) for m in _QUOTED_LIST.finditer(text)]
    for match in _BRACKETED.finditer(text):
        inside = match.group(1)
        items = [p for p in re.split(r",|\bor\b|/", inside) if p.strip()]
        short = all(len(p.split()) <= 3 for p in items) and not _EXAMPLES.search(inside)
        if short and (len(items) >= 3 or " or " in inside):  # not "(numbers only, no letters)"
            parts.append(inside)
    if choices and len(text.split()) <= 12:
        parts += [f"{m.group(1)}, {m.group(2)}" for m in _CHOICES.finditer(text)]
    return parts


# Which slot kinds can hold a value of each kind found in a message, the likeliest first.
FITS = {
    "number": ("number", "code"),
    "code": ("code",),
    "handle": ("handle",),
    "email": ("email",),
    "date": ("date", "time"),  # "friday" for a `booking_time` when the flow asks no date
    "time": ("time", "date"),
    "name": ("name", "place", "title", "text"),
}


# The word before a capitalised name says what it names: "by Agatha Christie", "in Paris".
NAME_HINTS = {
    "to": ("name", "place"), "for": ("name", "title"), "with": ("name",), "from": ("name", "place"),
    "pay": ("name",), "dr": ("name",), "by": ("name",), "in": ("place",), "at": ("place",),
    "near": ("place",), "called": ("title",), "named": ("title",), "titled": ("title",), "of": ("title",),
}


@dataclass(frozen=True)
class Mention:
    kind: str  # a key of FITS
    start: int
    end: int
    hint: tuple[str, ...] = ()  # slot kinds the word before a name points at


def message_values(text: str, known: Callable[[str], bool]) -> tuple[Mention, ...]:
    """Values in a message; `known(stem)` tells the assistant's own words, never a name."""
    taken: list[Mention] = []

    def free(start: int, end: int) -> bool:
        return all(end <= m.start or start >= m.end for m in taken)

    for kind, pattern in (("email", EMAIL), ("handle", HANDLE), ("date", DATE), ("time", TIME), ("code", _CODE)):
        for match in pattern.finditer(text):
            if free(match.start(), match.end()) and not (kind == "date" and known(stem(match.group(0)))):
                taken.append(Mention(kind, match.start(), match.end()))
    taken += [Mention("number", m.start, m.end) for m in find_numbers(text) if free(m.start, m.end)]
    taken += [Mention("name", s, e, _hint(text[:s])) for s, e in _name_runs(text, known, free)]
    return tuple(sorted(taken, key=lambda m: m.start))


def _hint(before: str) -> tuple[str, ...]:
    words = [t.lower for t in tokenize(before)]
    return NAME_HINTS.get(words[-1], ()) if words else ()


def _name_runs(text: str, known: Callable[[str], bool], free) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    tokens = tokenize(text)
    for i, token in enumerate(tokens):
        name = (i > 0 and token.is_capitalised and token.lower not in {"i", "i'm", "i'd", "i'll", "i've"}
                and free(token.start, token.end) and not known(stem(token.lower)))
        if not name:
            continue
        if runs and text[runs[-1][1]:token.start].strip() in ("", "."):
            runs[-1] = (runs[-1][0], token.end)
        elif i >= 2 and tokens[i - 2].lower in POSSESSIVES and not known(stem(tokens[i - 1].lower)):
            runs.append((tokens[i - 1].start, token.end))  # "my colleague Ben": who Ben is
        else:
            runs.append((token.start, token.end))
    return runs


POSSESSIVES = frozenset({"my", "our", "his", "her", "their", "your"})
