"""Safe YAML parsing for stored Rasa file contents, with errors that name the file and line.

Limits (depth, alias expansion, size, NUL and lone surrogates) are engine.safe_input's.
"""
from __future__ import annotations

import copy
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from engine.safe_input import load_yaml
from studio.core.lru import SharedLRU


class YamlProblem(Exception):
    def __init__(self, file: str, line: int | None, message: str) -> None:
        where = f"{file}, line {line}" if line else file
        super().__init__(f"{where}: {message}")
        self.file, self.line, self.message = file, line, message


def _plain(value: Any) -> Any:
    """ruamel's commented containers turned into plain dicts/lists (JSON-ready)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


_PARSED_MAX_TEXT = 64 * 1024
_parsed = SharedLRU(128)  # text -> its mapping, never handed out itself


def parse_mapping(text: str, *, file: str) -> dict[str, Any]:
    """A YAML document that must be a mapping (an empty document is an empty mapping).

    The same text (config.yml and endpoints.yml, read by most pages) is parsed once per process;
    each caller gets its own copy to change.
    """
    text = text or ""
    if len(text) > _PARSED_MAX_TEXT:
        return _parse_mapping(text, file=file)
    # A problem raises out of make(), so nothing is kept and the next caller's names its own file.
    return copy.deepcopy(_parsed.get_or_make(text, lambda: _parse_mapping(text, file=file)))


def _parse_mapping(text: str, *, file: str) -> dict[str, Any]:
    try:
        data = load_yaml(text, YAML(typ="safe", pure=True))
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise YamlProblem(file, mark.line + 1 if mark else None, getattr(exc, "problem", None) or str(exc)) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise YamlProblem(file, 1, "the top level must be a mapping")
    return _plain(data)
