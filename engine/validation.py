"""Semantic checks of flows against the domain and each other (what `rasa train` rejects)."""

from __future__ import annotations

from collections import Counter
from typing import Collection, Iterable

from engine.errors import Problem
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


def validate_flows(
    flows: dict[str, Flow], domain: Domain, *, only: Collection[str] | None = None,
    files: dict[str, str] | None = None, lines: dict[str, int] | None = None,
) -> list[Problem]:
    """Every problem of the given flows (all flows, or only the ids in `only`)."""
    files, lines = files or {}, lines or {}
    problems: list[Problem] = []
    for flow in flows.values():
        if only is not None and flow.id not in only:
            continue
        for message, step_id in _flow_problems(flow, flows, domain):
            problems.append(Problem(message, file=files.get(flow.id), flow_id=flow.id, step_id=step_id,
                                    line=lines.get(flow.id)))
    return problems


def _flow_problems(flow: Flow, flows: dict[str, Flow], domain: Domain) -> Iterable[tuple[str, str | None]]:
    if not flow.steps:
        yield "the flow has no steps", None
    if flow.guard is not None and (problem := predicate_problem(flow.guard)):
        yield f"flow guard 'if': {problem}", None
    for slot in flow.persisted_slots:
        if slot not in domain.slots:
            yield f"persisted slot '{slot}' is not defined in the domain", None
    counts = Counter(step.id for step in flow.steps)
    for step_id, count in counts.items():
        if count > 1:
            yield f"step id '{step_id}' is used {count} times in the flow", step_id
    step_ids = set(counts)
    for step in flow.steps:
        for message in _step_problems(step, step_ids, flows, domain):
            yield message, step.id


def _step_problems(step: Step, step_ids: set[str], flows: dict[str, Flow], domain: Domain) -> Iterable[str]:
    for link in step.links:
        if link.target != END and link.target not in step_ids:
            yield f"'next' points to a step that does not exist: '{link.target}'"
        if link.kind == "if" and (problem := predicate_problem(link.condition)):
            yield problem
    if step.kind == "collect":
        yield from _collect_problems(step, domain)
    elif step.kind == "action":
        yield from _action_problems(step.action or "", domain)
    elif step.kind == "set_slots":
        for name, _ in step.slot_values:
            if name not in domain.slots:
                yield f"set_slots uses slot '{name}', which is not defined in the domain"
    elif step.kind in ("link", "call"):
        target = flows.get(step.target_flow or "")
        if target is None:
            yield f"{step.kind} to a flow that does not exist: '{step.target_flow}'"
        elif step.kind == "call" and target.id == step.flow_id:
            yield "a flow cannot call itself"


def _collect_problems(step: Step, domain: Domain) -> Iterable[str]:
    if step.collect not in domain.slots:
        yield f"collect uses slot '{step.collect}', which is not defined in the domain"
    if "utter" in step.raw and step.utter not in domain.responses:
        yield f"collect utters '{step.utter}', which is not a response in the domain"
    elif step.utter not in domain.responses and step.collect_action not in domain.actions:
        slot = domain.slots.get(step.collect or "")
        if slot is not None and slot.initial_value is None:
            yield (f"collect '{step.collect}' has no question: add the response '{step.utter}' "
                   f"or the action '{step.collect_action}'")
    for rejection in step.rejections:
        if problem := predicate_problem(rejection.condition):
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
