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
    something anything nothing everything someone somebody anyone anybody stuff still never ever already
    every each other another u ur
    don't doesn't didn't haven't hasn't hadn't isn't aren't wasn't weren't won't can't couldn't wouldn't shouldn't
    dont doesnt didnt havent hasnt isnt arent wasnt cant couldnt wouldnt
    """.split()
)

# Irregular forms of everyday verbs meet their base form ("I bought" and a flow about buying).
_IRREGULAR = {
    "bought": "buy", "sent": "send", "paid": "pay", "sold": "sell", "gave": "give", "given": "give",
    "took": "take", "taken": "take", "brought": "bring", "spent": "spend", "lost": "lose", "stole": "steal",
    "stolen": "steal", "broke": "break", "broken": "break", "forgot": "forget", "forgotten": "forget",
    "chose": "choose", "chosen": "choose", "wrote": "write", "written": "write", "found": "find",
    "told": "tell", "saw": "see", "seen": "see", "flew": "fly", "flown": "fly", "drove": "drive",
    "driven": "drive", "ate": "eat", "won": "win", "ran": "run", "rang": "ring", "hid": "hide",
    "began": "begin", "begun": "begin", "came": "come", "went": "go", "gone": "go", "met": "meet",
}

_SUFFIXES = (
    ("ations", ""), ("ation", ""), ("ments", ""), ("ment", ""), ("ings", ""), ("ing", ""),
    ("ies", "y"), ("ied", "y"), ("als", ""), ("al", ""), ("ers", ""), ("er", ""),
    ("es", ""), ("ed", ""), ("s", ""),
)


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A light suffix strip so `renewal`, `renewing` and `renew` meet (one suffix, min stem 3)."""
    word = word.lower().replace("'", "")
    word = _IRREGULAR.get(word, word)
    if word.endswith("ly") and len(word) >= 6:
        return word[:-2]  # `monthly` meets `month`; `apply` keeps its own stem
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    # `shipped`/`ship`, `cancellation`/`cancel`: a doubled final consonant is one (l, s, z only in
    # longer words: `call`, `sell` stay).
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "aeiou" and (
            word[-1] not in "lsz" or len(word) >= 6):
        return word[:-1]
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


# Words customers use for the same request in other terms (general English, no assistant's own
# vocabulary): a flow that says the related word explains the customer's word, for a little less.
_RELATED_WORDS = {
    "pay": "send transfer payment", "send": "transfer pay", "transfer": "send pay",
    "wire": "send transfer", "close": "open hour", "closing": "open hour",
    "arrive": "track status where deliver receive", "status": "track where", "track": "status where",
    "reserve": "book hold", "book": "reserve", "buy": "order purchase", "purchase": "order buy",
    "cost": "price fee", "price": "cost fee", "fee": "cost price", "stolen": "lost block",
    "steal": "lost block", "lost": "block", "relocate": "move address", "refund": "return money",
    "broken": "damaged repair", "schedule": "book appointment", "appointment": "book schedule",
    "owe": "pay fine bill", "debt": "pay fine bill",
    "agent": "staff human person", "person": "human staff", "human": "person staff",
    "move": "transfer send change", "look": "find search", "hold": "reserve", "novel": "book",
    "see": "show view", "open": "hour opening create file start", "forecast": "weather",
    "give": "send transfer pay", "tour": "excursion trip", "excursion": "tour trip", "present": "gift", "robot": "bot chatbot", "bot": "chatbot robot",
    "show": "list display view", "list": "show", "pick": "choose select", "choose": "select pick",
    "earn": "income salary", "salary": "income", "spend": "expense cost", "computer": "pc laptop desktop",
    "pc": "computer laptop desktop", "because": "reason", "why": "reason", "wifi": "internet network connection", "connection": "internet network", "delete": "remove",
    "remove": "delete", "erase": "remove delete",
    "swap": "exchange replace", "replace": "exchange swap", "exchange": "swap replace",
    "receive": "arrive deliver", "deliver": "arrive ship", "parcel": "package order delivery",
    "package": "parcel order delivery", "pause": "hold suspend freeze", "suspend": "pause hold freeze",
    "freeze": "block pause", "phone": "contact call", "call": "contact phone", "email": "contact",
    "reach": "contact", "christmas": "holiday", "easter": "holiday", "thanksgiving": "holiday",
    "vacation": "holiday trip", "holiday": "vacation", "modify": "change update edit", "edit": "change update",
    "update": "change edit", "change": "update edit", "terminate": "cancel end", "end": "cancel stop",
    "begin": "start", "start": "begin open", "signup": "register", "enroll": "register", "register": "enroll",
    "rent": "hire", "hire": "rent", "talk": "speak chat", "speak": "talk chat",
    "create": "open new add make", "new": "create add open", "add": "create new",
    "time": "hour when schedule", "existing": "active current list", "active": "current existing", "current": "active existing",
    "file": "submit report lodge", "submit": "file send lodge", "lodge": "file submit", "report": "file submit",
}
# Phrases that name a thing in other words: the phrase's words give way to the stem.
PHRASES = tuple((re.compile(pattern, flags), stem(word)) for pattern, flags, word in (
    (r"\bhow much (money )?(do i have|have i got|is (left|there)|(is )?in my)\b", re.I, "balance"),
    # "how many vacation days do I have left?": what remains is a balance.
    (r"\bhow (much|many)\b(?=[\w ]{0,30}\b(left|remaining)\b)", re.I, "balance"),
    (r"\b(do|have) (i|we) (still )?(have |got )?(left|remaining)\b", re.I, "balance"),
    (r"\b[Dd]r\b\.?(?= [A-Z])", 0, "doctor"),
    (r"\b(send|give|bring|take) (it |them |this |that |\w+ )?back\b", re.I, "return"),
    (r"\bget in (touch|contact)\b|\breach (you|out)\b|\bcustomer (service|support|care)\b", re.I, "contact"),
    (r"\bsign (me )?up\b", re.I, "register"),
    (r"\b(do|did) (i|we) (currently |already |still )?(have|own|hold)\b(?! to)", re.I, "existing"),
))
RELATED = {stem(word): tuple(stem(r) for r in related.split()) for word, related in _RELATED_WORDS.items()}


def derived_forms(word: str) -> tuple[str, ...]:
    """Stems of the words a stem is commonly derived from or into: `rainy` and `rain`, `sunny`
    and `sun`, `humid` and `humidity` (tried for a word the assistant does not use)."""
    forms = [word + "ity", word + "ness"]
    if word.endswith("y") and len(word) >= 4:
        forms.append(word[:-1])
        if word[-2] == word[-3]:
            forms.append(word[:-2])  # sunny
    return tuple(stem(f) for f in forms)
