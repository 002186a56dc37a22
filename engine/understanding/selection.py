"""Choosing an assistant's command generator from its config.yml and the studio settings."""

from __future__ import annotations

from typing import Any, Mapping

from .base import CommandGenerator
from .llm import LLMGenerator, LLMSettings, PromptBuilder, Retrieval
from .llm.generator import DEFAULT_MAX_CHARACTERS
from .offline import OfflineGenerator
from .scripted import ScriptedGenerator

GENERATORS = ("llm", "offline", "scripted")
LLM_COMPONENTS = frozenset({
    "CompactLLMCommandGenerator", "SearchReadyLLMCommandGenerator",
    "SingleStepLLMCommandGenerator", "LLMCommandGenerator", "MultiStepLLMCommandGenerator",
})


class GeneratorConfigError(ValueError):
    """The settings ask for a generator that cannot be built; the message says which setting."""


def llm_component(config: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """The pipeline item of config.yml that is an LLM command generator, if any."""
    for item in (config or {}).get("pipeline") or []:
        if isinstance(item, Mapping) and item.get("name") in LLM_COMPONENTS:
            return item
    return None


def generator_for(
    config: Mapping[str, Any] | None,
    settings: Mapping[str, Any] | None = None,
    *,
    endpoints: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> CommandGenerator:
    """The generator named by `settings["generator"]`, else the LLM when config.yml uses
    one and a model endpoint is configured, else the offline generator.

    `settings` is the studio's per-assistant dict: `{"generator": "llm" | "offline" |
    "scripted", "llm": {base_url, api_key, model, temperature, timeout, max_retries},
    "prompt_template": "<jinja2 text>"}`.
    """
    settings = settings or {}
    choice = settings.get("generator") or _default_choice(config, settings, endpoints)
    if choice == "scripted":
        return ScriptedGenerator()
    if choice == "offline":
        return OfflineGenerator()
    if choice == "llm":
        return _llm_generator(config, settings, endpoints, environ)
    raise GeneratorConfigError(f"settings 'generator' must be one of {', '.join(GENERATORS)}, got {choice!r}")


def _default_choice(config, settings, endpoints) -> str:
    component = llm_component(config)
    if component is None:
        return "offline"
    llm = settings.get("llm") or {}
    has_endpoint = llm.get("base_url") or llm.get("api_key") or (component.get("llm") or {}).get("model_group")
    return "llm" if has_endpoint and (endpoints or llm) else "offline"


def _llm_generator(config, settings, endpoints, environ) -> LLMGenerator:
    component = llm_component(config) or {}
    llm_settings = LLMSettings.resolve(component, endpoints, settings.get("llm"), environ)
    retrieval = Retrieval.from_config(component.get("flow_retrieval"))
    prompt = PromptBuilder(settings.get("prompt_template"), retrieval)
    max_characters = int((component.get("user_input") or {}).get("max_characters", DEFAULT_MAX_CHARACTERS))
    return LLMGenerator(llm_settings, prompt, max_characters=max_characters)
