"""200 concurrent clients against one uvicorn process hold no more PostgreSQL connections than its pool."""
import asyncio
import os
import threading

import httpx
import psycopg
import pytest

from tests.conftest import postgres_configured
from tests.servers import test_database_url, uvicorn_process, wait_for
from tests.sockets import session_cookie

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(not postgres_configured(), reason="DATABASE_URL is not PostgreSQL: no connections to count"),
]

CLIENTS, REQUESTS_EACH, POOL_SIZE = 200, 2, 4
WEB = "flowstudio-web-under-test"  # the application_name that tells the web process's connections apart


def web_connections(admin: psycopg.Connection) -> int:
    # Only this test database's: another run of the suite on the same server has a web process of its own.
    return admin.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
                         "AND datname = current_database()", (WEB,)).fetchone()[0]


class Sampler(threading.Thread):
    """Counts the web process's connections every few milliseconds while the load runs."""

    def __init__(self, count) -> None:
        super().__init__(daemon=True)
        self.count, self.peak, self.samples = count, 0, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.02):
            self.peak = max(self.peak, self.count())
            self.samples += 1


async def load(base: str, path: str, cookie: str) -> list[int]:
    """CLIENTS browsers at once, each with its own HTTP connection, each loading `path` a few times."""
    async def one_client() -> list[int]:
        async with httpx.AsyncClient(base_url=base, headers={"Cookie": cookie}, timeout=60) as client:
            return [(await client.get(path)).status_code for _ in range(REQUESTS_EACH)]

    results = await asyncio.gather(*(one_client() for _ in range(CLIENTS)))
    return [status for statuses in results for status in statuses]


def test_concurrent_clients_stay_within_the_connection_pool(transactional_db, tmp_path, assistant, users):
    env = {**os.environ, "DATABASE_URL": f"{test_database_url()}?application_name={WEB}",
           "DATABASE_POOL_SIZE": str(POOL_SIZE)}
    env.pop("REDIS_URL", None)  # connections to PostgreSQL are the subject, not the broker
    cookie = session_cookie(users["viewer"]).decode()
    with psycopg.connect(test_database_url(), autocommit=True) as admin:
        with uvicorn_process(env, tmp_path / "uvicorn.log") as base:
            sampler = Sampler(lambda: web_connections(admin))
            sampler.start()
            statuses = asyncio.run(load(base, f"/api/assistants/{assistant.slug}/versions", cookie))
            sampler.done.set()
            sampler.join()
            assert statuses == [200] * (CLIENTS * REQUESTS_EACH), (tmp_path / "uvicorn.log").read_text()[-3000:]
            assert 0 < sampler.peak <= POOL_SIZE, f"peak {sampler.peak} connections over {sampler.samples} samples"
            assert web_connections(admin) <= POOL_SIZE  # idle in the pool, not one per finished request
        assert wait_for(lambda: web_connections(admin) == 0, timeout=10), "connections left after the server stopped"


def test_the_pool_checks_a_connection_before_lending_it_only_when_it_sat_idle(db, monkeypatch):
    from types import SimpleNamespace

    from django.db import connection

    from studio.core.pgpool import base

    # The swap happened on this pool (a psycopg_pool upgrade that renamed its callbacks stops it, here).
    assert connection.pool._check is base.check_when_idle and connection.pool._reset is base.stamp_returned
    checked = []
    monkeypatch.setattr(base.ConnectionPool, "check_connection", staticmethod(checked.append))
    now = base.monotonic()
    just_back, idle, never_lent = SimpleNamespace(), SimpleNamespace(), SimpleNamespace()
    base.stamp_returned(just_back)
    idle._studio_returned_at = now - base.IDLE_CHECK_SECONDS - 1
    for conn in (just_back, idle, never_lent):
        base.check_when_idle(conn)
    assert checked == [idle, never_lent]
