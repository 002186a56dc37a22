"""Reading Rasa Pro e2e test files: test cases, fixtures, metadata and stub_custom_actions."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, SequenceNode

from engine.e2e.assertions import ASSERTION_TYPES, assertion_problem
from engine.errors import EngineError
from engine.safe_input import check_yaml

CLASSIC_KEYS = ("user", "bot", "utter", "slot_was_set", "slot_was_not_set")
CONFTEST_NAMES = ("conftest.yml", "conftest.yaml")
STUB_SEPARATOR = "::"


@dataclass(frozen=True)
class TestStep:
    """One list item of `steps`; `kind` is its key (user, bot, utter, slot_was_set, ...)."""

    __test__ = False  # not a pytest class, despite the name

    kind: str
    value: Any
    line: int | None = None
    metadata: str | None = None
    assertions: tuple[dict, ...] | None = None  # None: the step has no `assertions` key
    ordered: bool = False  # assertion_order_enabled

    def describe(self) -> str:
        if self.kind == "user":
            shown = str(self.value).replace("\n", "\\n")  # one command per line: keep it on one line
            return f'user: "{shown}"'
        return f"{self.kind}: {self.value}"


@dataclass(frozen=True)
class TestCase:
    __test__ = False  # not a pytest class, despite the name

    name: str
    file: str
    line: int | None
    steps: tuple[TestStep, ...]
    fixture_slots: dict = field(default_factory=dict)  # slot -> value, fixtures applied in order
    metadata: dict = field(default_factory=dict)  # the test case's metadata (not used by the engine)
    stubs: dict = field(default_factory=dict)  # action -> stub, test-case scope over file scope
    uses_stubs: bool = False  # some loaded file stubs custom actions: unstubbed ones fail

    @property
    def uses_assertions(self) -> bool:
        """Rasa: one step with `assertions` switches the whole test case to assertion mode."""
        return any(step.assertions is not None for step in self.steps)

    @property
    def title(self) -> str:
        return f"{self.file}::{self.name}"


class _Located(dict):
    """A YAML mapping that remembers its line, for failure messages."""

    line: int | None = None


def _line(node: Any) -> int | None:
    return getattr(node, "line", None)


def _build(node: Any, yaml: YAML) -> Any:
    if isinstance(node, MappingNode):
        mapping = _Located((_build(k, yaml), _build(v, yaml)) for k, v in node.value)
        mapping.line = node.start_mark.line + 1
        return mapping
    if isinstance(node, SequenceNode):
        return [_build(item, yaml) for item in node.value]
    return yaml.constructor.construct_object(node, deep=True)


def _read(path: Path) -> Any:
    """Safe YAML with line numbers. The C composer plus our own mapping type is ~10x faster
    than ruamel's round-trip loader, which matters for a folder of recorded tests."""
    return read_text(path.read_text(encoding="utf-8"), path)


def read_text(text: str, path: Path) -> Any:
    """`_read` of text already in memory (`path` only names it in errors)."""
    yaml = YAML(typ="safe")
    try:
        check_yaml(text, pure=False)
        node = yaml.compose(text)
        return None if node is None else _build(node, yaml)
    except YAMLError as exc:
        raise EngineError(f"{path}: YAML error: {exc}") from exc


def _where(path: Path, node: Any) -> str:
    line = _line(node)
    return f"{path}:{line}" if line else str(path)


def _named_entries(path: Path, data: dict, key: str) -> dict[str, Any]:
    """`fixtures` / `metadata`: a list of one-key mappings, name -> content."""
    entries = data.get(key) or []
    if not isinstance(entries, list):
        raise EngineError(f"{_where(path, data)}: '{key}' must be a list of named entries")
    named: dict[str, Any] = {}
    for entry in entries:
        if not isinstance(entry, dict) or len(entry) != 1:
            raise EngineError(f"{_where(path, entry)}: each '{key}' entry must be a mapping with one name")
        name, content = next(iter(entry.items()))
        if str(name) in named:
            raise EngineError(f"{_where(path, entry)}: {key} '{name}' is defined twice")
        named[str(name)] = content
    return named


def _fixture_slots(path: Path, data: dict) -> dict[str, dict]:
    fixtures = {}
    for name, slots in _named_entries(path, data, "fixtures").items():
        if not isinstance(slots, list) or not all(isinstance(s, dict) for s in slots):
            raise EngineError(f"{path}: fixture '{name}' must be a list of {{slot: value}} mappings")
        fixtures[name] = {str(k): v for item in slots for k, v in item.items()}
    return fixtures


def _conftest_fixtures(test_file: Path, root: Path) -> dict[str, dict]:
    """Fixtures of conftest files from `root` down to the test file's folder (children win)."""
    folders = [test_file.parent, *test_file.parent.parents]
    if root in folders:
        folders = folders[: folders.index(root) + 1]
    else:
        folders = folders[:1]
    merged: dict[str, dict] = {}
    for folder in reversed(folders):
        for name in CONFTEST_NAMES:
            conftest = folder / name
            if conftest.is_file():
                data = _read(conftest)
                if isinstance(data, dict):
                    merged.update(_fixture_slots(conftest, data))
    return merged


def _step(path: Path, raw: Any) -> TestStep:
    if not isinstance(raw, dict):
        raise EngineError(f"{_where(path, raw)}: a step must be a mapping, got {raw!r}")
    kinds = [k for k in CLASSIC_KEYS if k in raw]
    if len(kinds) != 1:
        raise EngineError(f"{_where(path, raw)}: a step needs exactly one of {', '.join(CLASSIC_KEYS)}")
    kind = kinds[0]
    assertions = raw.get("assertions")
    if assertions is not None:
        if kind != "user":
            raise EngineError(f"{_where(path, raw)}: 'assertions' may only appear on a user step")
        assertions = tuple(_assertion(path, a) for a in assertions or [])
    value = raw[kind]
    if kind == "user":
        value = "" if value is None else str(value).strip()
    return TestStep(kind=kind, value=value, line=_line(raw), metadata=raw.get("metadata") or None,
                    assertions=assertions, ordered=bool(raw.get("assertion_order_enabled", False)))


def _assertion(path: Path, raw: Any) -> dict:
    if not isinstance(raw, dict) or len(raw) != 1:
        raise EngineError(f"{_where(path, raw)}: an assertion must be a mapping with one key")
    kind = str(next(iter(raw)))
    if kind not in ASSERTION_TYPES:
        raise EngineError(f"{_where(path, raw)}: unknown assertion type '{kind}'")
    problem = assertion_problem(kind, raw[kind])
    if problem:
        raise EngineError(f"{_where(path, raw)}: {problem}")
    return {"type": kind, "value": raw[kind], "line": _line(raw)}


def _stubs_for(case: str, file_name: str, stubs: dict) -> dict:
    """Rasa's lookup: `<test_case>::<action>` first, then the file-wide `<file>::<action>`."""
    chosen: dict = {}
    for key, stub in stubs.items():
        scope, _, action = str(key).rpartition(STUB_SEPARATOR)
        if scope in ("", file_name) and action not in chosen:
            chosen[action] = stub
    for key, stub in stubs.items():
        scope, _, action = str(key).rpartition(STUB_SEPARATOR)
        if scope == case:
            chosen[action] = stub
    return chosen


@dataclass
class _FileContext:
    path: Path
    shown: str
    fixtures: dict
    metadata: dict
    stubs: dict


def _case(ctx: _FileContext, raw: Any) -> TestCase:
    if not isinstance(raw, dict) or not isinstance(raw.get("test_case"), str):
        raise EngineError(f"{_where(ctx.path, raw)}: every test case needs a 'test_case' name")
    name = raw["test_case"]
    slots: dict = {}
    for fixture in raw.get("fixtures") or []:
        if fixture not in ctx.fixtures:
            raise EngineError(f"{_where(ctx.path, raw)}: test case '{name}' uses the unknown fixture '{fixture}'")
        slots.update(ctx.fixtures[fixture])
    metadata_name = raw.get("metadata")
    if metadata_name and metadata_name not in ctx.metadata:
        raise EngineError(f"{_where(ctx.path, raw)}: test case '{name}' uses the unknown metadata '{metadata_name}'")
    if not isinstance(raw.get("steps") or [], list):
        raise EngineError(f"{_where(ctx.path, raw)}: 'steps' of test case '{name}' must be a list of steps")
    steps = tuple(_step(ctx.path, s) for s in raw.get("steps") or [])
    for step in steps:
        if step.metadata and step.metadata not in ctx.metadata:
            raise EngineError(f"{ctx.path}:{step.line}: step metadata '{step.metadata}' is not defined")
    return TestCase(name=name, file=ctx.shown, line=_line(raw), steps=steps, fixture_slots=slots,
                    metadata=dict(ctx.metadata.get(metadata_name) or {}),
                    stubs=_stubs_for(name, ctx.path.name, ctx.stubs))


def load_file(path: Path, root: Path, shown: str, data: Any = None) -> tuple[list[TestCase], bool]:
    """The file's test cases, and whether it stubs custom actions (`data`: the file, already read)."""
    on_disk = data is None  # text from memory has no folders around it, so no conftest files
    data = _read(path) if on_disk else data
    if not isinstance(data, dict) or "test_cases" not in data:
        return [], False  # Rasa only reads YAML files with a top-level `test_cases` key
    stubs = data.get("stub_custom_actions") or {}
    if not isinstance(stubs, dict):
        raise EngineError(f"{path}: 'stub_custom_actions' must be a mapping of action names")
    fixtures = {**(_conftest_fixtures(path, root) if on_disk else {}), **_fixture_slots(path, data)}
    ctx = _FileContext(path, shown, fixtures, _named_entries(path, data, "metadata"), dict(stubs))
    return [_case(ctx, raw) for raw in data.get("test_cases") or []], bool(stubs)


def _files(target: Path) -> list[Path]:
    if target.is_file():
        return [target]
    if not target.is_dir():
        raise EngineError(f"{target}: no such test file or folder")
    return sorted(p for p in target.rglob("*") if p.suffix in (".yml", ".yaml")
                  and p.name not in CONFTEST_NAMES and p.is_file())


def load_test_cases(paths: list[str | Path], *, base: Path | None = None) -> list[TestCase]:
    """Every test case under `paths` (files or folders; `FILE::name` picks one test case)."""
    cases: list[TestCase] = []
    any_stubs = False
    for spec in paths:
        text = str(spec)
        path_text, _, only = text.partition(STUB_SEPARATOR) if text.count(STUB_SEPARATOR) else (text, "", "")
        target = Path(path_text)
        root = target if target.is_dir() else target.parent
        for file in _files(target):
            shown = str(file.relative_to(base)) if base and file.is_relative_to(base) else str(file)
            found, stubbed = load_file(file, root, shown)
            any_stubs = any_stubs or stubbed
            cases.extend(c for c in found if not only or c.name == only)
    # Rasa runs every custom action through the stub executor once any test file stubs one.
    return [replace(c, uses_stubs=any_stubs) for c in cases]


def load_text(text: str, shown: str) -> list[TestCase]:
    """The test cases of one file's text (no conftest fixtures): what an editor checks before saving.
    Raises EngineError naming `shown` and the line, like a file on disk."""
    path = Path(shown)
    data = read_text(text, path)
    return load_file(path, path.parent, shown, data)[0] if data is not None else []
