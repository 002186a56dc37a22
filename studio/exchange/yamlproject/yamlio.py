"""ruamel.yaml round-trip helpers: load keeping comments/order/quoting, dump in the file's own style."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarbool import ScalarBoolean
from ruamel.yaml.scalarfloat import ScalarFloat
from ruamel.yaml.scalarint import ScalarInt
from ruamel.yaml.util import load_yaml_guess_indent

from engine.safe_input import load_yaml
from studio.core.lru import SharedLRU

# Wide enough that ruamel never re-wraps a long description or predicate.
_WIDTH = 4096


@dataclass(frozen=True)
class Style:
    """Indentation of one file, so an edited file is dumped the way it was written."""

    mapping: int = 2
    sequence: int = 4
    offset: int = 2


DEFAULT_STYLE = Style()


def _yaml(style: Style = DEFAULT_STYLE) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = _WIDTH
    yaml.indent(mapping=style.mapping, sequence=style.sequence, offset=style.offset)
    return yaml


def load(text: str) -> Any:
    """Round-trip load; raises ruamel's YAMLError (with a problem_mark) on bad YAML or a broken limit."""
    return load_yaml(text, _yaml())


_SHARED_MAX_TEXT = 256 * 1024
_shared = SharedLRU(64)  # text -> its round-trip document


def load_shared(text: str) -> Any:
    """load(), for callers that only read the document: the same text (up to 256 KB) is parsed once
    per process and the document shared, since a round-trip parse is the slowest thing a page does
    (the flow list looks for every flow's name in the e2e tests). Never edit what this returns."""
    if len(text) > _SHARED_MAX_TEXT:
        return load(text)
    return _shared.get_or_make(text, lambda: load(text))


def load_plain(text: str) -> Any:
    """Fast load to plain Python with the same YAML 1.2 rules (C parser when ruamel.yaml.clib is there).

    Reading content needs no comments; the slow round-trip load is kept for files that are
    written back and for line numbers in problems.
    """
    return to_plain(load_yaml(text))


def dump(doc: Any, style: Style = DEFAULT_STYLE) -> str:
    out = io.StringIO()
    _yaml(style).dump(doc, out)
    return out.getvalue()


def guess_style(text: str, doc: Any) -> Style:
    """Pick the indentation that reproduces the original text best (exactly, when possible)."""
    try:
        # Loads `text` once more, unchecked: callers pass only text that load() has read.
        _, seq_indent, offset = load_yaml_guess_indent(text)
    except Exception:  # a guess only; fall back to the house default
        seq_indent, offset = None, None
    candidates = []
    for mapping in (2, 4):
        if seq_indent is not None and offset is not None:
            candidates.append(Style(mapping, seq_indent, offset))
        candidates += [Style(mapping, mapping + 2, 2), Style(mapping, mapping, 0)]
    best, best_score = DEFAULT_STYLE, None
    for style in candidates:
        try:
            dumped = dump(doc, style)
        except Exception:
            continue
        if dumped == text:
            return style
        score = len(set(dumped.splitlines()) ^ set(text.splitlines()))
        if best_score is None or score < best_score:
            best, best_score = style, score
    return best


def to_plain(node: Any) -> Any:
    """Convert ruamel nodes to plain Python (dict, list, str, int, float, bool, None)."""
    if isinstance(node, dict):
        return {str(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, ScalarBoolean) or isinstance(node, bool):
        return bool(node)
    if isinstance(node, ScalarInt) or (isinstance(node, int) and not isinstance(node, bool)):
        return int(node)
    if isinstance(node, ScalarFloat) or isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    if node is None:
        return None
    # Dates, timestamps and tagged scalars: keep their text form.
    return str(node)


def to_node(value: Any) -> Any:
    """Convert plain Python into ruamel containers so new content dumps in block style."""
    if isinstance(value, dict):
        node = CommentedMap()
        for k, v in value.items():
            node[k] = to_node(v)
        return node
    if isinstance(value, list):
        return CommentedSeq(to_node(v) for v in value)
    return value


def sync_node(node: Any, new: Any) -> Any:
    """Return `node` edited in place to equal `new`, keeping comments and style of what did not change.

    Unchanged scalars keep their original node (quoting, number format); mappings keep
    their key order with new keys appended; sequences are synced element by element.
    """
    if to_plain(node) == new:
        return node
    if isinstance(node, CommentedMap) and isinstance(new, dict):
        for key in [k for k in node if str(k) not in new]:
            del node[key]
        existing = {str(k): k for k in node}
        for key, value in new.items():
            if key in existing:
                node[existing[key]] = sync_node(node[existing[key]], value)
            else:
                node[key] = to_node(value)
        return node
    if isinstance(node, CommentedSeq) and isinstance(new, list):
        del node[len(new):]
        for i, value in enumerate(new):
            if i < len(node):
                node[i] = sync_node(node[i], value)
            else:
                node.append(to_node(value))
        return node
    return to_node(new)


def line_of(container: Any, key: Any) -> int | None:
    """1-based line of `key` (mapping key or list index) in its container, if ruamel knows it."""
    try:
        if isinstance(container, CommentedMap):
            return container.lc.key(key)[0] + 1
        if isinstance(container, CommentedSeq):
            return container.lc.item(key)[0] + 1
    except (KeyError, IndexError, TypeError, AttributeError):
        return None
    return None


def node_line(node: Any) -> int | None:
    try:
        return node.lc.line + 1
    except AttributeError:
        return None
