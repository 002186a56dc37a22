"""Semantic checks of flows against the domain and each other (what `rasa train` rejects)."""

from __future__ import annotations

import re
import string
from collections import Counter
from dataclasses import dataclass
from typing import Any, Collection, Iterable

from engine.commands import MAX_PAYLOAD_SLOTS, read_payload
from engine.errors import Problem
from engine.flow_schema import schema_problems
from engine.model.domain import Domain
from engine.model.flows import END, Flow, Step
from engine.predicates import predicate_problem

# Actions Rasa Pro ships; flows may use them without declaring them in the domain.
BUILTIN_ACTIONS = frozenset({
    "action_listen", "action_restart", "action_session_start", "action_default_fallback",
    "action_deactivate_loop", "action_revert_fallback_events", "action_default_ask_affirmation",
    "action_default_ask_rephrase", "action_two_stage_fallback", "action_back", "action_unlikely_intent",
    "action_extract_slots", "action_cancel_flow", "action_clarify_flows", "action_correct_flow_slot",
    "action_run_slot_rejections", "action_continue_interrupted_flow", "action_cancel_interrupted_flows",
    "action_repeat_bot_messages", "action_trigger_search", "action_trigger_chitchat",
    "action_handoff_metric", "action_hangup", "action_clean_stack", "action_send_text",
    "action_block_digression", "action_continue_digression", "action_reset_routing",
    "action_validate_slot_mappings",
})

# Slots Rasa adds to every domain (shared/core/domain.py `_add_default_slots`, and the language
# importer); the default patterns' slots (consecutive_silence_timeouts, ...) come with
# engine/data/default_flows.yml, merged into the domain. Flows may name both without a definition.
BUILTIN_SLOTS = frozenset({"requested_slot", "flow_hashes", "session_started_metadata", "mocked_datetime",
                           "language"})


def slot_known(name: str, domain: Domain) -> bool:
    """A slot the domain defines or one Rasa provides to every assistant."""
    return name in domain.slots or name in BUILTIN_SLOTS


@dataclass(frozen=True)
class CallTargets:
    """What a `call` step may name besides a flow: Rasa sub-agents and MCP servers."""

    agents: frozenset[str] = frozenset()
    mcp_servers: frozenset[str] = frozenset()


def mcp_server_names(endpoints: dict) -> frozenset[str]:
    """Names under `mcp_servers:` in endpoints.yml."""
    servers = endpoints.get("mcp_servers") if isinstance(endpoints, dict) else None
    return frozenset(str(s["name"]) for s in servers or () if isinstance(s, dict) and s.get("name"))


def validate_flows(
    flows: dict[str, Flow], domain: Domain, *, only: Collection[str] | None = None,
    files: dict[str, str] | None = None, lines: dict[str, int] | None = None,
    targets: CallTargets = CallTargets(),
) -> list[Problem]:
    """Every problem of the given flows (all flows, or only the ids in `only`)."""
    files, lines = files or {}, lines or {}
    problems: list[Problem] = []
    duplicates = _duplicate_names_and_descriptions(flows)
    for flow in flows.values():
        if only is not None and flow.id not in only:
            continue
        for message in duplicates.get(flow.id, ()):
            problems.append(Problem(message, file=files.get(flow.id), flow_id=flow.id, line=lines.get(flow.id)))
        for message, step_id in _flow_problems(flow, flows, domain, targets):
            problems.append(Problem(message, file=files.get(flow.id), flow_id=flow.id, step_id=step_id,
                                    line=lines.get(flow.id)))
    return problems


def _flow_problems(flow: Flow, flows: dict[str, Flow], domain: Domain,
                   targets: CallTargets) -> Iterable[tuple[str, str | None]]:
    yield from schema_problems(flow)
    if not flow.steps:
        yield "the flow has no steps", None
    if flow.guard is not None:
        for problem in _condition_problems(flow.guard, domain):
            yield f"flow guard 'if': {problem}", None
    for slot in flow.persisted_slots:
        if not slot_known(slot, domain):
            yield f"persisted slot '{slot}' is not defined in the domain", None
    counts = Counter(step.id for step in flow.steps)
    for step_id, count in counts.items():
        if count > 1:
            yield f"step id '{step_id}' is used {count} times in the flow", step_id
    step_ids = set(counts)
    for reserved in ("START", "END"):
        if reserved in step_ids:
            yield f"'{reserved}' is a reserved step id", reserved
    for step in flow.steps:
        for message in _step_problems(step, step_ids, flows, domain, targets):
            yield message, step.id
    for step_id in _unreachable(flow):
        yield "the step cannot be reached from the first step", step_id
    yield from _persistence_problems(flow, flows)


def _with_calls(flow: Flow, flows: dict[str, Flow], seen: frozenset = frozenset()) -> Iterable[Step]:
    """Rasa's `steps_with_calls_resolved`: the flow's steps and those of the flows it calls."""
    for step in flow.steps:
        yield step
        target = flows.get(step.target_flow or "") if step.kind == "call" else None
        if target is not None and target.id not in seen | {flow.id}:
            yield from _with_calls(target, flows, seen | {flow.id})


def _persistence_problems(flow: Flow, flows: dict[str, Flow]) -> Iterable[tuple[str, str | None]]:
    """Rasa's Validator.verify_slot_persistence_configuration (run by `rasa train`)."""
    used: set[str] = set()
    for step in _with_calls(flow, flows):
        if step.kind == "set_slots":
            used.update(name for name, _ in step.slot_values)
        elif step.kind == "collect":
            used.add(step.collect or "")
            if flow.persisted_slots and not step.reset_after_flow_ends and step.flow_id == flow.id:
                yield ("use either the flow's persisted_slots or the collect's reset_after_flow_ends: "
                       "false, not both", step.id)
    for slot in flow.persisted_slots:
        if slot not in used:
            yield f"persisted slot '{slot}' is neither collected nor set in this flow (or a flow it calls)", None


def _duplicate_names_and_descriptions(flows: dict[str, Flow]) -> dict[str, list[str]]:
    """Rasa's Validator.verify_unique_flows: names and descriptions (punctuation ignored)
    must be unique, and so must nlu_trigger intents; the later flow is reported."""
    result: dict[str, list[str]] = {}
    names: dict[Any, str] = {}
    descriptions: dict[str, str] = {}
    table = str.maketrans({c: "" for c in string.punctuation})
    intents: dict[str, str] = {}
    for flow in flows.values():
        name = flow.name if flow.name is not None else _default_name(flow.id)
        if name in names:
            result.setdefault(flow.id, []).append(f"flow name '{name}' is also used by '{names[name]}'")
        names.setdefault(name, flow.id)
        for intent in dict.fromkeys(flow.nlu_triggers):
            if intent in intents:
                result.setdefault(flow.id, []).append(f"nlu_trigger intent '{intent}' is also used by '{intents[intent]}'")
            intents.setdefault(intent, flow.id)
        if isinstance(flow.description, str):
            cleaned = flow.description.translate(table)
            if cleaned in descriptions:
                result.setdefault(flow.id, []).append(
                    f"the description is the same as the one of '{descriptions[cleaned]}'")
            descriptions.setdefault(cleaned, flow.id)
    return result


def _default_name(flow_id: str) -> str:
    """Rasa's `Flow.create_default_name`: a flow without a name is named after its id."""
    return flow_id.replace("_", " ").replace("-", " ")


def _unreachable(flow: Flow) -> list[str]:
    if not flow.steps:
        return []
    seen, todo = set(), [flow.steps[0].id]
    while todo:
        step = flow.step(todo.pop())
        if step is None or step.id in seen:
            continue
        seen.add(step.id)
        todo.extend(link.target for link in step.links)
    return [s.id for s in flow.steps if s.id not in seen]


def _step_problems(step: Step, step_ids: set[str], flows: dict[str, Flow], domain: Domain,
                   targets: CallTargets) -> Iterable[str]:
    for link in step.links:
        if link.target != END and link.target not in step_ids:
            yield f"'next' points to a step that does not exist: '{link.target}'"
        if link.kind == "if":
            yield from _condition_problems(link.condition, domain)
    if any(link.kind == "if" for link in step.links) and not any(link.kind == "else" for link in step.links):
        yield "a 'next' with 'if' branches needs an 'else' branch"
    if step.kind == "collect":
        yield from _collect_problems(step, domain)
    elif step.kind == "action":
        yield from _action_problems(step.action or "", domain)
    elif step.kind == "set_slots":
        for name, _ in step.slot_values:
            if not slot_known(name, domain):
                yield f"set_slots uses slot '{name}', which is not defined in the domain"
            elif name in domain.slots and domain.slots[name].type == "list":
                yield f"set_slots uses the list slot '{name}'; Rasa does not support list slots in flows"
    elif step.kind == "call":
        yield from _call_problems(step, flows, domain, targets)
    elif step.kind == "link":
        yield from _link_call_problems(step, flows)


def _call_problems(step: Step, flows: dict[str, Flow], domain: Domain, targets: CallTargets) -> Iterable[str]:
    """Rasa's `validate_call_steps`: a call reaches a flow, a sub-agent or an MCP tool. A target
    that is none of them is refused only when the project configures sub-agents; without any,
    Rasa cannot tell a sub-agent from a typo and only warns (see `call_target_warnings`)."""
    target = step.raw.get("call")
    if not isinstance(target, str) or not target.strip():
        yield "a call step needs a target: a flow, a sub-agent or an MCP tool"
        return
    if ("mcp_server" in step.raw) != ("mapping" in step.raw):
        yield "an MCP tool call needs both 'mcp_server' and 'mapping'"
    elif step.mcp_server is not None or step.target_flow in targets.agents:
        yield from _external_call_problems(step, domain, targets)
    elif step.target_flow in flows:
        yield from _link_call_problems(step, flows)
    elif targets.agents:
        yield f"call to a flow or sub-agent that does not exist: '{step.target_flow}'"
    if step.raw.get("exit_if") and not _may_call_agent(step, flows, targets):
        yield "'exit_if' is only allowed on a call step that calls a sub-agent"


def _may_call_agent(step: Step, flows: dict[str, Flow], targets: CallTargets) -> bool:
    if step.target_flow in targets.agents:
        return True
    return step.target_flow not in flows and step.mcp_server is None and not targets.agents


def unresolved_call_target(step: Step, flows: dict[str, Flow], targets: CallTargets) -> bool:
    """A call that names no flow, no sub-agent and no MCP tool (Rasa warns when no sub-agent is
    configured, because the name might be one; at run time it fails)."""
    target = step.raw.get("call")
    return (step.kind == "call" and isinstance(target, str) and bool(target.strip()) and "mcp_server" not in step.raw
            and step.target_flow not in flows and step.target_flow not in targets.agents)


def call_target_warnings(flows: dict[str, Flow], *, only: Collection[str] | None = None,
                         files: dict[str, str] | None = None, lines: dict[str, int] | None = None,
                         targets: CallTargets = CallTargets()) -> list[Problem]:
    """Rasa's `validate_call_steps.unresolved_target` warning (only raised without sub-agents)."""
    if targets.agents:
        return []
    files, lines = files or {}, lines or {}
    return [Problem(f"call target '{step.target_flow}' is not a flow: Rasa only warns, because it might "
                    f"be a sub-agent or an MCP tool; the call fails when a conversation reaches it",
                    file=files.get(flow.id), flow_id=flow.id, step_id=step.id, line=lines.get(flow.id))
            for flow in flows.values() if only is None or flow.id in only
            for step in flow.steps if unresolved_call_target(step, flows, targets)]


def self_link_warnings(flows: dict[str, Flow], *, only: Collection[str] | None = None,
                       files: dict[str, str] | None = None, lines: dict[str, int] | None = None) -> list[Problem]:
    """A flow linking to itself: Rasa's docs advise against it, its validator accepts it (recorded in
    tests/exchange/rasa_verdicts/link_to_itself), so it is a warning here too."""
    files, lines = files or {}, lines or {}
    return [Problem("the flow links to itself, so it starts over from its first step; Rasa accepts this, "
                    "but make sure a conversation can leave the loop", file=files.get(flow.id), flow_id=flow.id,
                    step_id=step.id, line=lines.get(flow.id))
            for flow in flows.values() if only is None or flow.id in only
            for step in flow.steps if step.kind == "link" and step.target_flow == flow.id]


def _external_call_problems(step: Step, domain: Domain, targets: CallTargets) -> Iterable[str]:
    """Rasa's `validate_mcp_server_references` and `validate_mcp_mapping_slots`; a sub-agent
    call only needs its sub_agents/<name>/config.yml."""
    server = step.mcp_server
    if server is None:
        return
    if server not in targets.mcp_servers:
        yield f"the MCP tool call uses mcp_server '{server}', which endpoints.yml does not define under mcp_servers"
    mapping = step.raw.get("mapping") if isinstance(step.raw.get("mapping"), dict) else {}
    if not all(isinstance(mapping.get(key), list) for key in ("input", "output")):
        yield "the MCP tool call's mapping needs an 'input' and an 'output' list"
    for key in ("input", "output"):
        for item in mapping.get(key) or []:
            slot = item.get("slot") if isinstance(item, dict) else None
            if slot is not None and not slot_known(slot, domain):
                yield f"the MCP tool {key} mapping uses slot '{slot}', which is not defined in the domain"


_LINKABLE_PATTERNS = frozenset({"pattern_human_handoff", "pattern_search", "pattern_customer_satisfaction"})


def _link_call_problems(step: Step, flows: dict[str, Flow]) -> Iterable[str]:
    target = flows.get(step.target_flow or "")
    source_is_pattern = step.flow_id.startswith("pattern_")
    if target is None:
        yield f"{step.kind} to a flow that does not exist: '{step.target_flow}'"
    elif target.id == step.flow_id and step.kind == "call":
        yield "a flow cannot call itself"
    elif target.id == step.flow_id:
        return  # a link to itself starts the flow over: Rasa 3.21 loads it (self_link_warnings)
    elif step.kind == "call" and target.is_pattern:
        yield f"patterns cannot be called: '{target.id}'"
    elif step.kind == "call" and any(s.kind == "link" for s in target.steps):
        yield f"'{target.id}' uses link, so it cannot be called"
    elif step.kind == "link" and target.is_pattern and target.id not in _LINKABLE_PATTERNS and not (
            source_is_pattern and target.id == "pattern_chitchat"):
        yield f"cannot link to the pattern '{target.id}'"


_SLOT_REF = re.compile(r"slots\.([A-Za-z_][A-Za-z0-9_-]*)")


def _condition_problems(condition: Any, domain: Domain) -> Iterable[str]:
    if isinstance(condition, bool):
        return
    if problem := predicate_problem(condition):
        yield problem
        return
    text = str(condition)
    if "slots." not in text and "context." not in text and text.strip() not in ("True", "False", "true", "false"):
        yield f"condition '{text}' references variables without the 'slots.' or 'context.' namespace"
    for name in _SLOT_REF.findall(text.replace("{{", "").replace("}}", "")):
        if not slot_known(name, domain) and "{" not in text:
            yield f"condition '{text}' uses slot '{name}', which is not defined in the domain"


def _collect_problems(step: Step, domain: Domain) -> Iterable[str]:
    if not slot_known(step.collect or "", domain):
        yield f"collect uses slot '{step.collect}', which is not defined in the domain"
    elif step.collect in domain.slots and domain.slots[step.collect].type == "list":
        yield f"collect uses the list slot '{step.collect}'; Rasa does not support list slots in flows"
    if "utter" in step.raw and step.utter not in domain.responses:
        yield f"collect utters '{step.utter}', which is not a response in the domain"
    elif step.utter not in domain.responses and step.collect_action not in domain.actions:
        slot = domain.slots.get(step.collect or "")
        if slot is not None and (slot.initial_value is None or step.ask_before_filling):
            yield (f"collect '{step.collect}' has no question: add the response '{step.utter}' "
                   f"or the action '{step.collect_action}'")
    if step.utter in domain.responses and step.collect_action in domain.actions:
        yield (f"collect '{step.collect}' has both the response '{step.utter}' and the action "
               f"'{step.collect_action}'; Rasa refuses this, keep only one")
    for rejection in step.rejections:
        if not rejection.utter:
            yield "a rejection needs an 'utter' (Rasa's schema requires it)"
        for problem in _condition_problems(rejection.condition, domain):
            yield f"rejection: {problem}"
        if rejection.utter and rejection.utter not in domain.responses:
            yield f"rejection utters '{rejection.utter}', which is not a response in the domain"


def _action_problems(action: str, domain: Domain) -> Iterable[str]:
    if "{{" in action or action in BUILTIN_ACTIONS or action in domain.actions:
        return
    if action.startswith("utter_"):
        if action not in domain.responses:
            yield f"action '{action}' is not a response in the domain"
        return
    yield f"action '{action}' is not listed under 'actions' in the domain"


# rasa.validator.verify_rephrase_endpoints_consistency_or_raise: responses of the project's own
# domain (data files' responses included, before Rasa adds the default patterns') that ask to be
# rephrased need an NLG endpoint of type `rephrase` (or a class path: a custom
# ContextualResponseRephraser, which only Rasa can import and check). Default pattern responses
# alone only make Rasa warn that it will not rephrase them.
REPHRASE_NLG_TYPE = "rephrase"


def rephrased_responses(responses: Any) -> list[str]:
    """Names of responses with a variation whose `metadata.rephrase` is true."""
    if not isinstance(responses, dict):
        return []
    return [str(name) for name, variations in responses.items() if isinstance(variations, list) and any(
        isinstance(v, dict) and isinstance(v.get("metadata"), dict) and v["metadata"].get("rephrase")
        for v in variations)]


def _nlg(endpoints: Any) -> tuple[Any, Any]:
    """endpoints.yml's `nlg` entry and its `type` (None where absent)."""
    nlg = endpoints.get("nlg") if isinstance(endpoints, dict) else None
    return nlg, nlg.get("type") if isinstance(nlg, dict) else None


def nlg_rephrases(endpoints: Any) -> bool:
    """endpoints.yml names an NLG endpoint that rephrases: `type: rephrase`, or a class path."""
    nlg_type = _nlg(endpoints)[1]
    return isinstance(nlg_type, str) and (nlg_type.lower() == REPHRASE_NLG_TYPE or "." in nlg_type)


def rephrase_endpoint_problems(project_responses: Any, endpoints: Any) -> list[Problem]:
    names = rephrased_responses(project_responses)
    if not names or nlg_rephrases(endpoints):
        return []
    nlg, nlg_type = _nlg(endpoints)
    shown = ", ".join(f"'{n}'" for n in sorted(names)[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    if nlg is None:
        why = "endpoints.yml configures no NLG endpoint"
    else:
        why = f"the NLG endpoint's type is '{nlg_type or 'not set'}'"
    return [Problem(f"responses {shown} ask to be rephrased (metadata.rephrase: true), but {why}: add "
                    f"'nlg: {{type: {REPHRASE_NLG_TYPE}}}' to endpoints.yml, or turn rephrasing off in those "
                    "responses (Rasa Pro refuses the project otherwise)", file="endpoints.yml")]


# rasa.validator.Validator.validate_CALM_slot_mappings, for the project's own slots.
NLU_COMMAND_ADAPTER = "NLUCommandAdapter"
_LLM, _CONTROLLED = "from_llm", "controlled"


def slot_mapping_problems(domain: Domain, slot_names: Iterable[str], config: dict, has_flows: bool, *,
                          whole_project: bool = True) -> list[Problem]:
    """Who may fill each slot, checked as Rasa 3.21 does: `allow_nlu_correction` belongs on a
    `from_llm` mapping of a slot that also has NLU mappings; `run_action_every_turn` (or its old name
    `action`) on a `controlled` mapping; and, judged only on a `whole_project` (its pipeline and flows),
    NLU mappings (from_entity, from_intent, from_text, ...) need the NLUCommandAdapter in a CALM
    pipeline and `from_llm` mappings (also a slot without mappings) need flows."""
    pipeline = config.get("pipeline") if isinstance(config, dict) else None
    has_adapter = isinstance(pipeline, list) and any(
        isinstance(c, dict) and c.get("name") == NLU_COMMAND_ADAPTER for c in pipeline)
    problems = []
    for name in slot_names:
        slot = domain.slots.get(name)
        if slot is None:
            continue
        nlu = any(m.type not in (_LLM, _CONTROLLED) for m in slot.mappings)
        said = f"slot '{name}'"
        if any(m.allow_nlu_correction and m.type != _LLM for m in slot.mappings):
            problems.append(f"{said}: in its 'mappings', allow_nlu_correction belongs on a from_llm mapping only")
        if any(m.allow_nlu_correction for m in slot.mappings) and not nlu:
            problems.append(f"{said}: in its 'mappings', allow_nlu_correction needs an NLU mapping (from_entity, "
                            "from_intent, from_text...) beside the from_llm one")
        action = next((m.run_action_every_turn for m in slot.mappings
                       if m.run_action_every_turn and m.type != _CONTROLLED), None)
        if action:
            problems.append(f"{said}: in its 'mappings', the custom action '{action}' runs every turn only on a "
                            "controlled mapping")
        if whole_project and nlu and has_flows and not has_adapter:
            problems.append(f"{said} has NLU mappings, but the pipeline in config.yml has no {NLU_COMMAND_ADAPTER} "
                            "to apply them: add it, or map the slot with from_llm")
        if whole_project and not has_flows and any(m.type == _LLM for m in slot.mappings):
            problems.append(f"{said} is filled by the LLM (from_llm, also what a slot without mappings gets), but "
                            "the project has no flows: give it an NLU mapping, or add flows")
    return [Problem(message, file="domain.yml") for message in problems]


def button_payload_problems(responses: dict, slot_names: Collection[str], intents: Collection[str]) -> list[Problem]:
    """rasa.validator.validate_button_payloads: a payload that starts with `/` must be one Rasa reads,
    `/SetSlots(...)` with at most ten slots, all of the domain, or `/intent` with an intent of the
    domain (Rasa's defaults included); free text is left to the command generator."""
    problems = []
    for name, variations in responses.items():
        for number, variation in enumerate(variations, 1):
            for position, button in enumerate(variation.buttons, 1):
                payload = (button.get("payload") if isinstance(button, dict) else None)
                if not isinstance(payload, str) or not payload.strip().startswith("/"):
                    continue
                text = payload.strip()
                where = f"response '{name}' variation {number}: button {position}"
                set_slots = text.startswith("/SetSlots")
                if set_slots and text.count("=") > MAX_PAYLOAD_SLOTS:
                    problems.append(f"{where}: the payload sets more than {MAX_PAYLOAD_SLOTS} slots, more than "
                                    "Rasa reads")
                elif read_payload(text, slot_names=slot_names, intents=intents):
                    continue
                elif set_slots:
                    problems.append(f"{where}: the payload '{text}' is not /SetSlots(slot=value, ...) with slots "
                                    "of the domain")
                else:
                    problems.append(f"{where}: the payload '{text}' names no intent of the domain (list it under "
                                    "'intents', or use /SetSlots(slot=value))")
    return [Problem(message, file="domain.yml") for message in problems]
