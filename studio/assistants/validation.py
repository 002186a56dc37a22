"""Shape checks for content written through the services; each problem names its place."""
from __future__ import annotations

import re
from typing import Any

from engine.model.response_schema import variation_problems
from studio.core.exceptions import Problem, ValidationFailed

# Rasa's semantic validator pattern (shared/core/flows/flow.py FLOW_ID_REGEX).
FLOW_ID_RE = re.compile(r"^[a-zA-Z0-9_][a-zA-Z0-9_-]*$")
# Response and action names as Rasa's domain schema allows them (shared/utils/schemas/domain.yml
# and shared/nlu/training_data/schemas/responses.yml): a response key is any text (`regex;(.+)`:
# `utter_don't`, retrieval answers such as `utter_faq/ask_price`, `utter:greet`), an action any
# string. Control characters (line breaks, NUL) are refused: no Rasa file holds them in a key.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
# A slot the studio makes is one flows can collect and set: Rasa's flow schema for slot names.
SLOT_NAME_RE = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_-]*$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")

_FLOW_TYPES: dict[str, tuple[type, ...]] = {
    "name": (str,),
    "description": (str,),
    "if": (str, bool),
    "nlu_trigger": (list,),
    "persisted_slots": (list,),
    "always_include_in_prompt": (bool,),
    "run_pattern_completed": (bool,),
    "steps": (list,),
}
_TYPE_NAMES = {str: "a string", bool: "true or false", list: "a list", dict: "a mapping"}


def find_nul(value: Any, loc: tuple = ()) -> tuple | None:
    """The place of the first string holding U+0000 (PostgreSQL text cannot store it), or None."""
    if isinstance(value, str):
        return loc if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = find_nul(key, (*loc, key)) or find_nul(item, (*loc, key))
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = find_nul(item, (*loc, index))
            if found is not None:
                return found
    return None


def check_no_nul(value: Any, loc: tuple) -> None:
    place = find_nul(value, loc)
    if place is not None:
        raise ValidationFailed.one(*place, msg="must not contain NUL characters (\\u0000)")


def _expected(types: tuple[type, ...]) -> str:
    return " or ".join(_TYPE_NAMES[t] for t in types)


def check_flow_id(flow_id: Any, loc: tuple = ("flow_id",)) -> None:
    if not isinstance(flow_id, str) or not FLOW_ID_RE.fullmatch(flow_id):
        raise ValidationFailed.one(
            *loc, msg=f"{flow_id!r} is not a valid flow id: use letters, digits, _ and - (not first)"
        )


def name_problem(value: Any, what: str) -> str | None:
    """Why `value` cannot name a slot, response or action in a Rasa domain (None when it can)."""
    if not isinstance(value, str) or not value.strip() or _CONTROL_RE.search(value):
        return f"{value!r} is not a valid {what} name: it must not be empty or hold line breaks or control characters"
    if what == "slot" and not SLOT_NAME_RE.fullmatch(value):
        return (f"{value!r} is not a valid slot name: start with a letter or _, then letters, digits, _ and - "
                f"(Rasa's rule for slots in flows)")
    return None


def check_name(value: Any, loc: tuple[str, ...], what: str) -> None:
    """A slot, response or action name (`what`) as Rasa's domain allows it."""
    if (problem := name_problem(value, what)) is not None:
        raise ValidationFailed.one(*loc, msg=problem)


def check_item_name(kind: str, value: Any, loc: tuple[str, ...] = ("name",)) -> None:
    """The one judge of new names: `kind` is flows, slots, responses or actions."""
    if kind == "flows":
        check_flow_id(value, loc)
    else:
        check_name(value, loc, kind.removesuffix("s"))


def check_flow_body(data: Any, loc: tuple = ("data",)) -> None:
    """Types of the known flow keys and the step list; deeper checks belong to the engine."""
    if not isinstance(data, dict):
        raise ValidationFailed.one(*loc, msg="a flow must be a mapping")
    check_no_nul(data, loc)
    problems: list[Problem] = []
    for key, types in _FLOW_TYPES.items():
        value = data.get(key)
        # bool is an int subclass, and `if: true` must not pass as a string: check exact types.
        if value is not None and type(value) not in types:
            problems.append(Problem((*loc, key), f"must be {_expected(types)}"))
    for index, step in enumerate(data.get("steps") or []) if isinstance(data.get("steps"), list) else ():
        if not isinstance(step, dict):
            problems.append(Problem((*loc, "steps", index), "a step must be a mapping"))
    for index, slot in enumerate(data.get("persisted_slots") or []) if isinstance(
        data.get("persisted_slots"), list
    ) else ():
        if not isinstance(slot, str):
            problems.append(Problem((*loc, "persisted_slots", index), "must be a slot name"))
    if problems:
        raise ValidationFailed(problems)


def check_slot_definition(data: Any, loc: tuple = ("data",)) -> None:
    if not isinstance(data, dict):
        raise ValidationFailed.one(*loc, msg="a slot must be a mapping")
    check_no_nul(data, loc)
    slot_type = data.get("type")
    if not isinstance(slot_type, str) or not slot_type.strip():
        raise ValidationFailed.one(*loc, "type", msg="every slot needs a type (text, bool, categorical, float, list, any)")
    mappings = data.get("mappings")
    if mappings is not None and not isinstance(mappings, list):
        raise ValidationFailed.one(*loc, "mappings", msg="must be a list")


def check_variations(data: Any, loc: tuple = ("variations",)) -> None:
    if not isinstance(data, list) or not data:
        raise ValidationFailed.one(*loc, msg="a response needs a list of at least one variation")
    check_no_nul(data, loc)
    problems = []
    for index, variation in enumerate(data):
        if not isinstance(variation, dict) or not variation:
            problems.append(Problem((*loc, index), "a variation must be a mapping with text or custom content"))
        else:  # the engine's copy of Rasa's responses schema is the one judge of a variation's shape
            problems += [Problem((*loc, index), message) for message in variation_problems(variation)]
    if problems:
        raise ValidationFailed(problems)


GENERATORS = ("llm", "offline", "scripted")
# The key is the operator's secret (studio/tryit/llm_access.py decides where it may go); an
# assistant-level key would be stored in the database and shown to everyone who can read settings.
API_KEY_REFUSED = "is not accepted: the LLM API key comes only from the server's LLM_API_KEY environment variable"
_LLM_NUMBERS = {"temperature": (0.0, 2.0), "timeout": (0.1, 600.0), "max_retries": (0, 10)}


def check_assistant_settings(data: Any, loc: tuple = ("settings",)) -> None:
    """The studio-level settings: command generator choice, LLM options, prompt template."""
    if not isinstance(data, dict):
        raise ValidationFailed.one(*loc, msg="must be a mapping")
    problems: list[Problem] = []
    generator = data.get("generator")
    if generator is not None and generator not in GENERATORS:
        problems.append(Problem((*loc, "generator"), f"{generator!r} is not one of {', '.join(GENERATORS)}"))
    template = data.get("prompt_template")
    if template is not None and not isinstance(template, str):
        problems.append(Problem((*loc, "prompt_template"), "must be a string"))
    llm = data.get("llm", {})
    if not isinstance(llm, dict):
        problems.append(Problem((*loc, "llm"), "must be a mapping"))
        llm = {}
    for key, (low, high) in _LLM_NUMBERS.items():
        value = llm.get(key)
        if value is None:
            continue
        if type(value) not in (int, float) or not low <= value <= high:
            problems.append(Problem((*loc, "llm", key), f"must be a number from {low:g} to {high:g}"))
    if "api_key" in llm:
        problems.append(Problem((*loc, "llm", "api_key"), API_KEY_REFUSED))
    for key in ("base_url", "model", "api_key_env"):
        if llm.get(key) is not None and not isinstance(llm[key], str):
            problems.append(Problem((*loc, "llm", key), "must be a string"))
    base_url = llm.get("base_url")
    if isinstance(base_url, str) and base_url and not base_url.startswith(("http://", "https://")):
        problems.append(Problem((*loc, "llm", "base_url"), "must start with http:// or https://"))
    if problems:
        raise ValidationFailed(problems)
