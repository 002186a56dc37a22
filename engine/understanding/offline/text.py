"""Tokens, stems and stop words for the offline generator (English)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")

# Function words and politeness that say nothing about which flow is meant. Question
# words (where, when, ...) are kept: descriptions use them ("Tell the customer where ...").
STOP_WORDS = frozenset(
    """
    a an the and or but if then so of to for in on at by with from about as into onto up
    i i'm im me my mine we our us you your yours it it's its this that these those there
    is am are was were be been being do does did done have has had having will would shall
    should can could may might must want wanna like love need needs please pls plz kindly
    just also too very really actually now today again some any one ones thing things
    get got let lets let's make made go going gonna help hi hello hey thanks thank
    yes no not ok okay sure well oh um uh hmm maybe much many more most all out off
    i'd i'll i've id ill ive you're you'd you'll we're we'd we'll that's there's here's
    let's what's it'll he's she's they're
    next first soon later tomorrow tonight month dollar dollars euro euros pound pounds bucks
    he him his she her hers they them their theirs super worth around doing keep keeps copy right enough because per over good
    """.split()
)

_SUFFIXES = (
    ("ations", ""), ("ation", ""), ("ments", ""), ("ment", ""), ("ings", ""), ("ing", ""),
    ("ies", "y"), ("ied", "y"), ("als", ""), ("al", ""), ("ers", ""), ("er", ""),
    ("es", ""), ("ed", ""), ("s", ""),
)


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A light suffix strip so `renewal`, `renewing` and `renew` meet (one suffix, min stem 3)."""
    word = word.lower().replace("'", "")
    if word.endswith("ly") and len(word) >= 6:
        return word[:-2]  # `monthly` meets `month`; `apply` keeps its own stem
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    # `move`/`moving`, `store`/`stored`: a final e is dropped on both sides.
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


# Question words and plain request verbs ("show my X please"): they count for a flow whose
# name, description or examples have them ("where their order is"), and for no other.
SOFT_WORDS = frozenset(stem(w) for w in "what which how where when who why whom whose".split())
REQUEST_VERBS = frozenset(stem(w) for w in "show see view display tell find look check know".split())


@dataclass(frozen=True)
class Token:
    text: str  # as typed
    lower: str
    start: int
    end: int

    @property
    def is_number(self) -> bool:
        return self.lower.replace(".", "").isdigit()

    @property
    def is_capitalised(self) -> bool:
        return self.text[:1].isupper()


@lru_cache(maxsize=1024)
def tokenize(text: str) -> tuple[Token, ...]:
    """Word tokens with offsets (cached: one message is tokenised by several readers)."""
    return tuple(Token(m.group(0), m.group(0).lower(), m.start(), m.end()) for m in _TOKEN.finditer(text))


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning (no stop words, no numbers)."""
    return [stem(t.lower) for t in tokenize(text) if t.lower not in STOP_WORDS and not t.is_number]


def squash(text: str) -> str:
    """Lower-case letters and digits only: `e-book`, `E Book` and `ebook` compare equal."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def identifier_words(identifier: str) -> str:
    """`transfer_money` -> `transfer money`."""
    return re.sub(r"[_\-]+", " ", identifier)


# Words customers use for the same request in other terms. Only consulted for a word the
# assistant's flows never use, so an assistant's own vocabulary always wins.
_RELATED_WORDS = {
    "pay": "send transfer payment", "send": "transfer pay", "transfer": "send pay",
    "wire": "send transfer", "close": "open hour", "closing": "open hour",
    "arrive": "track status where deliver", "status": "track where", "track": "status where",
    "reserve": "book hold", "book": "reserve", "buy": "order purchase", "purchase": "order buy",
    "cost": "price fee", "price": "cost fee", "fee": "cost price", "stolen": "lost block",
    "steal": "lost block", "lost": "block", "relocate": "move address", "refund": "return money",
    "broken": "damaged repair", "schedule": "book appointment", "appointment": "book schedule",
    "owe": "pay fine bill", "debt": "pay fine bill",
    "agent": "staff human person", "person": "human staff", "human": "person staff",
    "move": "transfer send change", "look": "find search", "hold": "reserve", "novel": "book",
    "see": "show view", "open": "hour opening", "windy": "wind", "rainy": "rain", "cloudy": "cloud cloudiness",
    "sunny": "sun sunshine", "snowy": "snow", "humid": "humidity", "forecast": "weather",
    "give": "send transfer pay", "tour": "excursion trip", "excursion": "tour trip", "present": "gift", "robot": "bot chatbot", "bot": "chatbot robot",
    "show": "list display view", "list": "show", "pick": "choose select", "choose": "select pick",
    "earn": "income salary", "salary": "income", "spend": "expense cost", "computer": "pc laptop desktop",
    "pc": "computer laptop desktop", "because": "reason", "why": "reason", "wifi": "internet network connection", "connection": "internet network", "delete": "remove",
    "remove": "delete", "erase": "remove delete",
}
# Phrases that name a thing in other words: the phrase's words give way to the stem.
PHRASES = (
    (re.compile(r"\bhow much (money )?(do i have|have i got|is (left|there)|(is )?in my)\b", re.I), "balance"),
    (re.compile(r"\b[Dd]r\b\.?(?= [A-Z])"), "doctor"),
)
RELATED = {stem(word): tuple(stem(r) for r in related.split()) for word, related in _RELATED_WORDS.items()}
