"""A real Celery worker process against Redis runs the version build (skipped without Redis)."""
import os

import pytest
from django.test import Client

from studio.training.models import AssistantVersion
from studio.training.services import version_create
from tests.servers import celery_worker, test_database_url, wait_for

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: no broker for a real worker"),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="DATABASE_URL is not PostgreSQL: a worker process cannot share the in-memory test database",
    ),
]


@pytest.fixture
def worker(transactional_db, tmp_path):
    with celery_worker({**os.environ, "DATABASE_URL": test_database_url()}, tmp_path / "worker.log") as process:
        yield process


def test_real_worker_builds_the_version_and_health_sees_it(worker, assistant, users):
    assert wait_for(lambda: Client().get("/health").status_code == 200), worker.log_path.read_text()
    assert Client().get("/health").json()["celery"].startswith("up")

    version = version_create(user=users["owner"], assistant=assistant)  # commits: autocommit mode
    assert wait_for(lambda: AssistantVersion.objects.get(pk=version.pk).status not in ("queued", "running")), (
        f"the worker did not run version_build:\n{worker.log_path.read_text()}"
    )
    assert AssistantVersion.objects.get(pk=version.pk).status == "ready"
