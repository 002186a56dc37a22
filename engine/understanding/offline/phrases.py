"""Conversation-repair phrases: cancel, skip, repeat, help, human, small talk, questions."""

from __future__ import annotations

import re
from enum import Enum


class Meta(Enum):
    CANCEL = "cancel"
    SKIP = "skip"
    REPEAT = "repeat"
    HELP = "help"
    HUMAN = "human"


def _rx(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# Order matters: the first family that matches wins.
_META: tuple[tuple[Meta, re.Pattern], ...] = (
    (Meta.REPEAT, _rx(
        r"\brepeat\b", r"\bsay (that|it) again\b", r"\bwhat did you (just )?say\b",
        r"^(sorry|pardon)\W*(me)?\W*$", r"\bcome again\b", r"\bdidn'?t (catch|hear|get) (that|it)\b",
    )),
    (Meta.HUMAN, _rx(
        r"\b(speak|talk|chat) (to|with) (a |an |the |some |your )?"
        r"(human|person|someone|somebody|agent|operator|representative|staff|manager|librarian|"
        r"real person|member of staff|customer service)\b",
        r"\b(real|live) (person|human|agent)\b", r"\bhuman agent\b",
    )),
    (Meta.CANCEL, _rx(
        r"^(cancel|stop|abort|quit|exit)\b", r"\bnever ?mind\b", r"\bforget (it|about it|that)\b",
        r"\b(want|like|wish) to (quit|stop|cancel|abort)\b", r"\bcancel (it|this|that|the|my)\b",
        r"^(stop|quit) (this|it|that)\b", r"\bchanged my mind\b",
    )),
    (Meta.SKIP, _rx(
        r"^skip\b", r"\bskip (this|that|the|it)\b", r"^pass\W*$", r"\bno idea\b",
        r"\b(don'?t|do not|can'?t|cannot) (know|remember|recall|find|read|see)\b",
        r"\b(don'?t|do not) have (it|that|them|my|the|one)\b", r"\bnot sure\W*$",
    )),
    (Meta.HELP, _rx(
        r"^(i need |i want |please |can you |could you )?(some )?help( me)?( please)?\W*$",
        r"\bwhat (else |kinds? of things |sorts? of things |things |services )?(can|do) you( guys| all)? "
        r"(do|help|offer)\b",
        r"\bwhat are my options\b", r"\bhow can you help\b", r"\bwhat are you (able|here) to do\b",
        r"\bhow do i use (this|you|it)\b", r"\bwhat are your (features|capabilities|skills)\b",
    )),
)

class Social(Enum):
    GREET = "greet"
    GOODBYE = "goodbye"
    IDENTITY = "identity"
    INSULT = "insult"
    OVERRIDE = "override"  # an attempt to change the assistant's instructions or manner


_SOCIAL: tuple[tuple[Social, re.Pattern], ...] = (
    (Social.OVERRIDE, _rx(
        r"\b(ignore|disregard|forget) (all |any )?(of )?(the |your |my )?(previous |prior |above |earlier |original )?"
        r"(instructions|rules|prompts?|guidelines)\b",
        r"\bfrom now on,? (you |only |always )?(answer|respond|reply|talk|speak|write|act|behave|pretend)\b",
        r"\byou are now (a|an|my|in)\b", r"\b(system prompt|developer mode|jailbreak)\b",
    )),
    (Social.IDENTITY, _rx(
        r"\bwho (are|r) (you|u)\b", r"\bwhat are you\b", r"\bwho am i (talking|speaking|chatting) (to|with)\b",
        r"\bare you (a |an )?(bot|robot|human|real|person|machine|ai|chatbot)\b",
        r"\b(is this|am i talking to) (a |an )?(bot|robot|human|real person|machine|chatbot)\b",
    )),
    (Social.GOODBYE, _rx(
        r"\b(bye|goodbye|good bye|see you|see ya|good night|farewell|take care|talk (to you )?later)\b",
    )),
    (Social.GREET, _rx(r"^(hi|hello|hey|hiya|howdy|yo|greetings|good (morning|afternoon|evening|day))\b")),
    (Social.INSULT, _rx(
        r"\byou('re| are) (so )?(stupid|useless|dumb|an idiot|terrible|rubbish|the worst|awful|annoying)\b",
        r"\b(stupid|useless|dumb) (bot|robot|machine|assistant)\b", r"\byou suck\b",
    )),
)


def social_intent(text: str) -> Social | None:
    lowered = normalise(text)
    for social, pattern in _SOCIAL:
        if pattern.search(lowered):
            return social
    return None


_SMALL_TALK = _rx(
    r"^(hi|hello|hey|hiya|howdy|yo|greetings|good (morning|afternoon|evening|day))\b",
    r"\bhow are you\b", r"\bhow'?s it going\b", r"\bwhat'?s up\b",
    r"\b(thanks|thank you|cheers|thx)\b", r"\b(bye|goodbye|see you|good night)\b",
    r"\b(tell|know) (me )?(a |any )?jokes?\b", r"\bweather\b", r"\bwho are you\b",
    r"\bwhat'?s your name\b", r"\bare you (a )?(bot|robot|human|real)\b",
    r"\byou('re| are) (great|awesome|funny|smart|nice|cool|the best|stupid|useless)\b",
    r"^(lol|haha|cool|nice|great|awesome)\W*$",
)

_QUESTION_START = re.compile(
    r"^(what|which|how|where|when|who|whom|why|do|does|did|is|are|was|were|can|could|will|"
    r"would|should|may|might|have|has)\b"
)


_REQUEST_START = re.compile(
    r"^(can|could|would|will) (you|i|we)\b(?! (tell|explain))|^where (can|do) i (buy|get|find|order|book)\b"
)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("’", "'")).strip()


def meta_intent(text: str) -> Meta | None:
    lowered = normalise(text)
    for meta, pattern in _META:
        if pattern.search(lowered):
            return meta
    return None


def is_small_talk(text: str) -> bool:
    return bool(_SMALL_TALK.search(normalise(text)))


def is_question(text: str) -> bool:
    lowered = normalise(text)
    if not re.search(r"[a-z0-9]", lowered):
        return False  # "???" asks nothing
    return lowered.endswith("?") or bool(_QUESTION_START.match(lowered))


def is_request(text: str) -> bool:
    """`can you reserve ...?` asks for an action, not for information."""
    return bool(_REQUEST_START.match(normalise(text)))
