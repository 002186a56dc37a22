"""Fixtures for the exchange tests: sample projects on disk and the conformance assistants."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "projects"
CONFORMANCE = REPO / "tests" / "engine" / "conformance"
OWN_PROJECTS = ["bank_split", "helpdesk_single"]
CONFORMANCE_PROJECTS = ["library_desk", "pizza_shop", "utility_account"]


def conformance_path(name: str) -> Path:
    path = CONFORMANCE / name / "project"
    if not path.is_dir():
        pytest.skip(f"conformance project {name} not found at {path}")
    return path


def project_path(name: str) -> Path:
    return FIXTURES / name if name in OWN_PROJECTS else conformance_path(name)


ALL_PROJECTS = OWN_PROJECTS + CONFORMANCE_PROJECTS
