"""Builds against real processes and faults: a worker killed mid-build, the broker down at creation."""
import os
import secrets

import httpx
import psycopg
import pytest
from django.test import Client

from studio.assistants.services import flow_create
from studio.training.models import AssistantVersion
from studio.training.services import version_create
from tests.conftest import postgres_configured, redis_configured
from tests.servers import celery_worker, free_port, kill, test_database_url, uvicorn_process, wait_for
from tests.sockets import session_cookie

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(not postgres_configured(),
                       reason="DATABASE_URL is not PostgreSQL: other processes cannot share the test database"),
]
needs_redis = pytest.mark.skipif(not redis_configured(), reason="REDIS_URL is not set: no broker for a real worker")

BROKER_DOWN = ("The build of version 1 could not be queued: the task broker (Redis) is unreachable. "
               "The version is saved and marked failed; retry it once the broker is back.")


@pytest.fixture
def flow(assistant, users):
    return flow_create(user=users["owner"], assistant=assistant, flow_id="greet",
                       data={"description": "Say hello", "steps": [{"action": "action_listen"}]})


def status_of(version) -> str:
    return AssistantVersion.objects.get(pk=version.pk).status


def test_broker_down_at_creation_is_a_503_and_a_failed_version(transactional_db, tmp_path, assistant, users, flow):
    closed = f"redis://127.0.0.1:{free_port()}/3"  # nothing listens there
    env = {**os.environ, "DATABASE_URL": test_database_url(), "REDIS_URL": closed}
    token = secrets.token_hex(16)
    cookie = f"{session_cookie(users['designer']).decode()}; csrftoken={token}"
    with uvicorn_process(env, tmp_path / "uvicorn.log") as base:
        response = httpx.post(f"{base}/api/assistants/{assistant.slug}/versions", json={"note": "x"}, timeout=30,
                              headers={"Cookie": cookie, "X-CSRFToken": token})
    assert (response.status_code, response.json()) == (503, {"detail": BROKER_DOWN})
    version = AssistantVersion.objects.get()
    assert (version.number, version.status) == (1, "failed")
    assert version.reason == "the build could not be queued: the task broker (Redis) was unreachable"
    assert version.finished_at is not None


@needs_redis
def test_a_build_whose_worker_is_killed_mid_build_is_queued_again_and_finishes(
        transactional_db, tmp_path, settings, assistant, users, flow):
    settings.BUILD_TIMEOUT = 2  # this process sweeps; the workers never see a build that old
    env = {**os.environ, "DATABASE_URL": test_database_url()}
    with psycopg.connect(test_database_url()) as blocker:
        # The build reads the flows table; holding it locked keeps the build running until we kill it.
        blocker.execute("LOCK TABLE assistants_flow IN ACCESS EXCLUSIVE MODE")
        with celery_worker(env, tmp_path / "worker1.log") as worker:
            version = version_create(user=users["designer"], assistant=assistant)  # autocommit: sent at once
            assert wait_for(lambda: status_of(version) == "running"), worker.log_path.read_text()
            kill(worker)
        blocker.rollback()
    assert status_of(version) == "running"  # what used to stay forever

    designer = Client()
    designer.force_login(users["designer"])
    with celery_worker(env, tmp_path / "worker2.log") as worker:
        assert wait_for(lambda: designer.get(f"/api/assistants/{assistant.slug}/versions").json()[0]["status"]
                        == "ready", timeout=60), worker.log_path.read_text()
    version.refresh_from_db()
    assert (version.status, version.attempts, version.reason) == ("ready", 2, "")
