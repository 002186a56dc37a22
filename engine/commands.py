"""Commands: what the understanding layer asks the dialogue engine to do.

One frozen dataclass per command, a parser for the command language an LLM writes (Rasa Pro
3.21 grammar v2 "Compact" and v3 "SearchReady") and the matching printer. The parser uses
Rasa's own regular expressions so that edge cases (leading bullets, quotes, trailing dots)
behave identically. Button payloads (`/SetSlots(...)`, `/intent`) are parsed separately by
`parse_payload` because Rasa bypasses the LLM for them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Collection, Union

SYNTAXES = ("v2", "v3")
CANNOT_HANDLE_DEFAULT = "cannot_handle_default"
CANNOT_HANDLE_NO_RELEVANT_ANSWER = "cannot_handle_no_relevant_answer"

# Values an LLM writes when it means "no value" (rasa.dialogue_understanding.commands.utils).
_NONE_VALUES = frozenset({"[missing information]", "[missing]", "None", "undefined", "null"})


@dataclass(frozen=True)
class StartFlow:
    flow: str


@dataclass(frozen=True)
class SetSlot:
    name: str
    value: Any
    extractor: str = "LLM"


@dataclass(frozen=True)
class CancelFlow:
    pass


@dataclass(frozen=True)
class Clarify:
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChitChat:
    pass


@dataclass(frozen=True)
class KnowledgeAnswer:
    pass


@dataclass(frozen=True)
class SkipQuestion:
    pass


@dataclass(frozen=True)
class RepeatBotMessages:
    pass


@dataclass(frozen=True)
class HumanHandoff:
    pass


@dataclass(frozen=True)
class CannotHandle:
    reason: str = CANNOT_HANDLE_DEFAULT


@dataclass(frozen=True)
class ContinueAgent:
    """`continue agent`: a Rasa 3.21 sub-agent command. Without sub-agents Rasa's clean-up
    drops it, so the message does nothing (it is not "cannot handle")."""


@dataclass(frozen=True)
class RestartAgent:
    """`restart agent <id>`: like `ContinueAgent`, a silent no-op without sub-agents."""

    agent: str = ""


@dataclass(frozen=True)
class CorrectSlots:
    """Internal: a `SetSlot` on an already filled slot becomes a correction.

    Each entry is (slot name, value as the user gave it, extractor)."""

    slots: tuple[tuple[str, Any, str], ...] = ()


@dataclass(frozen=True)
class SessionStart:
    """Internal: `/session_start` runs `action_session_start` and `pattern_session_start`."""


@dataclass(frozen=True)
class TriggerIntent:
    """Internal: an `/intent` payload starts the flow whose `nlu_trigger` lists the intent."""

    intent: str
    confidence: float = 1.0  # `/intent@0.4` gives a lower one, checked against thresholds
    entities: tuple[tuple[str, Any], ...] = ()  # `/intent{"city": "Oslo"}`: (entity, value) pairs


@dataclass(frozen=True)
class InternalError:
    """Internal: something failed; runs `pattern_internal_error`."""

    error_type: str = "rasa_internal_error_default"
    info: tuple[tuple[str, Any], ...] = field(default=())


@dataclass(frozen=True)
class HandleCodeChange:
    """Internal: flows on the stack changed since the last turn (e.g. the assistant was retrained)."""


Command = Union[
    StartFlow, SetSlot, CancelFlow, Clarify, ChitChat, KnowledgeAnswer, SkipQuestion,
    RepeatBotMessages, HumanHandoff, CannotHandle, CorrectSlots, SessionStart, TriggerIntent,
    InternalError, ContinueAgent, RestartAgent,
]


def _is_none_value(value: str) -> bool:
    return not value or value in _NONE_VALUES


def _clean_value(value: str) -> str | None:
    cleaned = value.strip("'\" ")
    return None if _is_none_value(cleaned) else cleaned


def _clarify_options(raw: str) -> tuple[str, ...]:
    words = raw.replace(",", " ").split()
    return tuple(sorted(word.strip().strip('"').strip("'") for word in words if word.strip()))


@dataclass(frozen=True)
class _Grammar:
    """One command's syntax: a regex per version, a builder from the match, a printer."""

    patterns: dict[str, str]
    build: Callable[[re.Match], Command]
    printers: dict[str, Callable[[Any], str]]


def _same(pattern: str) -> dict[str, str]:
    return {"v2": pattern, "v3": pattern}


def _same_printer(printer: Callable[[Any], str]) -> dict[str, Callable[[Any], str]]:
    return {"v2": printer, "v3": printer}


def _phrase(command: type, phrase: str) -> _Grammar:
    """A command without arguments: the phrase alone on its line, as Rasa matches it."""
    return _Grammar(_same(rf"""^[\s\W\d]*{phrase}['"`]*$"""), lambda m: command(), _same_printer(lambda c: phrase))


# The explicit registry, in Rasa's DEFAULT_COMMANDS order (the order commands of one line
# are emitted in). CannotHandle/HumanHandoff have no LLM syntax in 3.21 but can be printed.
_REGISTRY: dict[type, _Grammar] = {
    SetSlot: _Grammar(
        _same(r"""^[\s\W\d]*set slot ['"`]?([a-zA-Z_][a-zA-Z0-9_-]*)['"`]? ['"`]?(.+?)[\W]*$"""),
        lambda m: SetSlot(m.group(1).strip(), _clean_value(m.group(2))),
        _same_printer(lambda c: f"set slot {c.name} {c.value}"),
    ),
    StartFlow: _Grammar(
        _same(r"""^[\s\W\d]*start flow ['"`]?([a-zA-Z0-9_-]+)['"`]*"""),
        lambda m: StartFlow(m.group(1).strip()),
        _same_printer(lambda c: f"start flow {c.flow}"),
    ),
    CancelFlow: _phrase(CancelFlow, "cancel flow"),
    ChitChat: _phrase(ChitChat, "offtopic reply"),
    SkipQuestion: _phrase(SkipQuestion, "skip question"),
    KnowledgeAnswer: _Grammar(
        {"v2": r"""^[\s\W\d]*provide info['"`]*$""", "v3": r"""^[\s\W\d]*search and reply['"`]*$"""},
        lambda m: KnowledgeAnswer(),
        {"v2": lambda c: "provide info", "v3": lambda c: "search and reply"},
    ),
    Clarify: _Grammar(
        _same(r"""^[\s\W\d]*disambiguate flows\s*(["'a-zA-Z0-9_, -]*)[\W]*$"""),
        lambda m: Clarify(_clarify_options(m.group(1))),
        _same_printer(lambda c: f"disambiguate flows {' '.join(c.options)}"),
    ),
    RepeatBotMessages: _phrase(RepeatBotMessages, "repeat message"),
    ContinueAgent: _phrase(ContinueAgent, "continue agent"),
    RestartAgent: _Grammar(
        _same(r"""^[\s\W\d]*restart agent ['"`]?([a-zA-Z0-9_-]+)['"`]*"""),
        lambda m: RestartAgent(m.group(1)),
        _same_printer(lambda c: f"restart agent {c.agent}"),
    ),
}

_PRINT_ONLY: dict[type, Callable[[Any], str]] = {
    CannotHandle: lambda c: "cannot handle",
    HumanHandoff: lambda c: "hand over",
}

_COMPILED: dict[str, list[tuple[re.Pattern, Callable[[re.Match], Command]]]] = {
    syntax: [(re.compile(g.patterns[syntax]), g.build) for g in _REGISTRY.values()]
    for syntax in SYNTAXES
}


def syntax_for_generator(generator_name: str | None) -> str:
    """The grammar version of a command generator named in config.yml."""
    if generator_name and "SearchReady" in generator_name:
        return "v3"
    return "v2"


def _check_syntax(syntax: str) -> None:
    if syntax not in SYNTAXES:
        raise ValueError(f"unknown command syntax {syntax!r}; expected one of {', '.join(SYNTAXES)}")


def parse_commands(
    text: str, syntax: str = "v2", *, user_flows: Collection[str] | None = None
) -> list[Command]:
    """Parse an LLM answer (one command per line) like Rasa's command parser.

    Every line is tried against every command; lines matching nothing are ignored. When
    `user_flows` is given, Rasa's parse-time clean-up applies: unknown flow ids are dropped,
    `set slot flow_name X` becomes `start flow X`, and a clarification with one valid option
    becomes a start. An answer without any command yields `CannotHandle()`.
    """
    _check_syntax(syntax)
    commands: list[Command] = []
    for line in (text or "").strip().splitlines():
        line = line.strip()
        for pattern, build in _COMPILED[syntax]:
            match = pattern.search(line)
            if not match:
                continue
            command = build(match)
            if user_flows is not None:
                command = _clean_parsed(command, user_flows)
            if command is not None:
                commands.append(command)
    if not commands:
        commands.append(CannotHandle())
    return commands


def _start_if_known(flow: Any, user_flows: Collection[str]) -> StartFlow | None:
    return StartFlow(flow) if flow in user_flows else None


def _clean_parsed(command: Command, user_flows: Collection[str]) -> Command | None:
    if isinstance(command, SetSlot) and command.name == "flow_name":
        # Rasa: the LLM sometimes "starts" a flow by setting a slot called flow_name.
        return _start_if_known(command.value, user_flows)
    if isinstance(command, StartFlow):
        return _start_if_known(command.flow, user_flows)
    if isinstance(command, Clarify) and command.options:
        valid = [option for option in command.options if option in user_flows]
        if len(set(valid)) == 1:
            return StartFlow(valid[0])
        return Clarify(tuple(valid))
    return command


# Rasa's INTENT_ENTITIES_PATTERN (YAMLStoryReader): the intent runs up to `{` or `@`, newlines
# included, so "/restart\nset slot x 1" names no known intent and goes to the LLM instead.
_INTENT_PAYLOAD = re.compile(r"^/(?P<intent>[^{@]+)(?P<confidence>@[0-9.]+)?(?P<entities>{.+})?")


def is_payload(text: str) -> bool:
    """Texts starting with `/` are button payloads; Rasa does not send them to the LLM."""
    return (text or "").startswith("/")


def parse_payload(text: str, *, slot_names: Collection[str] | None = None) -> list[Command]:
    """Parse a `/SetSlots(a=b, c=d)` or `/intent` payload into commands.

    `/session_start` becomes `SessionStart()`. Like Rasa's CommandPayloadReader, a
    `/SetSlots` payload naming a slot outside `slot_names` (when given), with more than ten
    `=` signs, or with nothing readable yields no commands; the caller then treats the
    message as one it cannot handle.
    """
    text = (text or "").strip()
    if text.startswith("/SetSlots"):
        return _parse_set_slots(text, slot_names)
    match = _INTENT_PAYLOAD.match(text)
    if match:
        intent = match.group("intent").strip()
        if intent == "session_start":
            return [SessionStart()]
        try:
            confidence = float(match.group("confidence")[1:]) if match.group("confidence") else 1.0
        except ValueError:
            confidence = 1.0
        return [TriggerIntent(intent, confidence, _payload_entities(match.group("entities")))]
    return []


def read_payload(text: str, *, slot_names: Collection[str], intents: Collection[str]) -> list[Command]:
    """What Rasa reads from a `/` payload: `/SetSlots(...)` of the domain's slots, `/session_start`,
    or an `/intent` of the domain (its defaults included). [] when it reads nothing: the text then
    goes to the command generator at run time, and a button carrying it is refused."""
    commands = parse_payload(text, slot_names=slot_names)
    if len(commands) == 1 and isinstance(commands[0], TriggerIntent) and commands[0].intent not in intents:
        return []
    return commands


def _payload_entities(raw: str | None) -> tuple[tuple[str, Any], ...]:
    """Rasa's `_entities_from_regex_match`: a JSON object; a list value gives one entity per
    item; anything that is not a JSON object gives no entities."""
    try:
        parsed = json.loads(raw) if raw else {}
    except ValueError:
        return ()
    if not isinstance(parsed, dict):
        return ()
    return tuple((str(name), value) for name, values in parsed.items()
                 for value in (values if isinstance(values, list) else [values]))


_SET_SLOTS_PAIR = re.compile(r"(?P<slot_name>[^(),=]+)=(?P<slot_value>\[[^\]]*\]|[^(),]+)")
MAX_PAYLOAD_SLOTS = 10  # Rasa's CommandPayloadReader reads at most this many `=` in a /SetSlots payload


def _parse_set_slots(text: str, slot_names: Collection[str] | None) -> list[Command]:
    # Rasa caps the number of "=" to avoid regex blow-ups, and drops the whole payload when
    # one slot is unknown. Values stay strings; the slot type converts them later.
    if text.count("=") > MAX_PAYLOAD_SLOTS:
        return []
    commands: list[Command] = []
    for name, value in _SET_SLOTS_PAIR.findall(text):
        name, value = name.strip(), value.strip()
        if slot_names is not None and name not in slot_names:
            return []
        if value.lower() in {"none", "null", "undefined"}:
            value = None
        commands.append(SetSlot(name, value, "CommandPayloadReader"))
    return commands


def format_command(command: Command, syntax: str = "v2") -> str:
    """Print one command in the given grammar version."""
    _check_syntax(syntax)
    grammar = _REGISTRY.get(type(command))
    if grammar is not None:
        return grammar.printers[syntax](command)
    printer = _PRINT_ONLY.get(type(command))
    if printer is not None:
        return printer(command)
    raise ValueError(f"{type(command).__name__} has no syntax in the command language")


def format_commands(commands: list[Command], syntax: str = "v2") -> str:
    """Print commands one per line."""
    return "\n".join(format_command(command, syntax) for command in commands)


def command_name(command: Command) -> str:
    """A short stable name for inspector events and JSON (`start_flow`, `set_slot`, ...)."""
    return _NAMES[type(command)]


_NAMES: dict[type, str] = {
    StartFlow: "start_flow", SetSlot: "set_slot", CancelFlow: "cancel_flow",
    Clarify: "clarify", ChitChat: "chitchat", KnowledgeAnswer: "knowledge_answer",
    SkipQuestion: "skip_question", RepeatBotMessages: "repeat_bot_messages",
    HumanHandoff: "human_handoff", CannotHandle: "cannot_handle",
    CorrectSlots: "correct_slots", SessionStart: "session_start",
    TriggerIntent: "trigger_intent", InternalError: "internal_error",
    HandleCodeChange: "handle_code_change", ContinueAgent: "continue_agent",
    RestartAgent: "restart_agent",
}
_BY_NAME = {name: cls for cls, name in _NAMES.items()}


def command_to_dict(command: Command) -> dict[str, Any]:
    """JSON-friendly form, used by the inspector and the conversation state."""
    data: dict[str, Any] = {"command": command_name(command)}
    for key, value in command.__dict__.items():
        data[key] = [list(v) if isinstance(v, tuple) else v for v in value] if isinstance(value, tuple) else value
    return data


def command_from_dict(data: dict[str, Any]) -> Command:
    """Inverse of `command_to_dict`."""
    cls = _BY_NAME[data["command"]]
    kwargs = {k: v for k, v in data.items() if k != "command"}
    for key, value in kwargs.items():
        if isinstance(value, list):
            kwargs[key] = tuple(tuple(v) if isinstance(v, list) else v for v in value)
    return cls(**kwargs)
