"""Flow conditions, evaluated with pypred exactly like Rasa Pro (jinja first, then pypred)."""

from __future__ import annotations

import functools
from typing import Any

import jinja2
from pypred import Predicate

_JINJA = jinja2.Environment(autoescape=False)


@functools.lru_cache(maxsize=2048)
def _template(text: str) -> jinja2.Template:
    return _JINJA.from_string(text)


@functools.lru_cache(maxsize=2048)
def _predicate(text: str) -> Predicate:
    return Predicate(text)


def render_condition(expr: str, context: dict[str, Any]) -> str:
    """Rasa renders `{{context.x}}` placeholders in a condition before parsing it."""
    if "{" not in expr:
        return expr
    return _template(expr).render({"context": context})


def evaluate_predicate(expr: str, slots: dict[str, Any], context: dict[str, Any] | None = None) -> bool:
    """Evaluate a flow condition; like Rasa, any error makes it false."""
    context = context or {}
    try:
        rendered = render_condition(expr, context)
        return bool(_predicate(rendered).evaluate({"context": context, "slots": slots}))
    except Exception:  # noqa: BLE001 - Rasa treats every evaluation error as "false"
        return False


def evaluate_rejection(expr: str, slot_name: str, value: Any) -> bool | None:
    """Evaluate a rejection condition; only the collected slot is visible. None on error."""
    document = {"slots": {slot_name: value}}
    try:
        rendered = _template(expr).render(document) if "{" in expr else expr
        return bool(_predicate(rendered).evaluate(document))
    except Exception:  # noqa: BLE001 - Rasa turns this into an internal-error utterance
        return None


def predicate_problem(expr: Any) -> str | None:
    """Why a condition does not parse, or None when it is fine (for the editor's raw mode)."""
    if isinstance(expr, bool):
        return None
    if not isinstance(expr, str) or not expr.strip():
        return "condition must be a non-empty string"
    try:
        text = render_condition(expr, {}) if "{{" in expr else expr
        predicate = _predicate(text)
        if not predicate.is_valid():
            errors = predicate.errors().get("errors") or ["invalid syntax"]
            return f"condition '{expr}' does not parse: {'; '.join(map(str, errors))}"
    except Exception as exc:  # noqa: BLE001
        return f"condition '{expr}' does not parse: {exc}"
    return None
