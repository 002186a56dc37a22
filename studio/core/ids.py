"""Numeric ids typed into URLs and forms."""
from __future__ import annotations

# Longer ids would overflow PostgreSQL's bigint instead of simply not matching.
MAX_ID_DIGITS = 18


def id_from_text(text: str) -> int | None:
    """The id that `text` spells in ASCII digits, else None; str.isdigit() alone also accepts "²"."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS else None
