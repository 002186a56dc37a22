"""A changed string scalar edited inside its own source text, so its folding and escapes stay.

A rename changes `{statement_format}` to `{format}` inside a response text that the author
wrapped over two plain lines; writing the value again would join the lines. Here the value's
changed stretches (found word by word) are replaced where they occur in the source text. The
caller re-reads the result: a stretch that the source spells differently (an escape, a line
fold) gives a wrong reading, and the value is then written again instead.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

# Words, runs of blanks and single other characters: `{slot}` changes only its word.
_TOKEN = re.compile(r"\w+|\s+|.", re.S)


def replaced_in_source(source: str, old: str, new: str) -> str | None:
    """`source` (the YAML text of a scalar reading as `old`) with the stretches that changed replaced."""
    if not old:
        return None  # nothing in the source to anchor the new text to
    out, cursor = [], 0
    for start, end, text in _changes(old, new):
        stretch = old[start:end]
        at = _nth(source, stretch, _count_before(old, stretch, start))
        if at is None or at < cursor:
            return None
        out += [source[cursor:at], text]
        cursor = at + len(stretch)
    return "".join(out) + source[cursor:]


def _changes(old: str, new: str) -> list[tuple[int, int, str]]:
    """(start, end, text): replacing old[start:end] by text, in order, turns `old` into `new`."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    offsets = [0]
    for token in a:
        offsets.append(offsets[-1] + len(token))
    out = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i1 == i2:  # an insertion: anchored to the token before it (after it, at the start)
            i1, j1, i2, j2 = (i1 - 1, j1 - 1, i2, j2) if i1 else (i1, j1, i2 + 1, j2 + 1)
        out.append((offsets[i1], offsets[i2], "".join(b[j1:j2])))
    return out


def _count_before(text: str, part: str, end: int) -> int:
    """How many times `part` starts in text[:end] (overlaps counted)."""
    count, at = 0, text.find(part)
    while 0 <= at < end:
        count, at = count + 1, text.find(part, at + 1)
    return count


def _nth(text: str, part: str, n: int) -> int | None:
    at = text.find(part)
    for _ in range(n):
        if at < 0:
            return None
        at = text.find(part, at + 1)
    return at if at >= 0 else None
