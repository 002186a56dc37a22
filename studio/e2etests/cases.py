"""One test case inside a test file's text: find it, show it, replace it, take it out.

Django-free. Edits splice the case's own lines, so every other case, comment and key of the file
stays byte for byte (the exchange's rule for files the studio writes). The engine's e2e reader
is the judge of what a valid file is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ruamel.yaml.error import MarkedYAMLError

from engine.e2e.loader import TestCase, load_text
from engine.errors import EngineError
from engine.safe_input import load_yaml

_TOP_LEVEL_KEY = re.compile(r"^[^\s#-][^:]*:")
_LOCATED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<message>.*)$", re.S)


class CaseProblem(ValueError):
    """The YAML of a test case or file is not what Rasa's e2e reader accepts; `line` is 1-based."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.message, self.line = message, line


@dataclass(frozen=True)
class CaseSpan:
    name: str
    start: int  # 0-based index of the case's first line
    end: int  # exclusive
    column: int  # where `test_case:` starts (after "- ")


def read_cases(text: str, path: str) -> list[TestCase]:
    """The file's test cases, or CaseProblem with the reader's message and line."""
    try:
        return load_text(text, path)
    except EngineError as exc:
        raise _problem(str(exc), path) from None


def _problem(text: str, path: str) -> CaseProblem:
    match = _LOCATED.match(text)
    if match:
        return CaseProblem(match["message"], int(match["line"]))
    yaml_line = re.search(r"line (\d+), column", text)
    return CaseProblem(text.removeprefix(f"{path}: "), int(yaml_line.group(1)) if yaml_line else None)


def spans(text: str, path: str) -> list[CaseSpan]:
    lines = text.splitlines(keepends=True)
    cases = [c for c in read_cases(text, path) if c.line]
    starts = [c.line - 1 for c in cases]
    out = []
    for index, case in enumerate(cases):
        start = starts[index]
        end = starts[index + 1] if index + 1 < len(starts) else _block_end(lines, start)
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1  # blank lines and comments above the next case stay with it
        column = lines[start].index("test_case")
        out.append(CaseSpan(case.name, start, end, column))
    return out


def _block_end(lines: list[str], start: int) -> int:
    for index in range(start + 1, len(lines)):
        if _TOP_LEVEL_KEY.match(lines[index]):
            return index
    return len(lines)


def _span(text: str, path: str, name: str) -> CaseSpan:
    found = next((s for s in spans(text, path) if s.name == name), None)
    if found is None:
        raise KeyError(name)
    return found


def case_text(text: str, path: str, name: str) -> str:
    """The case as a mapping of its own (the list dash and indentation taken off)."""
    span = _span(text, path, name)
    lines = text.splitlines(keepends=True)[span.start:span.end]
    lines[0] = " " * span.column + lines[0][span.column:]
    return "".join(line[span.column:] if line[:span.column].strip() == "" else line.lstrip() for line in lines)


def check_case(case_yaml: str) -> str:
    """The case's name, or CaseProblem with the line within `case_yaml`."""
    try:
        data = load_yaml(case_yaml)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise CaseProblem(f"YAML error: {exc.problem or exc.context}", mark.line + 1 if mark else None) from None
    if not isinstance(data, dict) or not isinstance(data.get("test_case"), str) or not data["test_case"].strip():
        raise CaseProblem("a test case is a mapping with a 'test_case' name and 'steps'", 1)
    indented = "".join("  " + line for line in case_yaml.splitlines(keepends=True))
    try:
        load_text("test_cases:\n-" + indented[1:], "case.yml")
    except EngineError as exc:
        problem = _problem(str(exc), "case.yml")
        raise CaseProblem(problem.message, problem.line - 1 if problem.line else None) from None
    return data["test_case"]


def _indented(case_yaml: str, column: int) -> str:
    lines = case_yaml.rstrip("\n").splitlines()
    first = " " * (column - 2) + "- " + lines[0]
    rest = [(" " * column + line) if line.strip() else "" for line in lines[1:]]
    return "\n".join([first, *rest]) + "\n"


def case_replace(text: str, path: str, name: str, case_yaml: str) -> str:
    """The file with case `name` replaced by `case_yaml` (checked first), the rest untouched."""
    check_case(case_yaml)
    span = _span(text, path, name)
    lines = text.splitlines(keepends=True)
    new = "".join(lines[:span.start]) + _indented(case_yaml, span.column) + "".join(lines[span.end:])
    read_cases(new, path)  # the file as a whole (fixtures, metadata it names)
    return new


def case_remove(text: str, path: str, name: str) -> str | None:
    """The file without case `name`; None when no case is left (the file goes)."""
    span = _span(text, path, name)
    lines = text.splitlines(keepends=True)
    new = "".join(lines[:span.start] + lines[span.end:])
    return new if read_cases(new, path) else None
