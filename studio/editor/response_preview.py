"""The response editor's live preview: each variation's text as the bot would send it.

Placeholders are found with the engine's own parser (`{slot}`) or, for `template: jinja`, by parsing
in the engine's sandbox environment; the text is filled in by the engine, never by a second renderer.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jinja2
from jinja2 import meta as jinja_meta

from engine.nlg import RenderError, format_placeholders, interpolate_text
from engine.sandbox import bounded_environment
from engine.validation import BUILTIN_SLOTS
from studio.editor.response_form import VariationForm, build_condition, build_set_slots


@dataclass
class PreviewItem:
    number: int
    text: str
    condition: str = ""
    channel: str = ""
    buttons: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def sample_value(name: str, definition: dict[str, Any]) -> Any:
    """The slot's initial value, else a sample that shows where the value goes."""
    if definition.get("initial_value") is not None:
        return definition["initial_value"]
    values = definition.get("values")
    if definition.get("type") == "categorical" and isinstance(values, list) and values:
        return values[0]
    return f"[{name}]"


def _jinja_names(text: str) -> set[str]:
    # Parsing only: the sandbox's environment reads the template without running it.
    return jinja_meta.find_undeclared_variables(bounded_environment().parse(text)) - {"context"}


def _preview(number: int, vf: VariationForm, slots: dict[str, dict]) -> PreviewItem:
    jinja = vf.template == "jinja"
    known = set(slots) | BUILTIN_SLOTS
    values = {"context": {}, **{name: sample_value(name, d) for name, d in slots.items()}}
    item = PreviewItem(number, vf.text, channel=vf.channel,
                       condition=vf.cond_raw if vf.cond_raw is not None else build_condition(vf.rows, vf.join))
    try:
        names = _jinja_names(vf.text) if jinja else format_placeholders(vf.text)
    except jinja2.TemplateSyntaxError as exc:
        item.warnings.append(f"Variation {number}: the jinja template does not parse: {exc.message}")
        return item
    for name in dict.fromkeys(names):
        if name not in known:
            shown = f"{{{{ {name} }}}}" if jinja else f"{{{name}}}"
            item.warnings.append(f"Variation {number}: {shown} names no slot of this assistant")
    try:
        item.text = interpolate_text(vf.text, values, jinja=jinja)
    except RenderError as exc:
        item.warnings.append(f"Variation {number}: {exc}")
    for button in vf.buttons:
        payload = (build_set_slots(button.sets) if button.kind == "slots"
                   else f"/{button.intent}" if button.kind == "intent" else button.payload)
        item.buttons.append((button.title, payload))
    return item


def response_preview(forms: list[VariationForm], slots: dict[str, dict]) -> list[PreviewItem]:
    """One preview per variation; `slots` maps each slot name to its Rasa definition."""
    return [_preview(number, vf, slots) for number, vf in enumerate(forms, 1)]
