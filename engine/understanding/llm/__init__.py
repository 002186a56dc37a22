"""The LLM command generator (any OpenAI-compatible endpoint)."""

from .client import Completion, LLMClient, LLMConfigError, LLMSettings
from .generator import LLMGenerator
from .prompt import DEFAULT_TEMPLATE, PromptBuilder, PromptTemplateError, Retrieval

__all__ = [
    "Completion", "DEFAULT_TEMPLATE", "LLMClient", "LLMConfigError", "LLMGenerator", "LLMSettings",
    "PromptBuilder", "PromptTemplateError", "Retrieval",
]
