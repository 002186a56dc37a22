"""Reading a Rasa Pro project (files or dicts) into flows and a domain, collecting problems."""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError

from engine.errors import Problem
from engine.model.flows import Flow, FlowShapeError
from engine.safe_input import load_yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class RawProject:
    """Plain dicts as read from disk, plus where each flow came from."""

    config: dict = field(default_factory=dict)
    domain: dict = field(default_factory=dict)
    flows: dict[str, dict] = field(default_factory=dict)
    endpoints: dict = field(default_factory=dict)
    flow_files: dict[str, str] = field(default_factory=dict)
    flow_lines: dict[str, int] = field(default_factory=dict)
    agents: dict[str, dict] = field(default_factory=dict)  # sub-agent name -> its config.yml
    problems: list[Problem] = field(default_factory=list)


def read_yaml(text: str, file: str, problems: list[Problem]) -> Any:
    """Parse YAML (within engine.safe_input's limits); an error becomes a Problem with the file and line."""
    try:
        return load_yaml(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problems.append(Problem(f"YAML error: {exc.problem or exc.context}", file=file, line=line))
    except YAMLError as exc:
        problems.append(Problem(f"YAML error: {exc}", file=file))
    return None


def _read_file(path: Path, root: Path, problems: list[Problem]) -> Any:
    name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(f"cannot read file: {exc}", file=name))
        return None
    data = read_yaml(text, name, problems)
    if data is not None and not isinstance(data, dict):
        problems.append(Problem("the file must contain a mapping at the top level", file=name))
        return None
    return data


def _merge_domain(target: dict, part: dict) -> None:
    for key, value in part.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            target[key].update(value)
        elif isinstance(value, list) and isinstance(target.get(key), list):
            target[key].extend(value)
        else:
            target[key] = value


def read_project(path: str | Path) -> RawProject:
    """Read config.yml, domain.yml or domain/, every flows YAML under data/ (and the responses
    data files hold), endpoints.yml."""
    root = Path(path)
    raw = RawProject()
    if not root.is_dir():
        raw.problems.append(Problem(f"project folder not found: {root}"))
        return raw
    raw.config = _read_file(root / "config.yml", root, raw.problems) or {} if (root / "config.yml").exists() else {}
    if (root / "endpoints.yml").exists():
        raw.endpoints = _read_file(root / "endpoints.yml", root, raw.problems) or {}
    # With a domain.yml, Rasa reads that file alone and never the domain/ folder.
    if (root / "domain.yml").exists():
        domain_files = [root / "domain.yml"]
    elif (root / "domain").is_dir():
        domain_files = sorted(p for p in (root / "domain").rglob("*") if p.suffix in (".yml", ".yaml"))
    else:
        domain_files = []
    for file in domain_files:
        _merge_domain(raw.domain, _read_file(file, root, raw.problems) or {})
    data_dir = root / "data"
    files = sorted(p for p in data_dir.rglob("*") if p.suffix in (".yml", ".yaml")) if data_dir.is_dir() else []
    data_responses: dict = {}
    for file in files:
        content = _read_file(file, root, raw.problems) or {}
        name = str(file.relative_to(root))
        if isinstance(content.get("responses"), dict):
            data_responses.update(content["responses"])
        for flow_id, body in (content.get("flows") or {}).items():
            if flow_id in raw.flows:
                raw.problems.append(Problem(
                    f"flow id defined twice (also in {raw.flow_files[flow_id]})", file=name, flow_id=flow_id))
                continue
            raw.flows[flow_id] = body
            raw.flow_files[flow_id] = name
            raw.flow_lines[flow_id] = _line_of_key(file, flow_id)
    domain_responses = raw.domain.get("responses")
    if data_responses and isinstance(domain_responses, (dict, type(None))):
        # Rasa merges a data file's `responses:` into the domain, the data file winning
        # (ResponsesSyncImporter); only responses, never slots or actions.
        raw.domain["responses"] = {**(domain_responses or {}), **data_responses}
    _read_sub_agents(root, raw)
    return raw


SUB_AGENTS = "sub_agents"


def _read_sub_agents(root: Path, raw: RawProject) -> None:
    folder = root / SUB_AGENTS
    if not folder.is_dir():
        return
    files: dict[str, Any] = {}
    for entry in sorted(folder.iterdir()):
        name = f"{SUB_AGENTS}/{entry.name}"
        if not entry.is_dir():
            files[name] = None
        elif (entry / "config.yml").is_file():
            files[f"{name}/config.yml"] = _read_file(entry / "config.yml", root, raw.problems) or {}
        else:
            files[f"{name}/"] = None  # a folder without its config.yml
    raw.agents, problems = sub_agents_from_files(files)
    raw.problems.extend(problems)


def sub_agents_from_files(files: dict[str, Any]) -> tuple[dict[str, dict], list[Problem]]:
    """Rasa's `AvailableAgents.read_from_folder` over project paths under sub_agents/ (each
    `sub_agents/<agent>/config.yml` with its parsed content; other paths as they are, a folder
    as `sub_agents/<agent>/`): one folder per agent, each with a config.yml naming the agent
    (`agent.name`, `agent.description`). Returns {agent name: its config} and the problems."""
    agents: dict[str, dict] = {}
    problems: list[Problem] = []
    entries: dict[str, Any] = {}
    for path, content in sorted(files.items()):
        parts = path.split("/")
        if len(parts) < 2 or parts[0] != SUB_AGENTS or not parts[1]:
            continue
        is_config = len(parts) == 3 and parts[2] == "config.yml"
        entries.setdefault(f"{SUB_AGENTS}/{parts[1]}", [len(parts) > 2, None])
        if is_config:
            entries[f"{SUB_AGENTS}/{parts[1]}"][1] = content if isinstance(content, dict) else {}
    for name, (is_folder, config) in entries.items():
        if not is_folder or config is None:
            problems.append(Problem("each sub-agent needs its own folder with a config.yml "
                                    "(sub_agents/<agent>/config.yml)", file=name))
            continue
        agent = config.get("agent") if isinstance(config.get("agent"), dict) else {}
        missing = [key for key in ("name", "description") if not agent.get(key)]
        if missing:
            problems.append(Problem(f"the sub-agent config needs agent.{' and agent.'.join(missing)}",
                                    file=f"{name}/config.yml"))
        elif str(agent["name"]) in agents:
            problems.append(Problem(f"sub-agent name '{agent['name']}' is used twice", file=f"{name}/config.yml"))
        else:
            agents[str(agent["name"])] = config
    return agents, problems


def _line_of_key(path: Path, key: str) -> int | None:
    """1-based line where a flow id is defined (cheap, for error messages)."""
    pattern = re.compile(rf"^\s+['\"]?{re.escape(str(key))}['\"]?\s*:")
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.match(line):
                return number
    except OSError:
        return None
    return None


@functools.lru_cache(maxsize=1)
def default_pattern_data() -> dict:
    """The parsed default-pattern file, shared: callers must not modify it."""
    return _default_patterns()


@functools.lru_cache(maxsize=1)
def _default_patterns() -> dict:
    return load_yaml((DATA_DIR / "default_flows.yml").read_text(encoding="utf-8"))


def default_patterns() -> dict:
    """Rasa 3.21's default patterns with their responses and slots (a fresh copy)."""
    return copy.deepcopy(_default_patterns())


def default_pattern_bodies() -> dict[str, dict]:
    """{pattern id: flow body} of Rasa 3.21's default patterns, in file order (a fresh copy)."""
    return copy.deepcopy(_default_patterns()["flows"])


@functools.lru_cache(maxsize=1)
def default_pattern_flows() -> dict[str, Flow]:
    """The default patterns built once; Flow objects are immutable, so sharing them is safe."""
    problems: list[Problem] = []
    flows = build_flows(_default_patterns()["flows"], {}, problems)
    if problems:
        raise RuntimeError(f"engine/data/default_flows.yml is broken: {problems}")
    return flows


def build_flows(flow_dicts: dict[str, Any], flow_files: dict[str, str], problems: list[Problem],
                flow_lines: dict[str, int] | None = None) -> dict[str, Flow]:
    flows: dict[str, Flow] = {}
    lines = flow_lines or {}
    for flow_id, body in flow_dicts.items():
        try:
            flow = Flow.from_dict(str(flow_id), body)
            flows[str(flow_id)] = flow
            problems.extend(Problem(message, file=flow_files.get(flow_id), flow_id=str(flow_id),
                                    step_id=step_id, line=lines.get(flow_id))
                            for message, step_id in flow.shape_problems)
        except FlowShapeError as exc:
            problems.append(Problem(str(exc), file=flow_files.get(flow_id), flow_id=str(flow_id),
                                    step_id=exc.step_id, line=lines.get(flow_id)))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            problems.append(Problem(f"malformed flow: {exc}", file=flow_files.get(flow_id),
                                    flow_id=str(flow_id), line=lines.get(flow_id)))
    return flows
