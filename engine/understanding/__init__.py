"""Dialogue understanding: command generators turning a user message into commands.

Pure Python like the rest of the engine (no Django, no studio imports).
"""

from .base import CommandGenerator, Rejection, Understanding, check_commands
from .context import CollectInfo, FlowInfo, SlotInfo, UnderstandingContext, context_from_dicts
from .offline import OfflineGenerator
from .scripted import ScriptedGenerator
from .llm import LLMGenerator, LLMSettings, PromptBuilder
from .selection import GeneratorConfigError, generator_for
from .bridge import AssistantView, EngineGenerator, context_from_conversation, make_generator

__all__ = [
    "AssistantView", "EngineGenerator", "context_from_conversation", "make_generator",
    "CollectInfo", "CommandGenerator", "FlowInfo", "GeneratorConfigError", "LLMGenerator",
    "LLMSettings", "OfflineGenerator", "PromptBuilder", "Rejection", "ScriptedGenerator",
    "SlotInfo", "Understanding", "UnderstandingContext", "check_commands", "context_from_dicts",
    "generator_for",
]
