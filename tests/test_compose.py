"""compose.yaml (Docker cannot run here): every service restarts on failure and reports its health."""
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("postgres", "redis", "web", "worker")


@pytest.fixture(scope="module")
def compose() -> dict:
    return YAML(typ="safe").load((ROOT / "compose.yaml").read_text())


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_restarts_and_has_a_health_check(compose, name):
    service = compose["services"][name]
    assert service.get("restart") == "unless-stopped", f"services.{name}.restart"
    check = service.get("healthcheck", {})
    assert check.get("test", [None])[0] in ("CMD", "CMD-SHELL"), f"services.{name}.healthcheck.test"
    assert {"interval", "timeout", "retries"} <= check.keys(), f"services.{name}.healthcheck"


def test_no_service_is_left_out(compose):
    assert set(compose["services"]) == set(SERVICES)


@pytest.mark.parametrize("name", ("web", "worker"))
def test_the_studio_waits_for_healthy_services(compose, name):
    depends = compose["services"][name]["depends_on"]
    assert {dep: spec["condition"] for dep, spec in depends.items()} == {
        "postgres": "service_healthy", "redis": "service_healthy"}


def test_the_worker_runs_the_stale_build_sweeper_and_is_pinged_by_name(compose):
    worker = compose["services"]["worker"]
    assert "--beat" in worker["command"]  # one worker replica: beat runs inside it
    assert "inspect ping" in " ".join(worker["healthcheck"]["test"])
    assert "$$HOSTNAME" in " ".join(worker["healthcheck"]["test"])  # $$: compose must not expand it


def test_the_pool_size_reaches_both_processes(compose):
    for name in ("web", "worker"):
        assert "DATABASE_POOL_SIZE" in compose["services"][name]["environment"], f"services.{name}.environment"
