"""An Assistant: validated flows + domain + config, merged with Rasa's default patterns."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Collection

from engine.commands import syntax_for_generator
from engine.errors import DefinitionError, Problem
from engine.loader import build_flows, default_pattern_data, default_pattern_flows, read_project
from engine.model.domain import Domain, Slot, Variation
from engine.model.flows import Flow
from engine.model.response_schema import variation_problems
from engine.predicates import evaluate_predicate
from engine.validation import (BUILTIN_ACTIONS, CallTargets, button_payload_problems, call_target_warnings,
                               mcp_server_names, rephrase_endpoint_problems, self_link_warnings,
                               slot_mapping_problems, validate_flows)

LANGUAGE_SLOT = "language"  # rasa.shared.core.constants.LANGUAGE_SLOT
# rasa.shared.core.constants.DEFAULT_INTENTS
_DEFAULT_INTENTS = ("restart", "back", "out_of_scope", "session_start", "session_end",
                    "silence_timeout", "nlu_fallback")


def _merged_domain(project_domain: dict, defaults: dict) -> dict:
    """The project's domain plus the default patterns' slots and responses it does not define."""
    # Only the two sections are copied: nested values are read, never changed.
    merged = dict(project_domain or {})
    for key in ("slots", "responses"):
        section = merged.get(key)
        section = dict(section) if isinstance(section, dict) else section
        if section is None:
            section = {}
        if isinstance(section, dict):
            for name, body in (defaults.get(key) or {}).items():
                section.setdefault(name, body)
        merged[key] = section
    return merged


def _default_domain() -> dict:
    patterns = default_pattern_data()  # shared and read-only
    return {"slots": patterns.get("slots") or {}, "responses": patterns.get("responses") or {}}


def domain_intents(domain: Domain) -> frozenset[str]:
    """The domain's intents plus Rasa's default ones."""
    names = set(_DEFAULT_INTENTS)
    raw = domain.raw.get("intents")
    for entry in raw if isinstance(raw, list) else []:
        names.update(entry.keys() if isinstance(entry, dict) else [str(entry)])
    return frozenset(names)


def _pipeline_names(config: dict, key: str) -> list[str]:
    return [str(c.get("name")) for c in config.get(key) or [] if isinstance(c, dict)]


@dataclass(frozen=True)
class Assistant:
    """Everything the runtime needs; build it with `from_dicts` or `engine.load_project`."""

    config: dict
    domain: Domain
    flows: dict[str, Flow]
    endpoints: dict = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    flow_files: dict[str, str] = field(default_factory=dict)
    agents: dict[str, dict] = field(default_factory=dict)  # sub-agent name -> its config.yml
    warnings: tuple[Problem, ...] = ()  # what Rasa loads but warns about (never raised)

    @classmethod
    def from_dicts(cls, *, config: dict, domain: dict, flows: dict[str, dict],
                   endpoints: dict | None = None, strict: bool = True,
                   flow_files: dict[str, str] | None = None,
                   problems: list[Problem] | None = None,
                   flow_lines: dict[str, int] | None = None,
                   agents: dict[str, dict] | None = None, whole_project: bool = True) -> Assistant:
        """Build and validate; raises DefinitionError listing every problem when `strict`.
        `whole_project=False` judges the given parts alone (one slot being edited, say): the rules
        that need the whole project (the pipeline and flows a slot's mappings need, the NLG endpoint
        rephrased responses need) are left out."""
        problems = list(problems or [])
        flow_files = dict(flow_files or {})
        if not isinstance(config or {}, dict):
            problems.append(Problem("config must be a mapping", file="config.yml"))
            config = {}
        defaults = _default_domain()
        domain_model = _domain_or_problem(_with_language_slot(_merged_domain(domain, defaults), config or {},
                                                              problems), problems)
        # Flows written, even ones that fail to build: a slot's mappings are judged against them.
        has_flows = bool(flows)
        if not isinstance(flows, dict):
            problems.append(Problem("'flows' must be a mapping of flow id to flow"))
            flows = {}
        project_flows = build_flows(flows, flow_files, problems, flow_lines)
        all_flows = dict(default_pattern_flows())
        all_flows.update(project_flows)  # a project flow with a pattern's id overrides it
        targets = CallTargets(agents=frozenset(agents or ()), mcp_servers=mcp_server_names(endpoints or {}))
        problems += validate_flows(all_flows, domain_model, only=set(project_flows), files=flow_files,
                                   lines=flow_lines, targets=targets)
        # The project's own domain (before Rasa's defaults are merged in) decides these two.
        own = domain if isinstance(domain, dict) else {}
        own_slots = own.get("slots") if isinstance(own.get("slots"), dict) else {}
        problems += slot_mapping_problems(domain_model, list(own_slots), config if isinstance(config, dict) else {},
                                          has_flows, whole_project=whole_project)
        if whole_project:
            problems += rephrase_endpoint_problems(own.get("responses"), endpoints)
            problems += button_payload_problems(domain_model.responses, set(domain_model.slots),
                                                domain_intents(domain_model))
        warnings = call_target_warnings(all_flows, only=set(project_flows), files=flow_files, lines=flow_lines,
                                        targets=targets)
        warnings += self_link_warnings(all_flows, only=set(project_flows), files=flow_files, lines=flow_lines)
        assistant = cls(config=dict(config or {}), domain=domain_model, flows=all_flows,
                        endpoints=dict(endpoints or {}), problems=tuple(problems), flow_files=flow_files,
                        agents=dict(agents or {}), warnings=tuple(warnings))
        if strict and problems:
            raise DefinitionError(problems)
        return assistant

    # Read accessors for the studio and the understanding layer.
    @property
    def slots(self) -> dict[str, Slot]:
        return self.domain.slots

    @property
    def responses(self) -> dict[str, tuple[Variation, ...]]:
        return self.domain.responses

    @cached_property
    def user_flows(self) -> dict[str, Flow]:
        """Read-only, built once: every turn asks (the flows never change after the build)."""
        return {fid: f for fid, f in self.flows.items() if not f.is_pattern}

    @cached_property
    def slot_defaults(self) -> dict[str, Any]:
        """Each slot's initial value, read-only (a stored conversation keeps only the slots that differ)."""
        return {name: slot.initial_value for name, slot in self.slots.items()}

    def is_startable(self, flow_id: str, slots: dict[str, Any], context: dict | None = None) -> bool:
        flow = self.flows.get(flow_id)
        if flow is None or flow.is_pattern:
            return False
        if flow.guard is None:
            return True
        if context and context.get("flow_id") == flow_id:
            return True  # Rasa: a guarded flow that is the active one counts as startable
        if isinstance(flow.guard, bool):
            return flow.guard
        return evaluate_predicate(str(flow.guard), slots, context or {})

    def startable_flows(self, slots: dict[str, Any]) -> list[Flow]:
        """User flows whose `if:` guard holds for these slot values."""
        return self.startable_flows_in(slots, {})

    def startable_flows_in(self, slots: dict[str, Any], context: dict) -> list[Flow]:
        """Startable user flows, guards evaluated with the current stack context."""
        return [f for f in self.user_flows.values() if f.guard is None or self.is_startable(f.id, slots, context)]

    @property
    def command_syntax(self) -> str:
        names = _pipeline_names(self.config, "pipeline")
        return syntax_for_generator(next((n for n in names if "CommandGenerator" in n), None))

    @property
    def max_user_input_characters(self) -> int:
        """`user_input.max_characters` of the command generator (Rasa's default: 420)."""
        for component in self.config.get("pipeline") or []:
            if isinstance(component, dict) and "CommandGenerator" in str(component.get("name")):
                user_input = component.get("user_input") or {}
                value = user_input.get("max_characters") if isinstance(user_input, dict) else None
                if isinstance(value, int):
                    return value
        return 420

    @property
    def has_search_policy(self) -> bool:
        return "EnterpriseSearchPolicy" in _pipeline_names(self.config, "policies")

    @property
    def has_intentless_policy(self) -> bool:
        return "IntentlessPolicy" in _pipeline_names(self.config, "policies")

    @property
    def action_endpoint_url(self) -> str | None:
        endpoint = self.endpoints.get("action_endpoint") or {}
        return endpoint.get("url") if isinstance(endpoint, dict) else None

    @property
    def intents(self) -> frozenset[str]:
        """Domain intents plus Rasa's default ones: only these work as `/intent` payloads."""
        cached = self.__dict__.get("_intents")
        if cached is None:
            cached = domain_intents(self.domain)
            object.__setattr__(self, "_intents", cached)
        return cached

    @property
    def entities(self) -> frozenset[str]:
        """Entity names of the domain (`from_entity` mappings and `/intent{...}` payloads)."""
        cached = self.__dict__.get("_entities")
        if cached is None:
            raw = self.domain.raw.get("entities")
            cached = frozenset(name for entry in (raw if isinstance(raw, list) else [])
                               for name in (entry.keys() if isinstance(entry, dict) else [str(entry)]))
            object.__setattr__(self, "_entities", cached)
        return cached

    def is_custom_action(self, name: str) -> bool:
        return (name in self.domain.actions and name not in BUILTIN_ACTIONS
                and not name.startswith("utter_"))

    def available_actions(self) -> frozenset[str]:
        cached = self.__dict__.get("_available")
        if cached is None:
            cached = frozenset(self.domain.actions) | frozenset(self.domain.responses) | BUILTIN_ACTIONS
            object.__setattr__(self, "_available", cached)
        return cached

    @property
    def call_targets(self) -> CallTargets:
        """What a `call` step may reach besides flows: sub-agents and MCP servers."""
        return CallTargets(agents=frozenset(self.agents), mcp_servers=mcp_server_names(self.endpoints))

    def validate_flow(self, flow_id: str, body: dict) -> list[Problem]:
        """Problems of one flow being edited, checked against this assistant's domain and flows."""
        problems: list[Problem] = []
        built = build_flows({flow_id: body}, {}, problems)
        if flow_id not in built:
            return problems
        flows = dict(self.flows)
        flows.update(built)
        return problems + validate_flows(flows, self.domain, only={flow_id}, targets=self.call_targets)

    def collects(self, flow_id: str) -> list:
        """Collect steps of a flow including those of the flows it calls (Rasa's
        `get_collect_steps`, which resolves calls)."""
        cache = self.__dict__.setdefault("_collects", {})
        if flow_id not in cache:
            cache[flow_id] = [s for s in self._steps_with_calls(flow_id, frozenset()) if s.kind == "collect"]
        return cache[flow_id]

    def _steps_with_calls(self, flow_id: str, seen: frozenset) -> list:
        flow = self.flows.get(flow_id)
        if flow is None or flow_id in seen:
            return []
        steps = []
        for step in flow.steps:
            steps.append(step)
            if step.kind == "call":
                steps.extend(self._steps_with_calls(step.target_flow or "", seen | {flow_id}))
        return steps

    def flow_ids_collecting(self, slot: str, *, only: Collection[str] | None = None) -> list[str]:
        return [f.id for f in self.flows.values() if (only is None or f.id in only)
                and any(s.collect == slot for s in f.collect_steps())]


def _with_language_slot(domain: dict, config: dict, problems: list[Problem]) -> dict:
    """Rasa's LanguageImporter: every domain gets a built-in `language` slot holding the language
    responses are given in (initially the config's `language`; values: it and `additional_languages`),
    and a project may not define its own."""
    slots = domain.get("slots")
    if not isinstance(slots, dict):
        return domain
    if LANGUAGE_SLOT in slots:
        problems.append(Problem(f"The '{LANGUAGE_SLOT}' slot is a builtin slot that cannot be overridden: "
                                "remove its definition from the domain", file="domain.yml"))
    additional = config.get("additional_languages")
    values = [code for code in additional if isinstance(code, str)] if isinstance(additional, list) else []
    language = config.get("language")
    if isinstance(language, str) and language not in values:
        values.append(language)
    if not values:  # Rasa's slot could then never hold a value: nothing to add
        return domain
    slot = {"type": "categorical", "initial_value": language if isinstance(language, str) else None,
            "values": values, "mappings": [{"type": "controlled"}]}
    return {**domain, "slots": {**slots, LANGUAGE_SLOT: slot}}


def _domain_or_problem(data: dict, problems: list[Problem]) -> Domain:
    problems.extend(_domain_shape_problems(data))
    try:
        domain = Domain.from_dict(data)
    except (AttributeError, TypeError, ValueError) as exc:
        problems.append(Problem(f"malformed domain: {exc}", file="domain.yml"))
        return Domain(slots={}, responses={}, actions=())
    for name, slot in domain.slots.items():
        if slot.type not in ("text", "bool", "float", "categorical", "any", "list"):
            problems.append(Problem(f"slot '{name}' has unknown type '{slot.type}'", file="domain.yml"))
        elif slot.type == "categorical" and not slot.values:
            problems.append(Problem(f"categorical slot '{name}' needs a list of 'values'", file="domain.yml"))
    return domain


def _domain_shape_problems(data: Any) -> list[Problem]:
    if not isinstance(data, dict):
        return [Problem("the domain must be a mapping", file="domain.yml")]
    problems = []
    for key in ("slots", "responses"):
        if not isinstance(data.get(key) or {}, dict):
            problems.append(Problem(f"'{key}' must be a mapping", file="domain.yml"))
    for name, body in (data.get("slots") or {}).items() if isinstance(data.get("slots"), dict) else ():
        if body is not None and not isinstance(body, dict):
            problems.append(Problem(f"slot '{name}' must be a mapping", file="domain.yml"))
    responses = data.get("responses") if isinstance(data.get("responses"), dict) else {}
    for name, variations in responses.items():
        if not isinstance(variations, list) or not all(isinstance(v, dict) for v in variations):
            problems.append(Problem(f"response '{name}' must be a list of variations (mappings)",
                                    file="domain.yml"))
            continue
        for number, variation in enumerate(variations, 1):
            problems.extend(Problem(f"response '{name}' variation {number}: {problem}", file="domain.yml")
                            for problem in variation_problems(variation))
    if not isinstance(data.get("actions") or [], list):
        problems.append(Problem("'actions' must be a list", file="domain.yml"))
    return problems


def load_project(path: str | Path, *, strict: bool = True) -> Assistant:
    """Load a Rasa Pro project folder; raises DefinitionError with every problem found."""
    raw = read_project(path)
    return Assistant.from_dicts(config=raw.config, domain=raw.domain, flows=raw.flows,
                                endpoints=raw.endpoints, strict=strict, flow_files=raw.flow_files,
                                problems=raw.problems, flow_lines=raw.flow_lines, agents=raw.agents)
