"""Building the engine side of try-it: the engine Assistant (cached), its generator, its actions."""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from engine import Assistant as EngineAssistant
from engine.actions import ActionResult
from engine.understanding.bridge import make_generator
from engine.understanding.selection import settings_problems
from studio.assistants.engine_adapter import assistant_snapshot, problems_text, snapshot_built
from studio.assistants.models import Assistant
from studio.core.exceptions import DomainError
from studio.core.problems import Problem
from studio.training.models import AssistantVersion, VersionStatus
from studio.tryit import llm_access

STUB_REASON = "stubbed: endpoints.yml configures no action_endpoint, so the action ran without a server"
_CACHE_SIZE = 32


class TryItUnavailable(DomainError):
    """The assistant cannot run (definition or settings problems); the message lists them."""

    status = 422


class StubbedActions:
    """Custom actions without an action server: no events, but the inspector says so."""

    def run(self, name: str, tracker: Any) -> ActionResult:
        tracker.event("action_stubbed", name=name, reason=STUB_REASON)
        return ActionResult()


@dataclass(frozen=True)
class Source:
    """Where a conversation's definition comes from: a ready version or the current content."""

    key: tuple
    version: AssistantVersion | None
    label: str


class _BuiltCache:
    """A small LRU of built engine Assistants: a turn must not re-parse every flow.

    Keys include the version id or the content revision, so an edit never serves a stale build.
    Consumers run services in a thread pool, hence the lock.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple, EngineAssistant] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> EngineAssistant | None:
        with self._lock:
            built = self._items.get(key)
            if built is not None:
                self._items.move_to_end(key)
            return built

    def put(self, key: tuple, built: EngineAssistant) -> None:
        with self._lock:
            self._items[key] = built
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


built_assistants = _BuiltCache(_CACHE_SIZE)


def latest_ready_version(assistant: Assistant) -> AssistantVersion | None:
    return (AssistantVersion.objects.filter(assistant=assistant, status=VersionStatus.READY)
            .order_by("-number").first())


def source_for(assistant: Assistant, version: AssistantVersion | None) -> Source:
    if version is not None:
        return Source(("version", version.pk), version, f"version {version.number}")
    fresh = Assistant.objects.filter(pk=assistant.pk).values("revision", "updated_at").first() or {}
    key = ("content", assistant.pk, fresh.get("revision"), str(fresh.get("updated_at")))
    return Source(key, None, "current content (no ready version)")


def engine_assistant(assistant: Assistant, source: Source) -> EngineAssistant:
    """The built engine Assistant for a source, from the cache when it was built before."""
    built = built_assistants.get(source.key)
    if built is not None:
        return built
    if source.version is not None:
        snapshot = source.version.snapshot
    else:
        snapshot, problems = assistant_snapshot(assistant)
        if problems:
            raise TryItUnavailable(_problem_text(problems))
    built, problems = snapshot_built(snapshot)
    if built is None:
        raise TryItUnavailable(_problem_text(problems))
    built_assistants.put(source.key, built)
    return built


def generator_for(assistant: Assistant, built: EngineAssistant):
    """The command generator the assistant's settings ask for (offline when no LLM is set up)."""
    settings = dict(assistant.settings or {})
    settings["llm_defaults"] = llm_access.operator_defaults(built.config, built.endpoints, settings.get("llm"))
    problems = settings_problems(built.config, settings, endpoints=built.endpoints)
    if problems and settings.get("generator") == "llm":
        raise TryItUnavailable("The assistant's generator settings are not usable: " + "; ".join(problems))
    # Only the operator's LLM_* settings count, not arbitrary process variables (OPENAI_API_KEY):
    # which LLM a user's try-it talks to must be a deliberate choice.
    generator = make_generator(settings.get("generator") or None, built, settings=settings, environ={})
    refused = llm_access.refusal(generator.generator)
    if refused:
        raise TryItUnavailable(refused)
    return generator


def actions_for(built: EngineAssistant) -> StubbedActions | None:
    """None lets the engine use its action-server client (endpoints.yml has a URL)."""
    return None if built.action_endpoint_url else StubbedActions()


def _problem_text(problems: list[Problem]) -> str:
    return "The assistant cannot run until these are fixed: " + problems_text(problems)


def plain(value: Any) -> Any:
    """JSON-safe copy (slot values and event fields may hold tuples or other odd types)."""
    return json.loads(json.dumps(value, default=str))
