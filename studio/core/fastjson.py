"""JSON on the try-it turn path, where the standard library's encoder was a tenth of a busy
server's CPU: orjson, with the standard library for what orjson refuses (integers past 64 bits)."""
from __future__ import annotations

import json
from typing import Any

import orjson

_OPTIONS = orjson.OPT_NON_STR_KEYS


def dumps(value: Any) -> bytes:
    """UTF-8 JSON; `str()` of anything JSON has no type for, as the stored turns always did."""
    try:
        return orjson.dumps(value, default=str, option=_OPTIONS)
    except TypeError:
        return json.dumps(value, ensure_ascii=False, default=str).encode()


def dumps_text(value: Any) -> str:
    return dumps(value).decode()


def plain(value: Any) -> Any:
    """A JSON-safe copy: tuples become lists, other keys and odd values strings, as a round trip through
    the stored JSON would make them."""
    return loads(dumps(value))


# orjson reads an integer past 64 bits as a float, silently: text with a run of 19 or more digits
# (in a number or, harmlessly, in a string) is read by the standard library, which keeps it exact.
# The run is found by turning every digit into "0" and looking for 19 of them: a sixth of what a
# regular expression took, which cost more than orjson's whole parse.
_DIGITS_AS_ZERO = bytes.maketrans(b"0123456789", b"0" * 10)
_LONG_RUN = b"0" * 19


def has_long_digit_run(data: bytes) -> bool:
    return _LONG_RUN in data.translate(_DIGITS_AS_ZERO)


def loads(text: str | bytes) -> Any:
    """JSON text to Python, exactly as json.loads reads it (orjson where that is the same)."""
    data = text.encode() if isinstance(text, str) else text
    if has_long_digit_run(data):
        return json.loads(data)
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:  # NaN and Infinity, which the standard library writes and reads
        return json.loads(data)


def loads_stored(value: Any) -> Any:
    """A JSON column's value as Django's JSONField reads it (text decoded; anything else as it is),
    by orjson, with the standard library for what orjson refuses (integers past 64 bits)."""
    if not isinstance(value, (str, bytes)):
        return value
    try:
        return loads(value)
    except json.JSONDecodeError:
        return value  # as JSONField.from_db_value: text that is not JSON stays text
