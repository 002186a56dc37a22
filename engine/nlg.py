"""Rendering domain responses like Rasa's TemplatedNaturalLanguageGenerator.

The first eligible variation is used (Rasa picks randomly; the conformance vectors and a
studio preview want a stable choice).
"""

from __future__ import annotations

import copy
import re
from typing import Any

import jinja2

from engine.model.domain import Domain, Variation
from engine.predicates import compiled_predicate
from engine.sandbox import render

_PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")
_INTERPOLATED_KEYS = ("text", "image", "custom", "buttons", "attachment", "quick_replies")


def _condition_holds(condition: Any, slots: dict[str, Any]) -> bool:
    if isinstance(condition, str):
        try:
            # Rasa renders the condition as jinja with the slots (not the stack context).
            rendered = render(condition, {"slots": slots}) if "{" in condition else condition
            return bool(compiled_predicate(rendered).evaluate({"slots": slots}))
        except Exception:  # noqa: BLE001 - Rasa treats a broken condition as false
            return False
    if isinstance(condition, list):
        return all(_constraint_holds(c, slots) for c in condition if isinstance(c, dict))
    return False


def _constraint_holds(constraint: dict, slots: dict[str, Any]) -> bool:
    actual, expected = slots.get(constraint.get("name")), constraint.get("value")
    if isinstance(actual, str) and isinstance(expected, str):
        return actual.casefold() == expected.casefold()
    return actual == expected


def choose_variation(variations: tuple[Variation, ...], slots: dict[str, Any]) -> Variation | None:
    """Conditional variations that hold win over unconditional ones; channel ones never apply."""
    conditional = [v for v in variations if v.condition and v.channel is None
                   and _condition_holds(v.condition, slots)]
    if conditional:
        return conditional[0]
    plain = [v for v in variations if v.condition is None and v.channel is None]
    return plain[0] if plain else None


class RenderError(Exception):
    """A response cannot be rendered. Rasa lets this escape the action, which then counts as
    failed: the flow is cancelled and pattern_internal_error runs."""


def _format_interpolate(text: str, values: dict[str, Any]) -> str:
    try:
        variables = {name: values[name] for name in _PLACEHOLDER.findall(text) if name in values}
        result = _PLACEHOLDER.sub(r"{0[\1]}", text).format(variables)
        if "0[" in result:
            return text.format({})
        return result
    except KeyError:
        # Rasa leaves the whole text untouched when a placeholder cannot be filled.
        return text
    except Exception as exc:  # e.g. a lone "{" or "}": Rasa's interpolator does not catch it
        raise RenderError(f"cannot interpolate {text!r}: {exc}") from exc


def _jinja_interpolate(text: str, values: dict[str, Any]) -> str:
    try:
        return render(text, values)
    except jinja2.UndefinedError:
        return text  # the only error Rasa's jinja interpolator catches
    except Exception as exc:  # noqa: BLE001 - syntax errors, TypeError, ZeroDivisionError...
        raise RenderError(f"cannot render {text!r}: {exc}") from exc


def _interpolate(value: Any, values: dict[str, Any], jinja: bool) -> Any:
    if isinstance(value, str):
        return _jinja_interpolate(value, values) if jinja else _format_interpolate(value, values)
    if isinstance(value, list):
        return [_interpolate(item, values, jinja) for item in value]
    if isinstance(value, dict):
        return {key: _interpolate(item, values, jinja) for key, item in value.items()}
    return value


def render_response(
    domain: Domain, name: str, slots: dict[str, Any], context: dict[str, Any],
    extra: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    """A bot message `{response, text, buttons?, custom?}`, or None if there is no such response."""
    variation = choose_variation(domain.responses.get(name, ()), slots)
    if variation is None:
        return None
    values = {"context": context, **slots, **(extra or {})}
    raw = copy.deepcopy(variation.raw)
    message: dict[str, Any] = {"response": name, "text": None}
    for key in _INTERPOLATED_KEYS:
        if key in raw and raw[key] is not None:
            raw[key] = _interpolate(raw[key], values, variation.jinja)
    if raw.get("text") is not None:
        message["text"] = str(raw["text"])
    buttons = [{"title": b.get("title"), "payload": b.get("payload")} for b in raw.get("buttons") or []
               if isinstance(b, dict)]
    if buttons:
        message["buttons"] = buttons
    if raw.get("custom") is not None:
        message["custom"] = raw["custom"]
    return message
