"""Rasa Pro 3.21 e2e test files run against the engine (`python -m engine test`).

`loader` reads test files (both step formats, fixtures, metadata, stub_custom_actions,
conftest fixtures), `assertions` judges one user turn, `runner` plays each test case as a
fresh conversation and `report` prints failures and the `passed: P/T` line.
"""

from engine.e2e.loader import TestCase, TestStep, load_test_cases
from engine.e2e.runner import CaseResult, run_test_cases
from engine.e2e.report import format_report

__all__ = ["CaseResult", "TestCase", "TestStep", "format_report", "load_test_cases", "run_test_cases"]
