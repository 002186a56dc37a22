"""Dialogue understanding: command generators turning a user message into commands.

Pure Python like the rest of the engine (no Django, no studio imports).

- `generator_for(config, settings, endpoints=...)` picks an assistant's generator: the
  studio settings `{"generator": "llm" | "offline" | "scripted", "llm": {base_url, api_key,
  model, temperature, timeout, max_retries}, "prompt_template": "<jinja2>"}` win, else the
  LLM when config.yml names an LLM command generator and an endpoint is configured, else
  offline. `settings_problems(...)` lists what is wrong with such settings.
- Every generator has `generate(message, context) -> Understanding` (commands, rejected
  commands with reasons, prompt, raw output, latency, token usage, error).
- `context_from_dicts(...)` builds the context from Rasa-shaped dicts;
  `EngineGenerator(generator, assistant)` / `make_generator(name, assistant)` plug a
  generator into `engine.Conversation` (its `.last` keeps the latest Understanding).
"""

from .base import CommandGenerator, Rejection, Understanding, check_commands
from .context import CollectInfo, FlowInfo, SlotInfo, UnderstandingContext, context_from_dicts
from .offline import OfflineGenerator
from .scripted import ScriptedGenerator
from .llm import LLMGenerator, LLMSettings, PromptBuilder
from .selection import GeneratorConfigError, generator_for, settings_problems
from .bridge import AssistantView, EngineGenerator, context_from_conversation, make_generator

__all__ = [
    "AssistantView", "EngineGenerator", "context_from_conversation", "make_generator",
    "CollectInfo", "CommandGenerator", "FlowInfo", "GeneratorConfigError", "LLMGenerator",
    "LLMSettings", "OfflineGenerator", "PromptBuilder", "Rejection", "ScriptedGenerator",
    "SlotInfo", "Understanding", "UnderstandingContext", "check_commands", "context_from_dicts",
    "generator_for", "settings_problems",
]
