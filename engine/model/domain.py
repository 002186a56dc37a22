"""Domain: slots (with Rasa's value coercion), responses and actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

SLOT_TYPES = ("text", "bool", "float", "categorical", "any", "list")

# Slots Rasa adds and never shows as user data (FORMAT.md §3.3).
BOOKKEEPING_SLOTS = frozenset({
    "dialogue_stack", "flow_hashes", "silence_timeout", "consecutive_silence_timeouts",
    "session_started_metadata", "mocked_datetime", "route_session_to_calm",
})


def bool_from_any(value: Any) -> bool:
    """Rasa's bool conversion; raises ValueError/TypeError when it cannot convert."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value == 1.0
    if isinstance(value, str):
        lowered = value.strip().lower()
        if value.isnumeric():
            return float(value) == 1.0
        if lowered in ("true", "yes"):
            return True
        if lowered in ("false", "no"):
            return False
        raise ValueError("Cannot convert string to bool")
    raise TypeError("Cannot convert to bool")


_ABSENT = ""  # Rasa's default for a condition without `active_loop` (an explicit null is None)


@dataclass(frozen=True)
class MappingCondition:
    """One entry of a mapping's `conditions` (rasa.shared.core.slot_mappings)."""

    active_flow: str | None = None
    active_loop: str | None = _ABSENT
    requested_slot: str | None = None

    @classmethod
    def from_dict(cls, data: dict) -> MappingCondition:
        return cls(active_flow=data.get("active_flow"), active_loop=data.get("active_loop", _ABSENT),
                   requested_slot=data.get("requested_slot"))


@dataclass(frozen=True)
class SlotMapping:
    """One slot mapping: who may fill the slot (`from_llm`, NLU mappings, `controlled`)."""

    type: str = "from_llm"
    conditions: tuple[MappingCondition, ...] = ()
    entity: str | None = None
    intents: tuple[str, ...] = ()
    not_intents: tuple[str, ...] = ()
    value: Any = None
    allow_nlu_correction: bool = False
    run_action_every_turn: str | None = None  # `controlled`: a custom action run after every message

    @classmethod
    def from_dict(cls, data: dict) -> SlotMapping:
        kind = str(data.get("type", "from_llm"))
        return cls(
            type="controlled" if kind == "custom" else kind,  # Rasa reads `custom` as controlled
            conditions=tuple(MappingCondition.from_dict(c) for c in data.get("conditions") or ()
                             if isinstance(c, dict)),
            entity=data.get("entity"), intents=_names(data.get("intent")),
            not_intents=_names(data.get("not_intent")), value=data.get("value"),
            allow_nlu_correction=data.get("allow_nlu_correction") is True,
            # `action` is the deprecated name of the key (Rasa still reads it)
            run_action_every_turn=data.get("run_action_every_turn") or data.get("action"))


def _names(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)


# Rasa gives a slot without `mappings` one `from_llm` mapping.
_DEFAULT_MAPPINGS = (SlotMapping(),)


@dataclass(frozen=True)
class Slot:
    name: str
    type: str = "text"
    initial_value: Any = None
    values: tuple[Any, ...] = ()
    mapping_types: tuple[str, ...] = ()
    mappings: tuple[SlotMapping, ...] = _DEFAULT_MAPPINGS
    min_value: float | None = None
    max_value: float | None = None
    validation_rejections: tuple[dict, ...] | None = None  # None: no `validation:` block
    refill_utter: str | None = None
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_dict(cls, name: str, data: dict) -> Slot:
        data = data or {}
        mappings = [m for m in data.get("mappings") or [] if isinstance(m, dict)]
        validation = data.get("validation") if isinstance(data.get("validation"), dict) else None
        return cls(
            name=name, type=str(data.get("type", "text")), initial_value=data.get("initial_value"),
            values=tuple(data.get("values") or ()),
            mapping_types=tuple(m.get("type", "") for m in mappings),
            mappings=tuple(SlotMapping.from_dict(m) for m in mappings) if "mappings" in data
            else _DEFAULT_MAPPINGS,
            min_value=data.get("min_value"), max_value=data.get("max_value"),
            validation_rejections=None if not validation else tuple(
                {"if": r.get("if"), "utter": r.get("utter")} for r in validation.get("rejections") or []
                if isinstance(r, dict)),
            refill_utter=None if not validation else validation.get("refill_utter") or f"utter_ask_{name}",
            raw=dict(data),
        )

    @property
    def requires_validation(self) -> bool:
        return self.validation_rejections is not None

    def to_dict(self) -> dict:
        return dict(self.raw)

    def coerce(self, value: Any) -> Any:
        """Rasa's `Slot.coerce_value`: convert when possible, else return the value unchanged."""
        if self.type == "float":
            try:
                return float(value)
            except (TypeError, ValueError):
                return value
        if self.type == "bool":
            try:
                return bool_from_any(value)
            except (TypeError, ValueError):
                return value
        if self.type == "list":
            return [value] if value and not isinstance(value, list) else value
        if self.type == "categorical" and value and isinstance(value, str):
            options = self.options
            if value in options:
                return value
            folded = value.casefold()
            for option in options:
                if folded == option.casefold():
                    return option
        return value

    @cached_property
    def options(self) -> tuple[str, ...]:
        """Categorical values as Rasa keeps them: strings, `null` left out."""
        return tuple(str(v) for v in self.values if v is not None)

    def is_valid(self, value: Any) -> bool:
        """Rasa's `Slot.is_valid_value`."""
        if value is None:
            return True
        if self.type == "float":
            coerced = self.coerce(value)
            if not isinstance(coerced, float):
                return False
            if self.min_value is not None and self.max_value is not None:
                try:
                    return self.min_value <= value <= self.max_value
                except TypeError:
                    return False
            return True
        if self.type == "bool":
            return isinstance(self.coerce(value), bool)
        if self.type == "categorical":
            return self._categorical_valid(value)
        return True

    def _categorical_valid(self, value: Any) -> bool:
        # Rasa also accepts its default value `__other__` (CategoricalSlot.add_default_value).
        options = self.options + ("__other__",)
        if isinstance(value, str):
            return any(value.casefold() == o.casefold() for o in options)
        return str(value) in options

    @property
    def allows_llm_fill(self) -> bool:
        return not self.mapping_types or "from_llm" in self.mapping_types

    @property
    def is_controlled_only(self) -> bool:
        return bool(self.mapping_types) and all(t == "controlled" for t in self.mapping_types)


@dataclass(frozen=True)
class Variation:
    text: str | None = None
    buttons: tuple[dict, ...] = ()
    custom: Any = None
    condition: Any = None
    channel: str | None = None
    jinja: bool = False
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_dict(cls, data: dict) -> Variation:
        metadata = data.get("metadata") or {}
        return cls(
            text=data.get("text"), buttons=tuple(data.get("buttons") or ()),
            custom=data.get("custom"), condition=data.get("condition"), channel=data.get("channel"),
            jinja=isinstance(metadata, dict) and metadata.get("template") == "jinja", raw=dict(data),
        )


@dataclass(frozen=True)
class Domain:
    slots: dict[str, Slot]
    responses: dict[str, tuple[Variation, ...]]
    actions: tuple[str, ...]
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_dict(cls, data: dict) -> Domain:
        raw_slots = data.get("slots") if isinstance(data.get("slots"), dict) else {}
        raw_responses = data.get("responses") if isinstance(data.get("responses"), dict) else {}
        slots = {name: Slot.from_dict(name, body if isinstance(body, dict) else {})
                 for name, body in raw_slots.items()}
        responses = {
            name: tuple(Variation.from_dict(v) for v in variations if isinstance(v, dict))
            for name, variations in raw_responses.items() if isinstance(variations, list)
        }
        actions = []
        for entry in data.get("actions") if isinstance(data.get("actions"), list) else []:
            actions.extend(entry.keys() if isinstance(entry, dict) else [str(entry)])
        return cls(slots=slots, responses=responses, actions=tuple(actions), raw=dict(data))

    @cached_property
    def every_turn_actions(self) -> tuple[str, ...]:
        """The custom actions of `controlled` mappings with `run_action_every_turn`, each once, in
        slot order (what action_extract_slots runs after every message)."""
        actions: dict[str, None] = {}
        for slot in self.slots.values():
            for mapping in slot.mappings:
                if mapping.type == "controlled" and mapping.run_action_every_turn:
                    actions.setdefault(mapping.run_action_every_turn, None)
        return tuple(actions)

    def to_dict(self) -> dict:
        return dict(self.raw)
