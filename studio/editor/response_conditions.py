"""Response conditions as builder rows: (slot, operator, value) joined by one of AND / OR.

Rasa 3.21 reads a variation's `condition` as a pypred predicate over `slots.` (and/or/not, parentheses)
or, deprecated, as a list of `{type: slot, name, value}` that all must hold. The rows mirror the graph
editor's condition builder (frontend/src/lib/conditions.ts); anything they cannot print back exactly stays
a predicate typed as text.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

# pypred's comparisons as the graph editor's condition builder offers them (`=` is Rasa's own examples').
OPERATORS = ("=", "!=", "is", "is not", ">", ">=", "<", "<=", "contains", "matches", "is set", "is not set")
_UNARY = {"is set": "is not null", "is not set": "is null"}
_LITERAL = re.compile(r"^(-?\d+(\.\d+)?|true|false|null)$", re.IGNORECASE)
_ROW = re.compile(r"^slots\.([A-Za-z_][A-Za-z0-9_-]*)\s+"
                  r"(is not null|is null|is not|is|==|!=|>=|<=|=|>|<|contains|matches)\s*(.*)$")
_QUOTED = re.compile(r"""^"((?:[^"\\]|\\.)*)"$|^'((?:[^'\\]|\\.)*)'$""")


@dataclass
class ConditionRow:
    slot: str = ""
    op: str = "="
    value: str = ""


def _format_value(value: str) -> str:
    v = value.strip()
    if _LITERAL.match(v):
        return v.lower()
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'


def build_condition(rows: list[ConditionRow], join: str) -> str:
    parts = [f"slots.{r.slot} {_UNARY[r.op]}" if r.op in _UNARY else f"slots.{r.slot} {r.op} {_format_value(r.value)}"
             for r in rows if r.slot]
    return f" {join} ".join(parts)


def _split_outside_quotes(expr: str, word: str) -> list[str]:
    parts, quote, start, i = [], None, 0, 0
    while i < len(expr):
        c = expr[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif expr.startswith(f" {word} ", i):
            parts.append(expr[start:i])
            start = i + len(word) + 2
            i = start - 1
        i += 1
    parts.append(expr[start:])
    return [p.strip() for p in parts]


def _parse_value(raw: str) -> str | None:
    v = raw.strip()
    if _LITERAL.match(v):
        return v
    m = _QUOTED.match(v)
    return re.sub(r"\\(.)", r"\1", m.group(1) if m.group(1) is not None else m.group(2)) if m else None


def parse_condition(expr: str) -> tuple[list[ConditionRow], str] | None:
    """(rows, join) for a predicate, or None when only the raw box can show it as written."""
    text = expr.strip()
    if re.search(r"[()]", re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', "", text)):
        return None
    ands, ors = _split_outside_quotes(text, "and"), _split_outside_quotes(text, "or")
    if len(ands) > 1 and len(ors) > 1:
        return None
    join = "or" if len(ors) > 1 else "and"
    rows = []
    for part in ors if join == "or" else ands:
        m = _ROW.match(part)
        if not m:
            return None
        slot, op, rest = m.groups()
        if op in ("is null", "is not null"):
            if rest.strip():
                return None
            rows.append(ConditionRow(slot, "is not set" if op == "is null" else "is set"))
            continue
        value = _parse_value(rest)
        if value is None:
            return None
        rows.append(ConditionRow(slot, op, value))
    # Only what prints back identically: opening and saving never rewrites a condition.
    same = re.sub(r"\s+", " ", build_condition(rows, join)) == re.sub(r"\s+", " ", text)
    return (rows, join) if same else None


def scalar_text(value: Any) -> str:
    return json.dumps(value) if isinstance(value, bool) or value is None else str(value)


def scalar(text: str) -> Any:
    if _LITERAL.match(text.strip()):
        return json.loads(text.strip().lower())
    return text
