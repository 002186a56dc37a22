"""Statements a hot path sends on every call, prepared once per pooled connection (PostgreSQL).

A try-it turn is the same read and the same write every time. Sent as plain SQL, the server parsed
and planned both anew for each turn, which was about half of its CPU per turn: on the benchmark
machine, 0.54-0.72 ms for the read became 0.20-0.24 ms prepared, and 0.72-0.87 ms for the write
0.50-0.56 ms. The parameters stay bound on the client, as Django's cursor binds them everywhere, so
all the server parses per call is `EXECUTE name('...'::jsonb, 42, ...)`.

A pooler in transaction mode (PgBouncer) may run the EXECUTE on another server connection than the
PREPARE. Then this connection stops preparing and sends its statements as plain SQL, as before.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import re
from typing import Any, Sequence

from django.db import transaction
from psycopg import errors

# On a psycopg connection: the names of the statements it has prepared, or None once preparing
# failed there (a pooler moved it to another server connection).
PREPARED = "_studio_prepared"


def execute_prepared(cursor, sql: str, params: Sequence[Any], *, before: str = "") -> None:
    """Run `sql` (with %s placeholders) on Django's `cursor` as a statement the connection prepared,
    preparing it on first use; `before` is sent ahead of it in the same round trip (a SET LOCAL),
    so the caller reads its result after `cursor.nextset()` as with plain SQL. Other databases
    (SQLite) get the plain statement."""
    connection = cursor.cursor.connection
    prepared = getattr(connection, PREPARED, set()) if cursor.db.vendor == "postgresql" else None
    if prepared is not None:
        name, numbered = _statement(sql)
        if name not in prepared:
            # Already there when a pooler moved this connection onto one that has it: fine too.
            _tolerating(errors.DuplicatePreparedStatement, cursor, f"PREPARE {name} AS {numbered}")
            prepared.add(name)
            setattr(connection, PREPARED, prepared)
        call = f"{before}EXECUTE {name}({', '.join(['%s'] * len(params))})" if params else f"{before}EXECUTE {name}"
        if _tolerating(errors.InvalidSqlStatementName, cursor, call, params):
            return
        setattr(connection, PREPARED, None)  # not there: a pooler moved this connection
    cursor.execute(before + sql, params)


def _tolerating(error: type[Exception], cursor, statement: str, params: Sequence[Any] | None = None) -> bool:
    """Run the statement; False when it failed with `error` (in a transaction, rolled back to a
    savepoint so the transaction goes on; a turn runs in autocommit, where no savepoint is sent)."""
    try:
        with transaction.atomic(using=cursor.db.alias) if cursor.db.in_atomic_block else contextlib.nullcontext():
            cursor.execute(statement, params)
    except Exception as exc:  # Django wraps psycopg's error in its own: the cause says which it was
        if not isinstance(exc.__cause__, error):
            raise
        return False
    return True


@functools.lru_cache(maxsize=64)
def _statement(sql: str) -> tuple[str, str]:
    """The statement's name (from its text, so a changed statement is never run under an old name)
    and its text with PostgreSQL's numbered placeholders."""
    count = iter(range(1, sql.count("%s") + 1))
    numbered = re.sub(r"%s", lambda _: f"${next(count)}", sql)
    return f"studio_{hashlib.sha1(sql.encode(), usedforsecurity=False).hexdigest()[:16]}", numbered
