"""The response editor's structured form: Rasa variations <-> form fields, and back.

Server-rendered and formset-like: every add/remove button posts the whole form and the page comes
back with the posted state plus or minus one row, so it works without JavaScript (htmx only swaps
the form). Whatever the form has no field for stays in each variation's "other keys" YAML, untouched.
The engine's schema (`variation_problems`) is the judge; its messages are shown at the field they name.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from engine.model.response_schema import variation_problems
from engine.predicates import predicate_problem
from engine.safe_input import JsonRejected, load_json, load_yaml
from studio.editor.response_conditions import (
    OPERATORS, ConditionRow, build_condition, parse_condition, scalar, scalar_text,
)
from studio.exchange.yamlproject import yamlio

_SET_SLOTS = re.compile(r"^/SetSlots\((.*)\)$", re.DOTALL)
_INTENT = re.compile(r"^/([A-Za-z_][A-Za-z0-9_.-]*)$")
_SLOT_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
FORM_KEYS = ("text", "condition", "channel", "buttons", "image", "custom", "metadata")
TEMPLATES = ("", "format", "jinja")  # "" leaves the key out: Rasa's default is format
# Caps on what a post may ask for: the form is rebuilt from these counts.
MAX_VARIATIONS, MAX_ROWS, MAX_SET_SLOTS = 50, 20, 10  # Rasa reads at most 10 slots from one /SetSlots
MAX_BOX = 20_000  # characters in the custom and other-keys boxes


@dataclass
class ButtonRow:
    title: str = ""
    kind: str = "slots"  # slots | intent | text
    payload: str = ""
    intent: str = ""
    sets: list[tuple[str, str]] = field(default_factory=lambda: [("", "")])
    extra: str = ""  # the button's other keys (translation, ...) as JSON


@dataclass
class VariationForm:
    text: str = ""
    channel: str = ""
    image: str = ""
    rephrase: bool = False
    template: str = ""
    custom: str = ""
    extra: str = ""
    join: str = "and"
    rows: list[ConditionRow] = field(default_factory=list)
    cond_raw: str | None = None  # a predicate the rows cannot show exactly
    cond_list: bool = False  # the deprecated list form, kept while it is still only `=` rows joined by and
    buttons: list[ButtonRow] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


# --- buttons -----------------------------------------------------------------------------------------

def build_set_slots(sets: list[tuple[str, str]]) -> str:
    return "/SetSlots(" + ", ".join(f"{slot}={value}" for slot, value in sets if slot) + ")"


def _button_form(button: dict) -> ButtonRow:
    row = ButtonRow(title=_text(button.get("title")), payload=_text(button.get("payload")), kind="text")
    extra = {k: v for k, v in button.items() if k not in ("title", "payload")}
    row.extra = json.dumps(extra, ensure_ascii=False) if extra else ""
    payload = row.payload
    slots = _SET_SLOTS.match(payload)
    if slots and "[" not in payload:
        pairs = [part.partition("=") for part in slots.group(1).split(", ")]
        sets = [(name.strip(), value.strip()) for name, _, value in pairs]
        if all(_SLOT_NAME.match(name) for name, _ in sets) and build_set_slots(sets) == payload:
            row.kind, row.sets = "slots", sets
    elif _INTENT.match(payload):
        row.kind, row.intent = "intent", payload[1:]
    return row


def _button_payload(row: ButtonRow, number: int, vf: VariationForm, slot_names: set[str]) -> str:
    if row.kind == "intent":
        if not _INTENT.match(f"/{row.intent.strip()}"):
            vf.error("buttons", f"button {number}: write an intent name such as affirm (letters, digits, _ . -)")
        return f"/{row.intent.strip()}"
    if row.kind == "slots":
        sets = [(s.strip(), v.strip()) for s, v in row.sets if s.strip()]
        if not sets:
            vf.error("buttons", f"button {number}: choose at least one slot to set")
        for slot, value in sets:
            if slot not in slot_names:
                vf.error("buttons", f"button {number}: the assistant has no slot '{slot}' "
                                    "(Rasa ignores the whole payload then)")
            if not value:
                vf.error("buttons", f"button {number}: give '{slot}' a value (none clears it)")
        return build_set_slots(sets)
    return row.payload


# --- loading -----------------------------------------------------------------------------------------

def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _yaml_box(value: Any) -> str:
    return yamlio.dump(yamlio.to_node(value)) if value not in (None, {}) else ""


def variation_form(variation: dict) -> VariationForm:
    """The form fields for one stored variation."""
    meta = variation.get("metadata") if isinstance(variation.get("metadata"), dict) else {}
    extra = {k: v for k, v in variation.items() if k not in FORM_KEYS}
    # Only values the widgets show exactly (`rephrase: true`, a template name); `rephrase: false` stays as written.
    shown = {"rephrase": meta.get("rephrase") is True, "template": meta.get("template") in TEMPLATES[1:]}
    other_meta = {k: v for k, v in meta.items() if not shown.get(k)}
    if other_meta or ("metadata" in variation and not isinstance(variation["metadata"], dict)):
        extra["metadata"] = other_meta or variation["metadata"]
    vf = VariationForm(text=_text(variation.get("text")), channel=_text(variation.get("channel")),
                       image=_text(variation.get("image")), rephrase=shown["rephrase"],
                       template=meta["template"] if shown["template"] else "",
                       custom=_yaml_box(variation.get("custom")),
                       buttons=[_button_form(b) for b in variation.get("buttons") or [] if isinstance(b, dict)])
    condition = variation.get("condition")
    if isinstance(condition, list) and all(isinstance(c, dict) and c.get("type") == "slot"
                                           and set(c) == {"type", "name", "value"} for c in condition):
        vf.cond_list = True
        vf.rows = [ConditionRow(_text(c["name"]), "=", scalar_text(c["value"])) for c in condition]
    elif isinstance(condition, str):
        parsed = parse_condition(condition)
        if parsed:
            vf.rows, vf.join = parsed
        else:
            vf.cond_raw = condition
    elif condition is not None:
        extra["condition"] = condition  # a shape the builder cannot show: the YAML box keeps it
    buttons = variation.get("buttons")
    if buttons is not None and not (isinstance(buttons, list) and all(isinstance(b, dict) for b in buttons)):
        extra["buttons"], vf.buttons = buttons, []
    vf.extra = _yaml_box(extra)
    return vf


def forms_from_variations(variations: list) -> list[VariationForm]:
    return [variation_form(v if isinstance(v, dict) else {}) for v in variations]


def _count(data: QueryDict, key: str, cap: int) -> int:
    try:
        return max(0, min(int(data.get(key, 0)), cap))
    except (TypeError, ValueError):
        return 0


def forms_from_post(data: QueryDict) -> list[VariationForm]:
    """The form as posted (before any add/remove button is applied)."""
    out = []
    for i in range(_count(data, "v-total", MAX_VARIATIONS)):
        p = f"v-{i}-"
        vf = VariationForm(text=data.get(p + "text", ""), channel=data.get(p + "channel", "").strip(),
                           image=data.get(p + "image", "").strip(), rephrase=bool(data.get(p + "rephrase")),
                           template=data.get(p + "template", ""), custom=data.get(p + "custom", ""),
                           extra=data.get(p + "extra", ""), join="or" if data.get(p + "join") == "or" else "and",
                           cond_list=data.get(p + "cond-list") == "1")
        if p + "cond-raw" in data:
            vf.cond_raw = data.get(p + "cond-raw", "")
        vf.rows = [ConditionRow(data.get(f"{p}c-{j}-slot", ""), data.get(f"{p}c-{j}-op", "="),
                                data.get(f"{p}c-{j}-value", ""))
                   for j in range(_count(data, p + "c-total", MAX_ROWS))]
        for k in range(_count(data, p + "b-total", MAX_ROWS)):
            b = f"{p}b-{k}-"
            vf.buttons.append(ButtonRow(
                title=data.get(b + "title", ""), kind=data.get(b + "kind", "text"), payload=data.get(b + "payload", ""),
                intent=data.get(b + "intent", ""), extra=data.get(b + "extra", ""),
                sets=[(data.get(f"{b}s-{m}-slot", ""), data.get(f"{b}s-{m}-value", ""))
                      for m in range(_count(data, b + "s-total", MAX_SET_SLOTS))]))
        out.append(vf)
    return out


def apply_op(forms: list[VariationForm], op: str) -> bool:
    """Apply one add/remove button (`add-button:0`, `remove-condition:1:2`, ...); False if `op` is none."""
    name, *args = op.split(":")
    try:
        at = [int(a) for a in args]
        vf = forms[at[0]] if at else None
        if name == "add-variation" and len(forms) < MAX_VARIATIONS:
            forms.append(VariationForm())
        elif name == "remove-variation":
            del forms[at[0]]
        elif name == "add-condition" and len(vf.rows) < MAX_ROWS:
            vf.rows.append(ConditionRow())
        elif name == "remove-condition":
            del vf.rows[at[1]]
        elif name == "raw-condition":
            vf.cond_raw = build_condition(vf.rows, vf.join)
        elif name == "add-button" and len(vf.buttons) < MAX_ROWS:
            vf.buttons.append(ButtonRow())
        elif name == "remove-button":
            del vf.buttons[at[1]]
        elif name == "add-set-slot" and len(vf.buttons[at[1]].sets) < MAX_SET_SLOTS:
            vf.buttons[at[1]].sets.append(("", ""))
        elif name == "remove-set-slot":
            del vf.buttons[at[1]].sets[at[2]]
        else:
            return False
    except (IndexError, ValueError, AttributeError):
        return False
    return True


# --- saving ------------------------------------------------------------------------------------------

def _mapping_box(text: str, vf: VariationForm, key: str) -> dict | None:
    """A YAML or JSON mapping from a text box, read with the bounded loaders; None if blank or refused."""
    if not text.strip():
        return None
    if len(text) > MAX_BOX:
        vf.error(key, f"is too long (at most {MAX_BOX} characters)")
        return None
    try:
        data = load_json(text) if text.lstrip().startswith("{") else load_yaml(text, YAML(typ="safe", pure=True))
    except JsonRejected as exc:
        vf.error(key, f"not accepted: {exc}")
        return None
    except (YAMLError, ValueError) as exc:
        vf.error(key, f"not valid YAML or JSON: {getattr(exc, 'problem', None) or exc}")
        return None
    if not isinstance(data, dict):
        vf.error(key, "write a mapping (key: value in YAML, or a JSON object)")
        return None
    return data


def _condition(vf: VariationForm, slot_names: set[str]) -> Any:
    if vf.cond_raw is not None:
        raw = vf.cond_raw.strip()
        problem = predicate_problem(raw) if raw else None
        if problem:
            vf.error("condition", problem)
        return raw or None
    rows = [r for r in vf.rows if r.slot]
    for number, row in enumerate(rows, 1):
        if row.slot not in slot_names:
            vf.error("condition", f"condition {number}: the assistant has no slot '{row.slot}'")
        if row.op not in OPERATORS:
            vf.error("condition", f"condition {number}: '{row.op}' is not an operator ({', '.join(OPERATORS)})")
    if not rows:
        return None
    if vf.cond_list and vf.join == "and" and all(r.op == "=" for r in rows):
        return [{"type": "slot", "name": r.slot, "value": scalar(r.value)} for r in rows]
    built = build_condition(rows, vf.join)
    problem = predicate_problem(built)
    if problem:
        vf.error("condition", problem)
    return built


def _buttons(vf: VariationForm, slot_names: set[str]) -> list[dict] | None:
    out = []
    for number, row in enumerate(vf.buttons, 1):
        button = {"title": row.title, "payload": _button_payload(row, number, vf, slot_names)}
        if not row.title.strip():
            vf.error("buttons", f"button {number}: give the button a title")
        if row.extra.strip():
            try:
                extra = load_json(row.extra)
            except ValueError as exc:
                vf.error("buttons", f"button {number}: its other keys are not valid JSON: {exc}")
                continue
            if isinstance(extra, dict):
                button.update({k: v for k, v in extra.items() if k not in button})
        out.append(button)
    return out or None


# Which field shows a message of the engine's schema: it names the key it refuses.
_FIELD_OF = {"text": "text", "channel": "channel", "image": "image", "custom": "custom", "metadata": "metadata",
             "condition": "condition", "buttons": "buttons"}


def _field_of(message: str) -> str:
    if message.startswith("button "):
        return "buttons"
    if message.startswith("condition "):
        return "condition"
    if message == "needs 'text' or 'custom'":
        return "text"
    key = re.match(r"^'([^']+)'", message)
    return _FIELD_OF.get(key.group(1), "extra") if key else "extra"


def variation_from_form(vf: VariationForm, slot_names: set[str]) -> dict:
    """The Rasa variation the form describes; problems are recorded on `vf.errors` by field."""
    text = vf.text.replace("\r\n", "\n")
    extra = _mapping_box(vf.extra.replace("\r\n", "\n"), vf, "extra") or {}
    fields = {"text": text or None, "condition": _condition(vf, slot_names), "buttons": _buttons(vf, slot_names),
              "custom": _mapping_box(vf.custom.replace("\r\n", "\n"), vf, "custom"),
              "image": vf.image or None, "channel": vf.channel or None}
    variation = {key: value for key, value in fields.items() if value is not None}
    for key in extra:
        if key in variation:
            vf.error("extra", f"'{key}' has its own field above; remove it here")
    variation.update({k: v for k, v in extra.items() if k not in variation})
    meta = dict(extra["metadata"]) if isinstance(extra.get("metadata"), dict) else None
    if vf.rephrase or vf.template in TEMPLATES[1:]:
        meta = meta or {}
        if vf.rephrase:
            meta["rephrase"] = True
        if vf.template in TEMPLATES[1:]:
            meta["template"] = vf.template
    if meta is not None:
        variation["metadata"] = meta
    for message in variation_problems(variation):
        vf.error(_field_of(message), message)
    return variation


def variations_from_forms(forms: list[VariationForm], slot_names: set[str]) -> list[dict] | None:
    """Every variation, or None when any field was refused (each form then carries its errors)."""
    variations = [variation_from_form(vf, slot_names) for vf in forms]
    return None if any(vf.errors for vf in forms) else variations
