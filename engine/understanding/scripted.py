"""Scripted generator: the message text is the command list (tests, replays, conformance)."""

from __future__ import annotations

import time

from engine.commands import Command, is_payload, parse_commands, parse_payload

from .base import Understanding, check_commands, input_error
from .context import UnderstandingContext


def payload_commands(message: str, context: UnderstandingContext) -> list[Command]:
    """Button payloads (`/SetSlots(...)`, `/intent`) bypass every generator, as in Rasa."""
    return parse_payload(message, slot_names=[s.name for s in context.slots])


class ScriptedGenerator:
    name = "scripted"

    def generate(self, message: str, context: UnderstandingContext) -> Understanding:
        started = time.perf_counter()
        error = input_error(self.name, message, None)
        if error is not None:
            return error
        if is_payload(message):
            parsed = payload_commands(message, context)
        else:
            parsed = parse_commands(message, context.syntax)
        checked = check_commands(parsed, context)
        return Understanding(
            generator=self.name,
            commands=tuple(checked.accepted),
            raw_output=message,
            rejected=tuple(checked.rejected),
            latency_ms=(time.perf_counter() - started) * 1000,
        )
