"""Reading untrusted YAML and JSON with limits checked before the expensive, recursive step.

The C YAML composer recurses once per nesting level (100,000 levels overflow the C stack and
kill the process; a few thousand give RecursionErrors), loaders share aliased nodes but every
later copy expands them (a "billion laughs" document is a few hundred bytes), and neither
PostgreSQL text nor UTF-8 can hold NUL characters or lone surrogates. So every text is first
walked as a flat stream of parser events or JSON brackets, with no recursion, and refused with
the line (YAML) or the place (JSON) of the first thing that breaks a limit.
"""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any, Iterator

from ruamel.yaml import YAML
from ruamel.yaml.error import FileMark, MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

try:
    from ruamel.yaml.cyaml import CParser
except ImportError:  # ruamel.yaml.clib missing: the pure parser walks the events instead
    CParser = None

# Real Rasa files nest about 10 levels (flow > steps > next > then > steps ...).
MAX_DEPTH = 100
# A project file is at most a few hundred KB; the whole upload has its own, larger limit.
MAX_YAML_CHARS = 10_000_000
# Nodes alias expansion may add to a document: every later copy of the data (plain dicts, JSON
# columns, diffs) pays for them. Aliases may add ALIAS_FLOOR nodes or as many as the document
# holds, whichever is more, but never more than MAX_ALIAS_NODES: expansion stays proportional to
# the text, so a zip of 5,000 small files cannot multiply a fixed allowance.
MAX_ALIAS_NODES = 100_000
ALIAS_FLOOR = 1_000

_BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")
_COLLECTION_START = (SequenceStartEvent, MappingStartEvent)
_COLLECTION_END = (SequenceEndEvent, MappingEndEvent)


class YamlLimitError(MarkedYAMLError):
    """The text breaks a reading limit; `problem` says which, `problem_mark` where."""


def _describe(char: str, where: str) -> str:
    if char == "\x00":
        return f"NUL character (\\0) in {where}; it cannot be stored"
    return f"lone surrogate \\u{ord(char):04x} in {where}; it is not valid Unicode"


def _refuse(problem: str, mark: Any) -> YamlLimitError:
    return YamlLimitError(problem=problem, problem_mark=mark)


def _check_text(text: str, max_chars: int) -> None:
    if len(text) > max_chars:
        raise _refuse(f"the text is too large ({len(text):,} characters; at most {max_chars:,})", None)
    bad = _BAD_CHARACTER.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start())
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1)
        raise _refuse(_describe(bad.group(), "the text"), FileMark("<text>", bad.start(), line, column))


class _Budget:
    """Depth, expanded size of each anchor, and the nodes aliases add, for one document."""

    def __init__(self, check_values: bool) -> None:
        self.check_values = check_values
        self.depth = self.nodes = self.added = 0
        self.open: list[tuple[str | None, int]] = []  # (anchor, size so far) of each open collection
        self.open_anchors: set[str] = set()
        self.sizes: dict[str, int] = {}

    def scalar(self, event: ScalarEvent) -> None:
        self.nodes += 1
        if event.anchor is not None:
            self.sizes[event.anchor] = 1
        bad = _BAD_CHARACTER.search(event.value) if self.check_values else None
        if bad is not None:
            raise _refuse(_describe(bad.group(), "a value"), event.start_mark)

    def start(self, event: Any) -> None:
        self.nodes += 1
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _refuse(f"nesting deeper than {MAX_DEPTH} levels", event.start_mark)
        self.open.append((event.anchor, self.nodes + self.added))
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)

    def end(self) -> None:
        self.depth -= 1
        anchor, start = self.open.pop()
        if anchor is not None:
            self.open_anchors.discard(anchor)
            self.sizes[anchor] = self.nodes + self.added - start + 1

    def alias(self, event: AliasEvent) -> None:
        if event.anchor in self.open_anchors:
            raise _refuse(f"alias *{event.anchor} is used inside the node it names (a recursive structure)",
                          event.start_mark)
        self.added += self.sizes.get(event.anchor, 1)  # an unknown anchor is the loader's error
        if self.added > MAX_ALIAS_NODES:
            raise self._too_many(event.start_mark, MAX_ALIAS_NODES)

    def finish(self, mark: Any) -> None:
        allowed = min(MAX_ALIAS_NODES, max(ALIAS_FLOOR, self.nodes))
        if self.added > allowed:
            raise self._too_many(mark, allowed)

    def _too_many(self, mark: Any, allowed: int) -> YamlLimitError:
        return _refuse(f"too many alias expansions: they add {self.added:,} nodes to a document of "
                       f"{self.nodes:,} (at most {allowed:,})", mark)


def _walk(events: Iterator[Any], check_values: bool) -> None:
    budget = _Budget(check_values)
    for event in events:
        kind = type(event)
        if kind is ScalarEvent:
            budget.scalar(event)
        elif kind in _COLLECTION_START:
            budget.start(event)
        elif kind in _COLLECTION_END:
            budget.end()
        elif kind is AliasEvent:
            budget.alias(event)
        elif kind is DocumentStartEvent:
            if budget.nodes:
                budget.finish(event.start_mark)
            budget = _Budget(check_values)  # anchors are per document
    budget.finish(None)


def _c_events(text: str) -> Iterator[Any]:
    parser = CParser(text)
    try:
        while parser.check_event():
            yield parser.get_event()
    finally:
        parser.dispose()


def check_yaml(text: str, *, pure: bool = False, max_chars: int = MAX_YAML_CHARS) -> None:
    """Raise YamlLimitError (a MarkedYAMLError) when `text` breaks a limit; syntax errors too.

    Events come from libyaml when it is installed (fast, and it stops reading where the walk
    stops). `pure=True` is for pure-Python loaders: when libyaml refuses the text, the pure
    parser, which accepts a little more, walks it again so its loader sees checked text only.
    """
    _check_text(text, max_chars)
    # Only escapes ("\0", "\ud800") can put a bad character in a value once the text is clean.
    check_values = "\\" in text
    if CParser is not None:
        try:
            with contextlib.closing(_c_events(text)) as events:
                _walk(events, check_values)
            return
        except YamlLimitError:
            raise
        except YAMLError:
            if not pure:
                raise
    with contextlib.closing(YAML(typ="safe", pure=True).parse(text)) as events:
        _walk(events, check_values)


def load_yaml(text: str, yaml: YAML | None = None) -> Any:
    """`yaml.load(text)` (the C safe loader by default) once `text` passed `check_yaml`."""
    yaml = yaml or YAML(typ="safe")
    check_yaml(text, pure=CParser is None or yaml.Parser is not CParser)
    return yaml.load(text)


# ---- JSON -----------------------------------------------------------------------------------

_JSON_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


class JsonRejected(ValueError):
    """Decodable JSON that must not be used; `loc` is the key/index path to the bad value."""

    def __init__(self, loc: tuple, message: str) -> None:
        super().__init__(f"{'.'.join(map(str, loc))}: {message}" if loc else message)
        self.loc, self.message = loc, message


def _check_json_depth(text: str) -> None:
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return  # cannot be too deep; most bodies stop here
    depth = 0
    for match in _JSON_STRING_OR_BRACKET.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise JsonRejected((), f"nesting deeper than {MAX_DEPTH} levels")
        elif token in "]}":
            depth -= 1


def _bad_string(value: Any, loc: tuple) -> JsonRejected | None:
    if isinstance(value, str):
        bad = _BAD_CHARACTER.search(value)
        if bad is None:
            return None
        if bad.group() == "\x00":
            return JsonRejected(loc, "must not contain NUL characters (\\u0000)")
        return JsonRejected(loc, f"must not contain a lone surrogate (\\u{ord(bad.group()):04x})")
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:  # depth is at most MAX_DEPTH here, so recursion is safe
        found = _bad_string(key, (*loc, key)) or _bad_string(item, (*loc, key))
        if found is not None:
            return found
    return None


def load_json(text: str | bytes) -> Any:
    """json.loads, refusing deep nesting first and NUL characters or lone surrogates after.

    Raises JsonRejected for those, and json's own ValueError for text that is not JSON.
    """
    if isinstance(text, (bytes, bytearray)):
        # As json.loads does: encoded surrogates arrive as characters, and are refused below.
        text = bytes(text).decode(json.detect_encoding(text), "surrogatepass")
    _check_json_depth(text)
    data = json.loads(text)
    found = _bad_string(data, ())
    if found is not None:
        raise found
    return data
