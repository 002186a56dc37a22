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
    return orjson.loads(dumps(value))
