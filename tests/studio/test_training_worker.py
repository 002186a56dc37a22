"""A real Celery worker process against Redis runs the version build (skipped without Redis)."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from studio.training.models import AssistantVersion
from studio.training.services import version_create

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: no broker for a real worker"),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="DATABASE_URL is not PostgreSQL: a worker process cannot share the in-memory test database",
    ),
]


def worker_database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(transactional_db, tmp_path):
    env = {**os.environ, "DATABASE_URL": worker_database_url()}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "studio", "worker", "--pool=solo", "--concurrency=1",
         "--without-gossip", "--without-mingle", "-l", "info", "-n", f"pytest-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=(tmp_path / "worker.log").open("w"), stderr=subprocess.STDOUT,
    )
    process.log_path = tmp_path / "worker.log"
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_for(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


def test_real_worker_builds_the_version_and_health_sees_it(worker, assistant, users):
    assert wait_for(lambda: Client().get("/health").status_code == 200), worker.log_path.read_text()
    assert Client().get("/health").json()["celery"].startswith("up")

    version = version_create(user=users["owner"], assistant=assistant)  # commits: autocommit mode
    assert wait_for(lambda: AssistantVersion.objects.get(pk=version.pk).status != "pending"), (
        f"the worker did not run version_build:\n{worker.log_path.read_text()}"
    )
    assert AssistantVersion.objects.get(pk=version.pk).status == "ready"
