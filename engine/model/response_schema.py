"""Rasa Pro 3.21's schema for response variations (`responses.yml` and `require_response_keys`).

Rasa refuses a domain whose variations break it before anything else is read, so a variation that
passes here is one Rasa loads. Indexes in messages count from 1, as people count variations.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterator

_Check = Callable[[Any], Iterator[str]]


def _is_text(value: Any) -> bool:
    # pykwalify's `str`: YAML text only (a number or a list is refused); a null value is left alone.
    return value is None or isinstance(value, str)


def _text(value: Any) -> Iterator[str]:
    if not _is_text(value):
        yield f"must be text, not {_kind(value)}"


def _mapping(value: Any) -> Iterator[str]:
    if value is not None and not isinstance(value, dict):
        yield f"must be a mapping, not {_kind(value)}"


def _flag(value: Any) -> Iterator[str]:
    if value is not None and not isinstance(value, bool):
        yield f"must be true or false, not {_kind(value)}"


def _anything(value: Any) -> Iterator[str]:
    return iter(())


def _text_per_language(value: Any) -> Iterator[str]:
    yield from _mapping(value)
    for language, text in (value or {}).items() if isinstance(value, dict) else ():
        if not _is_text(text):
            yield f"'{language}' must be the translated text, not {_kind(text)}"


def _button_translation(value: Any) -> Iterator[str]:
    yield from _mapping(value)
    for language, parts in (value or {}).items() if isinstance(value, dict) else ():
        if not isinstance(parts, dict):
            yield f"'{language}' must be a mapping with 'title' and/or 'payload', not {_kind(parts)}"
            continue
        for key in ("title", "payload"):
            if not _is_text(parts.get(key)):
                yield f"'{language}'.{key} must be text, not {_kind(parts[key])}"


def _list_of(item_check: Callable[[Any], Iterator[str]], key: str, noun: str) -> _Check:
    def check(value: Any) -> Iterator[str]:
        if value is None:
            return
        if not isinstance(value, list):
            yield f"'{key}' must be a list, not {_kind(value)}"
            return
        for number, item in enumerate(value, 1):
            for problem in item_check(item):
                yield f"{noun} {number}: {problem}"
    return check


def _quick_reply(value: Any) -> Iterator[str]:
    if not isinstance(value, dict):
        yield f"must be a mapping, not {_kind(value)}"
        return
    for key in ("title", "payload"):
        if not _is_text(value.get(key)):
            yield f"{key} must be text, not {_kind(value[key])}"


def _button(value: Any) -> Iterator[str]:
    """A quick reply that may also carry a translation per language, and must carry a payload
    (rasa.validator.validate_button_payloads: missing_payload, empty_payload)."""
    yield from _quick_reply(value)
    if isinstance(value, dict):
        payload = value.get("payload")
        if payload is None:
            yield "needs a payload: /SetSlots(slot=value), /intent, or text for the assistant to read"
        elif isinstance(payload, str) and not payload.strip():
            yield "has an empty payload"
        for problem in _button_translation(value.get("translation")):
            yield f"translation {problem}"


_LISTS = ("buttons", "quick_replies", "elements")  # their checks name the item ("button 2: ...")
KEYS: dict[str, _Check] = {
    "id": _text, "text": _text, "translation": _text_per_language, "image": _text, "custom": _mapping,
    "buttons": _list_of(_button, "buttons", "button"), "button_type": _text,
    "quick_replies": _list_of(_quick_reply, "quick_replies", "quick reply"), "attachment": _mapping,
    "elements": _list_of(_mapping, "elements", "element"), "channel": _text, "allow_interruptions": _flag,
    "metadata": _anything, "condition": _anything,
}


def variation_problems(variation: Any) -> list[str]:
    """What Rasa's schema refuses in one variation, each naming the key."""
    if not isinstance(variation, dict) or not variation:
        return ["must be a mapping with 'text' or 'custom'"]
    problems = [f"'{key}' is not a key Rasa knows in a response (known: {', '.join(KEYS)})"
                for key in variation if key not in KEYS]
    for key, check in KEYS.items():
        if key in variation:
            problems.extend(check(variation[key]) if key in _LISTS else
                            (f"'{key}' {problem}" for problem in check(variation[key])))
    if variation.get("text") is None and not variation.get("custom"):
        problems.append("needs 'text' or 'custom'")
    problems.extend(_condition_problems(variation.get("condition")))
    problems.extend(f"'{key}' has an empty placeholder '{{}}': name a slot in it, as in {{amount}}"
                    for key in _INTERPOLATED if _has_empty_placeholder(variation.get(key)))
    return problems


# rasa.validator.check_for_no_empty_parenthesis_in_responses: `{}` (or `{ }`) in any text Rasa
# fills in is refused (RESPONSE_KEYS_TO_INTERPOLATE).
_INTERPOLATED = ("text", "image", "custom", "buttons", "attachment", "quick_replies", "translation")
_EMPTY_PLACEHOLDER = re.compile(r"{\s*}")


def _has_empty_placeholder(value: Any) -> bool:
    if isinstance(value, str):
        return bool(_EMPTY_PLACEHOLDER.search(value))
    if isinstance(value, dict):
        return any(_has_empty_placeholder(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_empty_placeholder(v) for v in value)
    return False


def _condition_problems(condition: Any) -> Iterator[str]:
    if condition is None or isinstance(condition, str):
        return
    if not isinstance(condition, list):
        yield f"'condition' must be a list of slot conditions, not {_kind(condition)}"
        return
    for number, item in enumerate(condition, 1):
        if not isinstance(item, dict):
            yield f"condition {number} must be a mapping with 'type', 'name' and 'value'"
        elif not all(key in item for key in ("type", "name", "value")):
            missing = [key for key in ("type", "name", "value") if key not in item]
            yield f"condition {number} needs {', '.join(repr(k) for k in missing)} (type, name and value)"
        elif item.get("type") != "slot":
            yield f"condition {number} has type '{item.get('type')}'; Rasa only knows 'slot'"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
