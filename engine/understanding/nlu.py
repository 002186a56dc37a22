"""NLU training examples (Rasa `nlu:` data) as extra phrasings for flows with `nlu_trigger`."""

from __future__ import annotations

import re
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from engine.safe_input import load_yaml

# `[Berlin](city)` and `[Berlin]{"entity": "city"}` annotations keep only their text.
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def examples_from_nlu(data: dict | None) -> dict[str, list[str]]:
    """intent -> example texts, from one parsed YAML document with an `nlu:` key."""
    result: dict[str, list[str]] = {}
    for item in (data or {}).get("nlu") or []:
        if not isinstance(item, dict) or "intent" not in item:
            continue
        result.setdefault(str(item["intent"]), []).extend(_examples(item.get("examples")))
    return result


def _examples(raw) -> list[str]:
    if isinstance(raw, str):
        lines = [line.strip() for line in raw.splitlines()]
        texts = [line[1:].strip() for line in lines if line.startswith("-")]
    elif isinstance(raw, list):
        texts = [str(x.get("text", "")) if isinstance(x, dict) else str(x) for x in raw]
    else:
        texts = []
    return [_ANNOTATION.sub(r"\1", t) for t in texts if t]


def read_nlu_examples(project_dir: str | Path) -> dict[str, list[str]]:
    """Every `nlu:` example under the project's data/ folder; unreadable files are skipped
    (the engine's loader reports them)."""
    result: dict[str, list[str]] = {}
    data_dir = Path(project_dir) / "data"
    if not data_dir.is_dir():
        return result
    yaml = YAML(typ="safe", pure=True)
    for path in sorted(p for p in data_dir.rglob("*") if p.suffix in (".yml", ".yaml")):
        try:
            document = load_yaml(path.read_text(encoding="utf-8"), yaml)
        except (OSError, UnicodeDecodeError, YAMLError):
            continue
        if isinstance(document, dict):
            for intent, texts in examples_from_nlu(document).items():
                result.setdefault(intent, []).extend(texts)
    return result
