"""The one interface every command generator implements, and what a turn records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from engine.commands import (
    CannotHandle, Clarify, Command, InternalError, SetSlot, StartFlow, format_command,
)

DEFAULT_MAX_CHARACTERS = 420  # Rasa's user_input.max_characters

from .context import UnderstandingContext


@dataclass(frozen=True)
class Rejection:
    """A command the generator produced but the checks dropped, and why."""

    command: Command
    reason: str


@dataclass(frozen=True)
class Understanding:
    """Everything the inspector shows about how one message was understood."""

    generator: str
    commands: tuple[Command, ...]
    prompt: str | None = None
    raw_output: str | None = None
    rejected: tuple[Rejection, ...] = ()
    latency_ms: float = 0.0
    usage: dict[str, int] | None = None
    error: str | None = None
    note: str | None = None  # how the generator decided, where that is not plain from the commands

    def command_text(self, syntax: str = "v2") -> str:
        """The commands in the command grammar joined by `; ` (the CLI's line).

        Internal commands without syntax (an input error, an intent payload) are left out.
        """
        return "; ".join(text for text in (command_label(c, syntax) for c in self.commands) if text)

    def to_dict(self, syntax: str = "v2") -> dict[str, Any]:
        return {
            "generator": self.generator,
            "commands": [command_label(c, syntax) or repr(c) for c in self.commands],
            "prompt": self.prompt,
            "raw_output": self.raw_output,
            "rejected": [
                {"command": command_label(r.command, syntax) or repr(r.command), "reason": r.reason}
                for r in self.rejected
            ],
            "latency_ms": round(self.latency_ms, 3),
            "usage": self.usage,
            "error": self.error,
            "note": self.note,
        }


def command_label(command: Command, syntax: str) -> str:
    try:
        return format_command(command, syntax)
    except ValueError:
        return ""


def input_error(generator: str, message: str, max_characters: int | None) -> Understanding | None:
    """Rasa's checks before any generator runs: empty and over-long messages are errors."""
    if not message.strip():
        return Understanding(generator, (InternalError("rasa_internal_error_user_input_empty"),),
                             error="empty message")
    if max_characters is not None and 0 <= max_characters < len(message):
        error = InternalError("rasa_internal_error_user_input_too_long", (("max_characters", max_characters),))
        return Understanding(generator, (error,), error=f"message longer than {max_characters} characters")
    return None


class CommandGenerator(Protocol):
    name: str

    def generate(self, message: str, context: UnderstandingContext) -> Understanding: ...


@dataclass
class CheckResult:
    accepted: list[Command] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)


def check_commands(commands: list[Command], context: UnderstandingContext) -> CheckResult:
    """Drop commands naming unknown, pattern or guarded flows and unknown/controlled slots.

    This mirrors what Rasa's command generator does before the command processor
    runs; a message left with no command at all becomes `CannotHandle()`.
    """
    result = CheckResult()
    commands = _force_slot_filling(commands, context, result)
    for command in commands:
        checked, reason = _check_one(command, context)
        if reason is not None:
            result.rejected.append(Rejection(command, reason))
        if checked is not None and checked not in result.accepted:
            result.accepted.append(checked)
    if not result.accepted:
        result.accepted.append(CannotHandle())
    return result


def _force_slot_filling(commands: list[Command], context: UnderstandingContext, result: CheckResult) -> list[Command]:
    """While a `force_slot_filling` collect is asked, only its own answer counts (Rasa)."""
    collect = context.collect_info(context.collecting_slot)
    if collect is None or not collect.force_slot_filling:
        return commands
    kept = [c for c in commands if isinstance(c, SetSlot) and c.name == collect.slot]
    for command in commands:
        if command not in kept:
            result.rejected.append(Rejection(command, f"only '{collect.slot}' can be set while it is asked (force_slot_filling)"))
    return kept


def _check_one(command: Command, context: UnderstandingContext) -> tuple[Command | None, str | None]:
    if isinstance(command, SetSlot) and command.name == "flow_name" and context.slot("flow_name") is None:
        # Rasa: models sometimes "start" a flow by setting a slot called flow_name.
        command = StartFlow(str(command.value))
    if isinstance(command, StartFlow):
        reason = _flow_problem(command.flow, context)
        return (None, reason) if reason else (command, None)
    if isinstance(command, Clarify):
        return _check_clarify(command, context)
    if isinstance(command, SetSlot):
        return _check_set_slot(command, context)
    return command, None


def _flow_problem(flow_id: str, context: UnderstandingContext) -> str | None:
    flow = context.flow(flow_id)
    if flow is None:
        return f"unknown flow '{flow_id}'"
    if flow.is_pattern:
        return f"flow '{flow_id}' is a pattern and cannot be started by the user"
    if not flow.startable:
        return f"flow '{flow_id}' cannot be started now (its `if` guard is false)"
    return None


def _check_clarify(command: Clarify, context: UnderstandingContext) -> tuple[Command | None, str | None]:
    valid = sorted({o for o in command.options if _flow_problem(o, context) is None})
    dropped = [o for o in command.options if o not in valid]
    reason = f"dropped clarification options {', '.join(dropped)}" if dropped else None
    if len(valid) == 1:
        # Rasa: a clarification with exactly one valid option starts that flow.
        return StartFlow(valid[0]), reason
    return Clarify(tuple(valid)), reason


def _check_set_slot(command: SetSlot, context: UnderstandingContext) -> tuple[Command | None, str | None]:
    slot = context.slot(command.name)
    if slot is None:
        return None, f"unknown slot '{command.name}'"
    if not slot.llm_fillable and command.extractor == "LLM":
        return None, f"slot '{command.name}' is controlled and cannot be set from user input"
    return command, None
