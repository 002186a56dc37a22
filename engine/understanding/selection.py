"""Choosing an assistant's command generator from its config.yml and the studio settings."""

from __future__ import annotations

from typing import Any, Mapping

from .base import DEFAULT_MAX_CHARACTERS, CommandGenerator
from .context import UnderstandingContext
from .llm import LLMConfigError, LLMGenerator, LLMSettings, PromptBuilder, PromptTemplateError, Retrieval
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
    "prompt_template": "<jinja2 text>"}`, plus `llm_defaults` (same keys as `llm`): the
    operator's settings, used where neither config.yml/endpoints.yml nor `llm` say otherwise.
    """
    settings = settings or {}
    choice = settings.get("generator") or _default_choice(config, settings, endpoints, environ)
    if choice == "scripted":
        return ScriptedGenerator()
    if choice == "offline":
        return OfflineGenerator(max_characters=max_characters_for(config))
    if choice == "llm":
        return _llm_generator(config, settings, endpoints, environ)
    raise GeneratorConfigError(f"settings 'generator' must be one of {', '.join(GENERATORS)}, got {choice!r}")


def _default_choice(config, settings, endpoints, environ) -> str:
    # Without an endpoint or a key nothing could answer: work offline out of the box.
    component = llm_component(config)
    if component is None:
        return "offline"
    resolved = LLMSettings.resolve(component, endpoints, settings.get("llm"), environ,
                                   defaults=settings.get("llm_defaults"))
    return "llm" if resolved.base_url or resolved.api_key else "offline"


def _llm_generator(config, settings, endpoints, environ) -> LLMGenerator:
    component = llm_component(config) or {}
    llm_settings = LLMSettings.resolve(component, endpoints, settings.get("llm"), environ,
                                   defaults=settings.get("llm_defaults"))
    retrieval = Retrieval.from_config(component.get("flow_retrieval"))
    prompt = PromptBuilder(settings.get("prompt_template"), retrieval)
    return LLMGenerator(llm_settings, prompt, max_characters=max_characters_for(config))


def max_characters_for(config: Mapping[str, Any] | None) -> int:
    component = llm_component(config) or {}
    return int((component.get("user_input") or {}).get("max_characters", DEFAULT_MAX_CHARACTERS))


def settings_problems(
    config: Mapping[str, Any] | None,
    settings: Mapping[str, Any] | None,
    *,
    endpoints: Mapping[str, Any] | None = None,
) -> list[str]:
    """What is wrong with an assistant's generator settings, for a settings form (empty if fine)."""
    try:
        generator = generator_for(config, settings, endpoints=endpoints, environ={})
    except (GeneratorConfigError, LLMConfigError, PromptTemplateError, ValueError) as exc:
        return [str(exc)]
    if not isinstance(generator, LLMGenerator):
        return []
    problems = []
    if not (generator.settings.base_url or generator.settings.api_key):
        problems.append("the llm generator needs a base URL or an API key")
    try:
        generator.prompt.build("hello", UnderstandingContext(flows=(), slots=()))
    except PromptTemplateError as exc:
        problems.append(str(exc))
    return problems
