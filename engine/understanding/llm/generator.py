"""LLM generator: prompt -> OpenAI-compatible model -> command grammar -> checked commands."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Callable

from engine.commands import CannotHandle, is_payload, parse_commands

from ..base import DEFAULT_MAX_CHARACTERS, Understanding, check_commands, input_error
from ..context import UnderstandingContext
from ..scripted import payload_commands
from .client import Completion, LLMClient, LLMSettings
from .prompt import PromptBuilder, PromptTemplateError


class LLMGenerator:
    name = "llm"

    def __init__(
        self,
        settings: LLMSettings,
        prompt: PromptBuilder | None = None,
        *,
        max_characters: int = DEFAULT_MAX_CHARACTERS,
        client: LLMClient | None = None,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.settings = settings
        self.prompt = prompt or PromptBuilder()
        self.max_characters = max_characters
        self.client = client or LLMClient(settings)
        self._clock = clock

    def generate(self, message: str, context: UnderstandingContext) -> Understanding:
        started = self._clock()
        early = self._without_llm(message, context)
        if early is not None:
            return _finish(early, started, self._clock)
        try:
            prompt = self.prompt.build(message, context)
        except PromptTemplateError as exc:
            return _finish(Understanding(self.name, (CannotHandle(),), error=str(exc)), started, self._clock)
        completion = self.client.complete(prompt)
        return _finish(self._read(prompt, completion, context), started, self._clock)

    def _without_llm(self, message: str, context: UnderstandingContext) -> Understanding | None:
        """Payloads, empty and over-long messages never reach the model (as in Rasa)."""
        if is_payload(message.strip()):
            checked = check_commands(payload_commands(message.strip(), context), context)
            return Understanding(self.name, tuple(checked.accepted), rejected=tuple(checked.rejected))
        return input_error(self.name, message, self.max_characters)

    def _read(self, prompt: str, completion: Completion, context: UnderstandingContext) -> Understanding:
        if completion.text is None:
            return Understanding(
                self.name, (CannotHandle(),), prompt=prompt, usage=completion.usage,
                error=f"LLM call failed after {completion.attempts} attempt(s): {completion.error}",
            )
        checked = check_commands(parse_commands(completion.text, context.syntax), context)
        error = None
        if checked.accepted == [CannotHandle()] and not checked.rejected:
            error = "the model's answer contained no command"
        return Understanding(
            self.name, tuple(checked.accepted), prompt=prompt, raw_output=completion.text,
            rejected=tuple(checked.rejected), usage=completion.usage, error=error,
        )


def _finish(result: Understanding, started: float, clock: Callable[[], float]) -> Understanding:
    return replace(result, latency_ms=(clock() - started) * 1000)
