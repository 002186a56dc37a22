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
_INTERPOLATED_KEYS = ("text", "image", "custom", "buttons", "attachment", "quick_replies", "translation")


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
    """Conditional variations that hold win over unconditional ones; channel ones never apply. Within
    the winning group, those translated into the `language` slot's language come first (Rasa's
    `_filter_by_language`)."""
    conditional = [v for v in variations if v.condition and v.channel is None
                   and _condition_holds(v.condition, slots)]
    group = conditional or [v for v in variations if v.condition is None and v.channel is None]
    translated = [v for v in group if _language(slots) in _translations(v.raw)]
    return (translated or group or [None])[0]


def _language(slots: dict[str, Any]) -> Any:
    return slots.get("language")


def _translations(node: Any) -> dict:
    translation = node.get("translation") if isinstance(node, dict) else None
    return translation if isinstance(translation, dict) else {}


def _translated(raw: dict[str, Any], language: Any) -> tuple[Any, list]:
    """Rasa's translate_response: the text in `language` (else the default), and each button's
    title/payload in it, keys in the button's own order."""
    text = _translations(raw).get(language, raw.get("text"))
    buttons = []
    for button in raw.get("buttons") or []:
        if isinstance(button, dict):
            parts = _translations(button).get(language)
            parts = parts if isinstance(parts, dict) else {}
            buttons.append({key: parts.get(key, value) for key, value in button.items() if key != "translation"})
    return text, buttons


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


def format_placeholders(text: str) -> list[str]:
    """The slot names a `format` template's `{name}` placeholders ask for, in order (for editors)."""
    return _PLACEHOLDER.findall(text)


def interpolate_text(text: str, values: dict[str, Any], *, jinja: bool) -> str:
    """One text filled in as a bot message would be (jinja only in the sandbox); raises RenderError."""
    return _jinja_interpolate(text, values) if jinja else _format_interpolate(text, values)


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
    text, translated_buttons = _translated(raw, _language(slots))
    if text is not None:
        message["text"] = str(text)
    buttons = [{"title": b.get("title"), "payload": b.get("payload")} for b in translated_buttons]
    if buttons:
        message["buttons"] = buttons
    if raw.get("custom") is not None:
        message["custom"] = raw["custom"]
    return message
