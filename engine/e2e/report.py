"""Printing e2e results: each failed test case with what failed, then `passed: P/T`."""

from __future__ import annotations

from engine.e2e.runner import CaseResult


def format_report(results: list[CaseResult]) -> str:
    lines: list[str] = []
    for result in results:
        if result.passed:
            continue
        where = f" (line {result.case.line})" if result.case.line else ""
        lines.append(f"FAILED {result.case.title}{where}")
        lines.extend(result.failures)
    for result in results:
        lines.extend(f"skipped: {note}" for note in result.skipped)
    passed = sum(1 for r in results if r.passed)
    lines.append(f"passed: {passed}/{len(results)}")
    return "\n".join(lines)
