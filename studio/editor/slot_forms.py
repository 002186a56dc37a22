"""The slot form: one field per Rasa slot property, mappings with their conditions, and the other keys as YAML.

The form only turns text into Rasa's shapes; whether the slot is valid is the engine's call
(studio.assistants.slot_services). An unchanged property keeps its stored value exactly (a
one-element `intent: [greet]` stays a list, `1` stays an int), so an export after an edit differs
only where the user changed something.
"""
from __future__ import annotations

from typing import Any

from django import forms
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from engine.model.domain import SLOT_TYPES
from engine.safe_input import load_yaml
from studio.assistants.slot_services import SLOT_FORM_KEYS
from studio.exchange.yamlproject import yamlio

MAPPING_TYPES = ("from_llm", "from_text", "from_intent", "from_entity", "controlled", "custom")
MAPPING_FORM_KEYS = ("type", "entity", "intent", "not_intent", "value", "conditions")
CONDITION_KEYS = ("active_flow", "active_loop", "requested_slot")
ABSENT = object()
_TEXTAREA = {"rows": 3, "spellcheck": "false"}


def _parse_yaml(text: str) -> Any:
    try:
        return load_yaml(text, YAML(typ="safe", pure=True))
    except YAMLError as exc:
        raise forms.ValidationError(f"not valid YAML: {getattr(exc, 'problem', None) or exc}") from None


def yaml_text(value: Any) -> str:
    """A value as a user types it: `5`, `true`, `null`, `hello`, or a block for lists and mappings."""
    if value is ABSENT:
        return ""
    text = yamlio.dump(yamlio.to_node(value))
    return text.removesuffix("\n...\n").strip()


def _choices(known: tuple[str, ...], current: Any, blank: str | None = None) -> list[tuple[str, str]]:
    choices = [("", blank)] if blank is not None else []
    choices += [(t, t) for t in known]
    if isinstance(current, str) and current and current not in known:
        choices.append((current, current))  # a custom slot class or mapping type Rasa's plugins add
    return choices


def _names_text(value: Any) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list) else ("" if value is None else str(value))


def _names(text: str) -> Any:
    names = [n.strip() for n in text.split(",") if n.strip()]
    return names[0] if len(names) == 1 else names


def yaml_field() -> forms.CharField:
    return forms.CharField(required=False, max_length=20_000, strip=False, widget=forms.Textarea(attrs=_TEXTAREA))


class OtherKeysMixin:
    """`other`: the keys this form has no field for, as a YAML mapping, kept through every save."""

    def clean_other(self) -> dict[str, Any]:
        text = self.cleaned_data.get("other") or ""
        data = _parse_yaml(text) if text.strip() else {}
        if not isinstance(data, dict):
            raise forms.ValidationError("write a YAML mapping, e.g. validation: {rejections: []}")
        return data


class SlotForm(OtherKeysMixin, forms.Form):
    type = forms.ChoiceField(choices=[(t, t) for t in SLOT_TYPES])
    values = forms.CharField(required=False, max_length=20_000, widget=forms.Textarea(attrs=_TEXTAREA),
                             help_text="categorical slots: one value per line")
    min_value = forms.FloatField(required=False, help_text="float slots")
    max_value = forms.FloatField(required=False, help_text="float slots")
    initial_value = forms.CharField(required=False, max_length=5000, label="Initial value",
                                    help_text="as YAML: 5, true, hello; empty for none")
    influence_conversation = forms.ChoiceField(
        required=False, label="Influence conversation",
        choices=[("", "not set (Rasa's default)"), ("true", "true"), ("false", "false")])
    other = yaml_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].label = "Other keys (YAML)"
        self.fields["other"].help_text = "every other Rasa key (validation, allow_llm_set, …), kept as written"
        current = (self.data.get(self.add_prefix("type")) if self.is_bound else None) or self.initial.get("type")
        self.fields["type"].choices = _choices(SLOT_TYPES, current)

    def clean_values(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("values") or "").splitlines() if line.strip()]

    def clean_initial_value(self) -> Any:
        text = self.cleaned_data.get("initial_value") or ""
        return _parse_yaml(text) if text.strip() else ABSENT

    @staticmethod
    def initial_for(definition: dict[str, Any]) -> dict[str, Any]:
        influence = definition.get("influence_conversation", ABSENT)
        return {
            "type": definition.get("type", "text"),
            "values": "\n".join(str(v) for v in definition.get("values") or []),
            "min_value": definition.get("min_value"), "max_value": definition.get("max_value"),
            "initial_value": yaml_text(definition.get("initial_value", ABSENT)),
            "influence_conversation": "" if influence is ABSENT else str(bool(influence)).lower(),
            "other": yaml_text({k: v for k, v in definition.items() if k not in SLOT_FORM_KEYS} or ABSENT),
        }

    @staticmethod
    def built(cleaned: dict[str, Any]) -> dict[str, Any]:
        """The slot keys the fields stand for (absent when empty), mappings and other keys aside."""
        out: dict[str, Any] = {"type": cleaned["type"]}
        if cleaned.get("values"):
            out["values"] = list(cleaned["values"])
        for key in ("min_value", "max_value"):
            if cleaned.get(key) is not None:
                out[key] = cleaned[key]
        if cleaned.get("initial_value", ABSENT) is not ABSENT:
            out["initial_value"] = cleaned["initial_value"]
        if cleaned.get("influence_conversation"):
            out["influence_conversation"] = cleaned["influence_conversation"] == "true"
        return out


class SlotCreateForm(SlotForm):
    name = forms.CharField(max_length=200, help_text="letters, digits, _ and - (e.g. amount)")
    field_order = ["name"]


class MappingForm(OtherKeysMixin, forms.Form):
    type = forms.ChoiceField(required=False)
    entity = forms.CharField(required=False, max_length=200, help_text="from_entity")
    intent = forms.CharField(required=False, max_length=2000, help_text="comma-separated")
    not_intent = forms.CharField(required=False, max_length=2000, label="Not intent", help_text="comma-separated")
    value = forms.CharField(required=False, max_length=5000, help_text="from_intent: the value to set (YAML)")
    other = yaml_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = (self.data.get(self.add_prefix("type")) if self.is_bound else None) or self.initial.get("type")
        self.fields["type"].choices = _choices(MAPPING_TYPES, current, blank="—")
        self.fields["other"].label = "Other keys (YAML)"

    def clean_value(self) -> Any:
        text = self.cleaned_data.get("value") or ""
        return _parse_yaml(text) if text.strip() else ABSENT

    @staticmethod
    def initial_for(mapping: dict[str, Any]) -> dict[str, Any]:
        return {"type": mapping.get("type", ""), "entity": mapping.get("entity") or "",
                "intent": _names_text(mapping.get("intent")), "not_intent": _names_text(mapping.get("not_intent")),
                "value": yaml_text(mapping.get("value", ABSENT)),
                "other": yaml_text({k: v for k, v in mapping.items() if k not in MAPPING_FORM_KEYS} or ABSENT)}

    @staticmethod
    def built(cleaned: dict[str, Any], conditions: list[dict[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {"type": cleaned["type"]}
        for key in ("entity", "intent", "not_intent"):
            if cleaned.get(key):
                out[key] = cleaned[key] if key == "entity" else _names(cleaned[key])
        if cleaned.get("value", ABSENT) is not ABSENT:
            out["value"] = cleaned["value"]
        if conditions:
            out["conditions"] = conditions
        return {**out, **cleaned.get("other", {})}


class ConditionForm(forms.Form):
    """One entry of a mapping's `conditions`; `null` is Rasa's explicit "none" (e.g. active_loop: null)."""

    active_flow = forms.CharField(required=False, max_length=200)
    active_loop = forms.CharField(required=False, max_length=200)
    requested_slot = forms.CharField(required=False, max_length=200)

    @staticmethod
    def initial_for(condition: dict[str, Any]) -> dict[str, Any]:
        return {k: ("null" if condition[k] is None else str(condition[k])) for k in CONDITION_KEYS if k in condition}

    @staticmethod
    def built(cleaned: dict[str, Any]) -> dict[str, Any]:
        return {k: (None if cleaned[k] == "null" else cleaned[k]) for k in CONDITION_KEYS if cleaned.get(k)}


MappingFormSet = forms.formset_factory(MappingForm, extra=1, can_delete=True, max_num=50)
ConditionFormSet = forms.formset_factory(ConditionForm, extra=1, can_delete=True, max_num=50)


def cleaned_initial(form_class: type[forms.Form], initial: dict[str, Any]) -> dict[str, Any]:
    """What the form's cleaning makes of its own initial values: the baseline an edit is compared with."""
    form = form_class(data={k: "" if v is None else v for k, v in initial.items()})
    form.is_valid()
    return form.cleaned_data


def merged(original: dict[str, Any], before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """`original` with only the keys whose value the user changed (before → after) replaced, added or removed."""
    out: dict[str, Any] = {}
    for key, value in original.items():
        if before.get(key, ABSENT) == after.get(key, ABSENT):
            out[key] = value  # unchanged: the stored value itself (its type and spelling)
        elif key in after:
            out[key] = after[key]
    out.update({k: v for k, v in after.items() if k not in original})
    return out


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [m for m in value if isinstance(m, dict)] if isinstance(value, list) else []


class SlotEditor:
    """The slot form with its mapping formset and each mapping's condition formset."""

    def __init__(self, definition: dict[str, Any], data: Any = None, *, create: bool = False) -> None:
        self.original = dict(definition)
        self._mappings = _dicts(definition.get("mappings"))
        form_class = SlotCreateForm if create else SlotForm
        self.form = form_class(data, initial=SlotForm.initial_for(definition))
        self.mappings = MappingFormSet(data, prefix="mappings",
                                       initial=[MappingForm.initial_for(m) for m in self._mappings])
        for index, mapping_form in enumerate(self.mappings.forms):
            conditions = _dicts(self._mappings[index].get("conditions")) if index < len(self._mappings) else []
            mapping_form.conditions = ConditionFormSet(
                data, prefix=f"mappings-{index}-conditions",
                initial=[ConditionForm.initial_for(c) for c in conditions])

    def is_valid(self) -> bool:
        valid = [self.form.is_valid(), self.mappings.is_valid()]
        valid += [f.conditions.is_valid() for f in self.mappings.forms]
        return all(valid)

    def _built_mapping(self, mapping_form: MappingForm) -> dict[str, Any] | None:
        cleaned = mapping_form.cleaned_data
        if not cleaned or cleaned.get("DELETE") or not cleaned.get("type"):
            return None
        conditions = [ConditionForm.built(c.cleaned_data) for c in mapping_form.conditions.forms
                      if c.cleaned_data and not c.cleaned_data.get("DELETE")]
        return MappingForm.built(cleaned, [c for c in conditions if c])

    def _mapping_list(self) -> list[dict[str, Any]]:
        out = []
        for index, mapping_form in enumerate(self.mappings.forms):
            new = self._built_mapping(mapping_form)
            if new is None:
                continue
            if index < len(self._mappings):
                original = self._mappings[index]
                conditions = [ConditionForm.built(cleaned_initial(ConditionForm, ConditionForm.initial_for(c)))
                              for c in _dicts(original.get("conditions"))]
                before = MappingForm.built(cleaned_initial(MappingForm, MappingForm.initial_for(original)),
                                           [c for c in conditions if c])
                if new == before:
                    new = original
            out.append(new)
        return out

    def definition(self) -> dict[str, Any]:
        """The slot as Rasa's domain holds it; call after is_valid()."""
        cleaned = self.form.cleaned_data
        before_cleaned = cleaned_initial(SlotForm, SlotForm.initial_for(self.original))
        before = {**before_cleaned.get("other", {}), **SlotForm.built(before_cleaned)}
        after = {**cleaned["other"], **SlotForm.built(cleaned)}
        if "mappings" in self.original:
            before["mappings"] = self.original["mappings"]
        mappings = self._mapping_list()
        if mappings or "mappings" in self.original:
            after["mappings"] = mappings
        return merged(self.original, before, after)
