"""Building the engine side of try-it once per definition: the engine Assistant, its generator, its actions."""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable

from django.conf import settings as django_settings
from django.urls import reverse

from engine import Assistant as EngineAssistant
from engine.understanding.bridge import make_generator
from engine.understanding.selection import settings_problems
from studio.assistants.engine_adapter import assistant_snapshot, problems_text, snapshot_built
from studio.assistants.models import Assistant, CustomAction
from studio.core import fastjson
from studio.core.exceptions import DomainError, ValidationFailed
from studio.core.lru import SharedLRU
from studio.core.problems import Problem
from studio.training.models import AssistantVersion, VersionStatus
from studio.tryit import llm_access
from studio.tryit.mocks import TryItActions

CURRENT_CONTENT = "current content"
_CACHE_SIZE = 32
_OPERATOR_LLM_SETTINGS = ("LLM_BASE_URL", "LLM_API_KEY", "LLM_MODEL", "LLM_TIMEOUT", "LLM_KEY_ALLOWED_BASE_URLS",
                          "LLM_ALLOW_INTERNAL_URLS")


class TryItUnavailable(DomainError):
    """The assistant cannot run (definition or settings problems); the message lists them."""

    status = 422


@dataclass(frozen=True)
class Source:
    """Where a conversation's definition comes from: the current content (a draft build), or a
    ready version the user pinned.

    Only ids and a label: a source never holds a version's snapshot (87 KB decoded on the demo).
    `mocks` names the set of action mocks its conversations answer with (mock_sets): the
    assistant's revisions as read with the source, pinned version or not.
    """

    key: tuple
    version_id: int | None
    label: str
    mocks: tuple


class Runtime:
    """One built definition, shared by every chat on it: the engine Assistant, its command
    generators (one per settings fingerprint; the offline one keeps its flow index between
    turns) and the flows the editor can open. Built once per source key, never per turn."""

    MAX_GENERATORS = 4  # settings rarely change while a definition is current

    def __init__(self, built: EngineAssistant, editor_flows: frozenset[str], actions: TryItActions) -> None:
        self.assistant = built
        self.editor_flows = editor_flows
        self._actions = actions
        self._generators: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    def generator(self, assistant: Assistant) -> Any:
        key = _generator_key(assistant)
        with self._lock:  # held while building, so concurrent first turns build it once
            generator = self._generators.get(key)
            if generator is None:
                generator = _generator_build(assistant, self.assistant)  # refusals raise and are not kept
                self._generators[key] = generator
                while len(self._generators) > self.MAX_GENERATORS:
                    self._generators.popitem(last=False)
            return generator

    def actions(self, source: Source) -> TryItActions:
        """The build's action server client, answering with the mocks as of the source's read."""
        return self._actions.with_mocks(_mocks_reader(source.mocks))


# Runtimes by source key: a turn must not re-parse every flow nor rebuild its generator. Keys hold the
# version id or the content revision, so an edit never serves a stale build.
built_assistants = SharedLRU(_CACHE_SIZE)
_build_lock = threading.Lock()


def ready_versions(assistant: Assistant) -> list[AssistantVersion]:
    """The versions a conversation may be pinned to, newest first, without their snapshots."""
    return list(AssistantVersion.objects.filter(assistant=assistant, status=VersionStatus.READY)
                .only("id", "number", "note").order_by("-number"))


def source_for(assistant: Assistant, version: Any = None) -> Source:
    """The source of a new conversation: the current content, unless a ready version's number is
    given (a pin). The assistant's revisions are read fresh (the caller's row may be old), in the
    same query as the pinned version."""
    if version not in (None, ""):
        return _ready_version(assistant, version)
    fresh = Assistant.objects.filter(pk=assistant.pk).values("revision", "updated_at", "mocks_revision").first()
    if fresh is None:
        raise TryItUnavailable(f"{assistant.name} was deleted")
    return content_source(assistant.pk, **fresh)


def _ready_version(assistant: Assistant, version: Any) -> Source:
    try:
        number = int(version)
    except (TypeError, ValueError):
        raise ValidationFailed.one("version", msg=f"must be a version number, got {version!r}") from None
    row = (AssistantVersion.objects.filter(assistant=assistant, number=number)
           .values_list("id", "status", "assistant__revision", "assistant__mocks_revision").first())
    if row is None:
        raise ValidationFailed.one("version", msg=f"{assistant.name} has no version {number}")
    version_id, status, revision, mocks_revision = row
    if status != VersionStatus.READY:
        raise ValidationFailed.one("version", msg=f"version {number} is {status}, not ready; only a ready "
                                                  "version can be tried")
    return version_source(version_id, number, assistant.pk, revision, mocks_revision)


def version_source(version_id: int, number: int, assistant_id: int, revision: Any, mocks_revision: Any) -> Source:
    """A pinned ready version; its mocks are the assistant's current ones (revisions as just read)."""
    return Source(("version", version_id), version_id, f"version {number} (pinned)",
                  _mocks_key(assistant_id, revision, mocks_revision))


def content_source(assistant_id: int, revision: Any, updated_at: Any, mocks_revision: Any) -> Source:
    """The draft build of the content: every content edit bumps the assistant's revision (assistant_touch),
    so the key changes with any flow, slot, response, action or settings edit, and stays while none happens."""
    return Source(("content", assistant_id, revision, str(updated_at)), None, CURRENT_CONTENT,
                  _mocks_key(assistant_id, revision, mocks_revision))


def _mocks_key(assistant_id: int, revision: Any, mocks_revision: Any) -> tuple:
    """The key of an assistant's mock set in mock_sets (what _mocks_reader reads)."""
    return assistant_id, revision, mocks_revision


def runtime_for(assistant: Assistant, source: Source) -> Runtime:
    """The shared Runtime of a source, built (through the engine adapter) on first use."""
    runtime = built_assistants.get(source.key)
    if runtime is not None:
        return runtime
    # The first turns after a start or an edit arrive together; one builds, the others wait for it
    # (builds hold the GIL anyway, so building them one at a time costs nothing).
    with _build_lock:
        runtime = built_assistants.get(source.key)
        return runtime if runtime is not None else _runtime_build(assistant, source)


def _runtime_build(assistant: Assistant, source: Source) -> Runtime:
    if source.version_id is not None:
        snapshot = AssistantVersion.objects.filter(pk=source.version_id).values_list("snapshot", flat=True).first()
        if snapshot is None:
            raise TryItUnavailable("This conversation's version was deleted; press Reset to start over")
    else:
        snapshot, problems = assistant_snapshot(assistant)
        if problems:
            raise TryItUnavailable(_problem_text(problems))
    built, problems = snapshot_built(snapshot)
    if built is None:
        raise TryItUnavailable(_problem_text(problems))
    # The snapshot's flows are the studio's stored ones (default patterns are not): the editor can
    # open them. Computed here so a turn never asks the database whether a flow exists.
    runtime = Runtime(built, frozenset((snapshot.get("flows") or {}).keys()), _actions(assistant, built))
    built_assistants.put(source.key, runtime)
    return runtime


def _actions(assistant: Assistant, built: EngineAssistant) -> TryItActions:
    slug = assistant.slug

    def mock_page(name: str) -> str:
        return reverse("action_mock", args=[slug, name])

    return TryItActions(built.action_endpoint_url, mock_for=_no_mock_read, mock_page=mock_page)


def _no_mock_read(name: str) -> Any:
    raise RuntimeError("a build's actions answer only through Runtime.actions(source), which knows the mocks")


# (assistant id, content revision, mocks revision) -> {action name: mock}: a mock save bumps the
# mocks revision and a rename or delete the content revision, so a key never answers stale.
mock_sets = SharedLRU(_CACHE_SIZE)


def _mocks_reader(key: tuple) -> Callable[[str], Any]:
    """An assistant's action mocks as of the revisions in `key`, from the database once per change."""
    assistant_id = key[0]

    def read() -> dict[str, Any]:
        rows = CustomAction.objects.filter(assistant_id=assistant_id).values_list("name", "mock")
        return {action: mock for action, mock in rows if mock is not None}

    def mock_for(name: str) -> Any:
        return mock_sets.get_or_make(key, read).get(name)

    return mock_for


def engine_assistant(assistant: Assistant, source: Source) -> EngineAssistant:
    """The built engine Assistant for a source, from the cache when it was built before."""
    return runtime_for(assistant, source).assistant


def _generator_key(assistant: Assistant) -> tuple:
    """What chooses a generator: the assistant's settings and the operator's LLM settings."""
    operator = tuple(getattr(django_settings, name) for name in _OPERATOR_LLM_SETTINGS)
    return json.dumps(assistant.settings or {}, sort_keys=True, default=str), repr(operator)


def _generator_build(assistant: Assistant, built: EngineAssistant):
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


def _problem_text(problems: list[Problem]) -> str:
    return "The assistant cannot run until these are fixed: " + problems_text(problems)


def plain(value: Any) -> Any:
    """JSON-safe copy (slot values and event fields may hold tuples or other odd types)."""
    return fastjson.plain(value)
