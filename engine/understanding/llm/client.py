"""Calling an OpenAI-compatible chat endpoint, with retries, never raising."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

DEFAULT_MODEL = "gpt-4o-mini"
_ENV_REFERENCE = re.compile(r"^\$\{(\w+)\}$")
_MAX_RETRY_AFTER = 30.0


def _openai():
    """The SDK, imported on first use: it costs ~0.3 s and ~14 MB, which the offline and scripted
    generators (and every process that never calls an LLM) should not pay at start-up."""
    import openai

    return openai


def _retryable() -> tuple[type[Exception], ...]:
    openai = _openai()
    return (openai.APITimeoutError, openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError)


class LLMConfigError(ValueError):
    """A model setting that cannot be used; the message names the setting."""


@dataclass(frozen=True)
class LLMSettings:
    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = None
    temperature: float = 0.0
    timeout: float = 7.0
    max_retries: int = 2
    max_tokens: int = 256
    backoff: float = 0.5  # seconds before the first retry; doubled for each further one

    @classmethod
    def resolve(
        cls,
        component: Mapping[str, Any] | None,
        endpoints: Mapping[str, Any] | None,
        overrides: Mapping[str, Any] | None,
        environ: Mapping[str, str] | None = None,
        *,
        defaults: Mapping[str, Any] | None = None,
    ) -> "LLMSettings":
        """Settings from `defaults` (the operator's), then the pipeline item's `llm` (a model
        group in endpoints.yml or a direct model), then the studio's `llm` settings on top."""
        llm = dict((component or {}).get("llm") or {})
        group_id = llm.pop("model_group", None)
        layers = [defaults or {}, _model_group(group_id, endpoints) if group_id is not None else {},
                  _from_rasa_model(llm), overrides or {}]
        values: dict[str, Any] = {}
        for layer in layers:
            # An unset `${VAR}` reference leaves the value below it in place, as a missing key would.
            expanded = {k: _expand_env(v, environ or {}) for k, v in layer.items()}
            values.update({k: v for k, v in expanded.items() if v is not None and v != ""})
        return _build(cls, values)


def _model_group(group_id: str, endpoints: Mapping[str, Any] | None) -> dict[str, Any]:
    for group in (endpoints or {}).get("model_groups") or []:
        if group.get("id") == group_id and group.get("models"):
            return _from_rasa_model(group["models"][0])
    raise LLMConfigError(f"endpoints.yml: model_groups has no group with id '{group_id}' and a model")


def _from_rasa_model(model: Mapping[str, Any]) -> dict[str, Any]:
    """Rasa's model keys (`api_base`, `max_completion_tokens`, ...) to ours."""
    renames = {"api_base": "base_url", "base_url": "base_url", "model": "model", "api_key": "api_key",
               "temperature": "temperature", "timeout": "timeout", "max_retries": "max_retries",
               "max_tokens": "max_tokens", "max_completion_tokens": "max_tokens"}
    return {renames[k]: v for k, v in model.items() if k in renames}


def _expand_env(value: Any, environ: Mapping[str, str]) -> Any:
    match = _ENV_REFERENCE.match(value) if isinstance(value, str) else None
    return environ.get(match.group(1)) if match else value


def _build(cls, values: dict[str, Any]) -> LLMSettings:
    numeric = {"temperature": float, "timeout": float, "max_retries": int, "max_tokens": int, "backoff": float}
    known = set(cls.__dataclass_fields__)
    settings = {}
    for key, value in values.items():
        if key not in known:
            continue
        try:
            settings[key] = numeric[key](value) if key in numeric else value
        except (TypeError, ValueError):
            raise LLMConfigError(f"llm setting '{key}' must be a number, got {value!r}") from None
    return cls(**settings)


@dataclass(frozen=True)
class Completion:
    text: str | None
    usage: dict[str, int] | None = None
    attempts: int = 1
    error: str | None = None
    errors: tuple[str, ...] = field(default=())


class LLMClient:
    """One chat completion per prompt; retries timeouts, 429 and 5xx with backoff."""

    def __init__(self, settings: LLMSettings, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self._sleep = sleep
        self._token_param = "max_tokens"
        self._send_temperature = True
        openai = _openai()
        self._client = openai.OpenAI(
            base_url=settings.base_url,
            # Local servers (Ollama, vLLM) accept any key; the SDK insists on one.
            api_key=settings.api_key or "not-needed",
            timeout=openai.Timeout(settings.timeout, connect=min(settings.timeout, 5.0)),
            max_retries=0,
            # An OpenAI-compatible API never needs a redirect; following one would let a URL the
            # caller checked send the request (and its key, on the same host) somewhere else.
            http_client=openai.DefaultHttpxClient(follow_redirects=False),
        )

    def complete(self, prompt: str) -> Completion:
        errors: list[str] = []
        retryable = _retryable()
        for attempt in range(self.settings.max_retries + 1):
            try:
                return self._once_adapting(prompt, attempt + 1, errors)
            except retryable as exc:
                errors.append(_describe(exc))
                if attempt < self.settings.max_retries:
                    self._sleep(self._delay(exc, attempt))
            except Exception as exc:  # noqa: BLE001 - a broken answer must not crash the turn
                errors.append(_describe(exc))
                break
        return Completion(None, None, len(errors), errors[-1], tuple(errors))

    def _once_adapting(self, prompt: str, attempt: int, errors: list[str]) -> Completion:
        """One call; a model that rejects `max_tokens` or `temperature` (reasoning models)
        is asked again at once without it, and remembered."""
        while True:
            try:
                return self._once(prompt, attempt, tuple(errors))
            except _openai().BadRequestError as exc:
                if not self._adapt(str(exc.message)):  # each adaptation happens once: no loop
                    raise
                errors.append(_describe(exc))

    def _adapt(self, message: str) -> bool:
        if "max_tokens" in message and self._token_param == "max_tokens":
            self._token_param = "max_completion_tokens"
            return True
        if "temperature" in message and self._send_temperature:
            self._send_temperature = False
            return True
        return False

    def _once(self, prompt: str, attempt: int, errors: tuple[str, ...]) -> Completion:
        options: dict[str, Any] = {self._token_param: self.settings.max_tokens}
        if self._send_temperature:
            options["temperature"] = self.settings.temperature
        response = self._client.chat.completions.create(
            model=self.settings.model, messages=[{"role": "user", "content": prompt}], **options
        )
        usage = None
        if response.usage is not None:
            usage = {
                "prompt_tokens": response.usage.prompt_tokens,
                "completion_tokens": response.usage.completion_tokens,
                "total_tokens": response.usage.total_tokens,
            }
        text = response.choices[0].message.content if response.choices else None
        return Completion(text, usage, attempt, None if text else "the model returned no text", errors)

    def _delay(self, exc: Exception, attempt: int) -> float:
        delay = self.settings.backoff * (2**attempt)
        retry_after = _retry_after(exc)
        return min(max(delay, retry_after or 0.0), _MAX_RETRY_AFTER)


def _retry_after(exc: Exception) -> float | None:
    response = getattr(exc, "response", None)
    header = response.headers.get("retry-after") if response is not None else None
    try:
        return float(header) if header else None
    except ValueError:
        return None


def _describe(exc: Exception) -> str:
    openai = _openai()
    if isinstance(exc, openai.APITimeoutError):
        return "timeout: the model did not answer in time"
    if isinstance(exc, openai.RateLimitError):
        return "rate limited (HTTP 429)"
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}: {_short(exc.message)}"
    if isinstance(exc, openai.APIConnectionError):
        return f"connection failed: {_short(str(exc.__cause__ or exc))}"
    return f"{type(exc).__name__}: {_short(str(exc))}"


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

