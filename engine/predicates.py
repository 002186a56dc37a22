"""Flow conditions, evaluated with pypred exactly like Rasa Pro (jinja first, then pypred)."""

from __future__ import annotations

import functools
import re
import threading
from typing import Any

import pypred.parser
from ply import yacc
from pypred import Predicate
from pypred.parser import get_lexer
from pypred.predicate import LiteralResolver

from engine.sandbox import check_syntax, render
from engine.templates import render_context_template

_PLACEHOLDER = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.DOTALL)


class _ReusingPredicate(Predicate):
    """pypred's Predicate, parsed with one lexer/parser per thread instead of building new
    ones for every expression (that costs ~4 ms each). Parsing and evaluation are unchanged."""

    def __init__(self, predicate: str):  # noqa: D107 - mirrors Predicate.__init__
        if not isinstance(predicate, str):
            raise TypeError("Predicate must be a string!")
        LiteralResolver.__init__(self)
        self.predicate = predicate
        lexer, parser = _parsing_tools()
        lexer.errors, parser.errors = [], []
        try:
            self.ast = parser.parse(predicate, lexer=lexer)
            self.ast_validated, self.ast_valid, self.ast_errors = False, False, None
        except Exception as exc:  # noqa: BLE001 - same handling as pypred
            self.ast = None
            self.ast_validated, self.ast_valid = True, False
            self.ast_errors = {"errors": [str(exc)], "regex": {}}
        self.lexer_errors = lexer.errors or None
        self.parser_errors = parser.errors or None


_LOCAL = threading.local()


def _parsing_tools():
    tools = getattr(_LOCAL, "tools", None)
    if tools is None:
        lexer = get_lexer()
        tools = (lexer, _parser(lexer))
        _LOCAL.tools = tools
    return tools


def _parser(lexer):
    """pypred's grammar, built as `pypred.parser.get_parser` builds it, but without ply writing
    a table file into site-packages or printing "yacc table file version is out of date" to
    stderr (ply writes that to its own stderr logger, not to `logging`)."""
    parser = yacc.yacc(module=pypred.parser, debug=False, write_tables=False, errorlog=yacc.NullLogger())
    parser.errors = []
    lexer.parser, parser.lexer = parser, lexer
    return parser


@functools.lru_cache(maxsize=4096)
def compiled_predicate(text: str) -> Predicate:
    return _ReusingPredicate(text)


def render_condition(expr: str, context: dict[str, Any]) -> str:
    """Rasa renders `{{context.x}}` placeholders in a condition before parsing it."""
    return render_context_template(expr, context)


def evaluate_predicate(expr: str, slots: dict[str, Any], context: dict[str, Any] | None = None) -> bool:
    """Evaluate a flow condition; like Rasa, any error makes it false."""
    context = context or {}
    try:
        rendered = render_condition(expr, context)
        return bool(compiled_predicate(rendered).evaluate({"context": context, "slots": slots}))
    except Exception:  # noqa: BLE001 - Rasa treats every evaluation error as "false"
        return False


def evaluate_rejection(expr: str, slot_name: str, value: Any) -> bool | None:
    """Evaluate a rejection condition; only the collected slot is visible. None on error."""
    document = {"slots": {slot_name: value}}
    try:
        rendered = render(expr, document) if "{" in expr else expr
        return bool(compiled_predicate(rendered).evaluate(document))
    except Exception:  # noqa: BLE001 - Rasa turns this into an internal-error utterance
        return None


def predicate_problem(expr: Any) -> str | None:
    """Why a condition does not parse, or None when it is fine (for the editor's raw mode)."""
    if isinstance(expr, bool):
        return None
    if not isinstance(expr, str) or not expr.strip():
        return "condition must be a non-empty string"
    try:
        # Parse only, never render: jinja parts become what an empty context renders ("").
        if "{" in expr:
            check_syntax(expr)
        text = _PLACEHOLDER.sub("", expr) if "{" in expr else expr
        predicate = compiled_predicate(text)
        if not predicate.is_valid():
            errors = predicate.errors().get("errors") or ["invalid syntax"]
            return f"condition '{expr}' does not parse: {'; '.join(map(str, errors))}"
    except Exception as exc:  # noqa: BLE001
        return f"condition '{expr}' does not parse: {exc}"
    return None
