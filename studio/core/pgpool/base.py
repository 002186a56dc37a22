"""Django's PostgreSQL backend whose pool checks a connection before lending it only when it sat idle.

With CONN_HEALTH_CHECKS the pool runs an empty query before lending any connection, so a restarted
database server costs no error. A try-it turn borrows a connection for every frame, and that check
was a third of its round trips (the read and the write are the others). A connection that came
back moments ago was working moments ago: only one idle for longer than IDLE_CHECK_SECONDS is
checked, which still covers a server restart, and the turn pays for no check under load.
"""
from __future__ import annotations

from time import monotonic
from typing import Any

from django.db.backends.postgresql import base
from psycopg_pool import ConnectionPool

IDLE_CHECK_SECONDS = 2.0


def check_when_idle(conn: Any) -> None:
    returned = getattr(conn, "_studio_returned_at", None)
    if returned is None or monotonic() - returned > IDLE_CHECK_SECONDS:
        ConnectionPool.check_connection(conn)


def stamp_returned(conn: Any) -> None:
    conn._studio_returned_at = monotonic()


class DatabaseWrapper(base.DatabaseWrapper):
    @property
    def pool(self) -> Any:
        pool = super().pool
        # psycopg_pool takes its check and reset callbacks only when built, and Django builds it with
        # the plain check: swapped once, and only if the pool still has the attributes it had when
        # this was written (psycopg_pool is pinned; tests/studio/test_db_pool.py notices a change).
        if (pool is not None and getattr(pool, "_check", None) is ConnectionPool.check_connection
                and getattr(pool, "_reset", False) is None):
            pool._check, pool._reset = check_when_idle, stamp_returned
        return pool
