"""Slot values in a user message: numbers, booleans, categorical values, free text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from .text import Token, squash, tokenize

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
NUMBER_WORDS = frozenset(_UNITS) | frozenset(_SCALES) | {"couple", "pair", "dozen", "half"}
_IDIOMS = {
    ("a", "couple"): 2, ("a", "pair"): 2, ("a", "dozen"): 12, ("half", "a", "dozen"): 6,
    ("a", "hundred"): 100, ("a", "thousand"): 1000,
}
_ARTICLES = frozenset({"a", "the", "this", "that", "which", "each", "every", "another", "any"})
_CURRENCY_SIGNS = frozenset("$€£")
_CURRENCY_WORDS = frozenset({"dollar", "dollars", "euro", "euros", "pound", "pounds", "bucks", "usd", "eur", "gbp"})

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# A date as users write it: `2025-07-01`, `3rd of August`, `May 1`, `next Monday`.
DATE = re.compile(
    rf"\b(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[/.]\d{{1,2}}(?:[/.]\d{{2,4}})?|"
    rf"{_DAY}(?: of)? {_MONTH}(?:,? \d{{4}})?|{_MONTH} {_DAY}(?:,? \d{{4}})?|"
    rf"today|tomorrow|tonight|(?:next|this) (?:{_WEEKDAY}|weekend|week)|{_WEEKDAY})\b",
    re.IGNORECASE,
)

# A time of day as users write it: `7:30pm`, `7 pm`, `19:00`, `noon`, `half past 6`.
TIME = re.compile(
    r"\b(?:\d{1,2}(?::\d{2})?\s?(?:[ap]\.?m\b\.?)|\d{1,2}:\d{2}\b|noon\b|midnight\b|"
    r"(?:half|quarter) (?:past|to) \d{1,2}\b)",
    re.IGNORECASE,
)

# A number on its own: not part of a code (SW1A), a date (2025-07-01) or a decimal's tail.
_DIGITS = re.compile(r"(?<![\w.\-/])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w\-/]|\.\d)")


@dataclass(frozen=True)
class NumberMention:
    value: float
    start: int  # character offsets in the message
    end: int
    currency: bool = False

    @property
    def text(self) -> str:
        return format_number(self.value)


def format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@lru_cache(maxsize=1024)
def find_numbers(text: str) -> tuple[NumberMention, ...]:
    """Digits (`50`, `$50`, `1,000`, `2.5`), number words (`fifty`, `twenty five`) and idioms."""
    found = [_digit_mention(text, m) for m in _DIGITS.finditer(text)]
    found.extend(_word_mentions(text, tokenize(text)))
    return tuple(sorted(found, key=lambda m: m.start))


def _digit_mention(text: str, match: re.Match) -> NumberMention:
    start, end = match.span(1)
    before = text[:start].rstrip()
    after = text[end:].lstrip().lower()
    currency = bool(before and before[-1] in _CURRENCY_SIGNS) or after.split(" ", 1)[0] in _CURRENCY_WORDS
    return NumberMention(float(match.group(1).replace(",", "")), start, end, currency)


def _word_mentions(text: str, tokens: tuple[Token, ...]) -> list[NumberMention]:
    mentions: list[NumberMention] = []
    i = 0
    while i < len(tokens):
        idiom = _idiom_at(tokens, i)
        if idiom:
            length, value = idiom
            mentions.append(NumberMention(value, tokens[i].start, tokens[i + length - 1].end))
            i += length
            continue
        j, value = _number_words_at(tokens, i)
        if j > i and not _is_pronoun_one(tokens, i, j):
            mentions.append(NumberMention(value, tokens[i].start, tokens[j - 1].end, _currency_after(tokens, j)))
            i = j
            continue
        i += 1
    return mentions


def _idiom_at(tokens: list[Token], i: int) -> tuple[int, int] | None:
    for words, value in _IDIOMS.items():
        if tuple(t.lower for t in tokens[i : i + len(words)]) == words:
            return len(words), value
    return None


def _number_words_at(tokens: list[Token], i: int) -> tuple[int, float]:
    """Longest run of number words from i: `one hundred and twenty five` -> 125."""
    total, current, j = 0, 0, i
    while j < len(tokens):
        word = tokens[j].lower
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _SCALES and j > i:
            current = max(current, 1) * _SCALES[word]
            if _SCALES[word] >= 1000:
                total, current = total + current, 0
        elif word == "and" and j > i and j + 1 < len(tokens) and tokens[j + 1].lower in _UNITS:
            pass
        else:
            break
        j += 1
    return j, float(total + current)


def _is_pronoun_one(tokens: list[Token], i: int, j: int) -> bool:
    # "the one called Emma", "a small one": `one` as a pronoun, not a count.
    if j - i != 1 or tokens[i].lower != "one":
        return False
    previous = [t.lower for t in tokens[max(0, i - 2) : i]]
    return any(word in _ARTICLES for word in previous)


def _currency_after(tokens: list[Token], j: int) -> bool:
    return j < len(tokens) and tokens[j].lower in _CURRENCY_WORDS


_YES = frozenset(
    "yes yeah yep yup yea ya sure ok okay correct right absolutely definitely certainly agree "
    "affirmative true y confirm confirmed please".split()
)
_NO = frozenset("no nope nah not don't dont never negative false n decline".split())
_YES_PHRASES = ("go ahead", "of course", "do it", "sounds good", "that's right", "why not")
_NO_PHRASES = ("no need", "not needed", "no thanks", "no thank you", "not now", "do not", "rather not")


def find_bool(text: str) -> bool | None:
    """The answer to a yes/no question, or None when the message gives none."""
    lowered = " " + re.sub(r"[^a-z' ]+", " ", text.lower()) + " "
    for phrase in _NO_PHRASES:
        if f" {phrase} " in lowered:
            return False
    for phrase in _YES_PHRASES:
        if f" {phrase} " in lowered:
            return True
    for token in lowered.split():
        if token in _NO:
            return False
        if token in _YES and token != "please":
            return True
    return True if lowered.split() == ["please"] else None


_FILLER = frozenset({"please", "thanks", "thank", "you", "i", "it", "is", "that", "that's", "do", "don't"})


def is_bare_answer(text: str) -> bool:
    """Only yes/no words ("no", "yes please"): an answer, never a name or an address."""
    words = re.findall(r"[a-z']+", text.lower())
    return bool(words) and find_bool(text) is not None and all(
        w in _YES or w in _NO or w in _FILLER for w in words
    )


@dataclass(frozen=True)
class ValueMention:
    value: str
    start: int
    end: int
    score: float


_NGRAM_FILLERS = frozenset({"it", "them", "a", "an", "the"})
# Everyday words for common categorical values; the first target the slot has is used.
_SYNONYMS = {
    "big": ("large",), "huge": ("large",), "biggest": ("large",), "little": ("small",),
    "tiny": ("small",), "smallest": ("small",), "mid": ("medium",),
    "regular": ("medium", "standard", "normal"), "normal": ("standard", "medium", "regular"),
    "fast": ("express", "instant"), "quick": ("express", "instant"), "broken": ("damaged",),
}


@lru_cache(maxsize=4096)
def find_categorical(text: str, values: tuple[str, ...]) -> tuple[ValueMention, ...]:
    """Allowed values mentioned in the text (typos, plurals, spacing tolerated), best first.

    A value of several words is also named by the words that set it apart from the other
    values ("meal kit" for `Meal Kit service` beside `Internet service`), never by one of its
    words that is only a part of it ("subscription" is not `Subscription Box`).
    """
    tokens = [t for t in tokenize(text) if t.lower not in _NGRAM_FILLERS]
    targets = [(value, target) for value in values for target in _targets(value, values)]
    squashed = {target for _, target in targets}
    parts = {part for value in values for part in _parts(value)}
    synonyms = {w: next((t for t in ts if t in squashed), None) for w, ts in _SYNONYMS.items()}
    best: dict[str, ValueMention] = {}
    for i in range(len(tokens)):
        for n in (1, 2, 3):
            if i + n > len(tokens):
                break
            gram = "".join(t.lower for t in tokens[i : i + n])
            if n == 1 and synonyms.get(gram):
                gram = synonyms[gram]
            for value, target in targets:
                score = 0.0 if gram in parts and gram != target else _similarity(gram, target)
                if score and score < 100 and n > 1 and not _word_by_word(tokens[i : i + n], value):
                    score = 0.0  # a typo is forgiven word by word: "subscription on" is no `Subscription Box`
                if score and score > getattr(best.get(value), "score", 0):
                    best[value] = ValueMention(value, tokens[i].start, tokens[i + n - 1].end, score)
    return tuple(sorted(best.values(), key=lambda m: (-m.score, m.start)))


def _word_by_word(tokens, value: str) -> bool:
    words = _words(value)
    return len(words) == len(tokens) and all(_similarity(t.lower, w) for t, w in zip(tokens, words))


def _words(value: str) -> list[str]:
    return [t.lower for t in tokenize(value.replace("_", " "))]


def _parts(value: str) -> set[str]:
    """The squashed runs of a value's words short of the whole: `subscription`, `box`."""
    words = _words(value)
    return {"".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)
            if j - i < len(words)}


def _targets(value: str, values: tuple[str, ...]) -> list[str]:
    whole = squash(value)
    shared = {w for other in values if other != value for w in _words(other)}
    own = [w for w in _words(value) if w not in shared]
    rest = "".join(own)
    return [whole, rest] if own and rest != whole and (len(own) >= 2 or len(rest) >= 5) else [whole]


def _similarity(gram: str, target: str) -> float:
    if gram == target:
        return 100.0
    # Typos rarely hit the first letter; requiring it keeps `book` away from `ebook`.
    if len(target) <= 4 or abs(len(gram) - len(target)) > 3 or gram[:1] != target[:1]:
        return 0.0
    if len(gram) >= 5 and target.startswith(gram):
        return 85.0  # another form of the word: `humid` for `humidity`
    cutoff = 88 if len(target) <= 6 else 80
    return fuzz.ratio(gram, target, score_cutoff=cutoff)
