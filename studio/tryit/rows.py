"""A try-it turn's one read and its one write (the state with the stored turn), and a start's or reset's
one write (the new row with its first turn, the replaced one deleted), as SQL written once per process.

Compiling the ORM's version of the locking read cost 1.3 ms of CPU per turn, a third of the whole
turn, for a statement that never changes; the save cost another 0.3 ms; a reset through the ORM
took eight round trips and 1.9 ms, now two and 0.7 ms. On PostgreSQL each statement is prepared once
per connection (studio.core.pgpool.prepared), which took about a third off the database server's
CPU per turn. Everything else about these rows stays with the ORM: the models, `Model.from_db`.
"""
from __future__ import annotations

import functools
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from studio.accounts.models import Membership
from studio.assistants.models import Assistant
from studio.core import fastjson
from studio.core.pgpool.prepared import execute_prepared
from studio.training.models import AssistantVersion
from studio.tryit.models import Conversation, ConversationTurn

# What a turn reads of the assistant: its role check (slug, name), generator settings, content and mock revisions.
ASSISTANT_FIELDS = ("id", "slug", "name", "settings", "revision", "mocks_revision", "updated_at")
CONVERSATION_FIELDS = ("id", "user_id", "version_id", "state", "flows", "outcome", "turn_count")


@functools.cache
def _read_sql(vendor: str) -> str:
    tables = {name: model._meta.db_table for name, model in
              (("c", Conversation), ("a", Assistant), ("v", AssistantVersion), ("m", Membership))}
    columns = [f"c.{name}" for name in CONVERSATION_FIELDS] + [f"a.{name}" for name in ASSISTANT_FIELDS]
    # Never the version's snapshot: only its number, for the label. The role rides along, so the
    # permission check costs no query of its own.
    return (f"SELECT {', '.join(columns)}, v.number, "
            f"(SELECT m.role FROM {tables['m']} m WHERE m.assistant_id = c.assistant_id AND m.user_id = %s) "
            f"FROM {tables['c']} c JOIN {tables['a']} a ON a.id = c.assistant_id "
            f"LEFT JOIN {tables['v']} v ON v.id = c.version_id WHERE c.id = %s")


def conversation_read(pk: Any, user) -> Conversation | None:
    """The conversation row with `assistant` (only the fields a turn reads), `version_number` and
    `member_role` (the user's membership role, or None). Not locked: conversation_turn_save stores
    a turn only on the row as it was read, so two tabs sending at once cannot both build on it."""
    with connection.cursor() as cursor:
        execute_prepared(cursor, _read_sql(connection.vendor), [user.pk, pk])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(CONVERSATION_FIELDS)
    assistant = _from_db(Assistant, ASSISTANT_FIELDS, row[split:split + len(ASSISTANT_FIELDS)])
    conversation = _from_db(Conversation, CONVERSATION_FIELDS, row[:split])
    conversation.assistant = assistant
    conversation.version_number, conversation.member_role = row[-2], row[-1]
    return conversation


def conversation_turn_save(conversation: Conversation, state: dict, turn: dict, *, kind: str, user_text: str) -> bool:
    """Write the new state, flows and outcome of a row read by conversation_read and store the turn,
    unless another turn was stored since the read (then nothing is written and the answer is False).

    On PostgreSQL that is one round trip: a statement that updates the row only if its turn count
    is still the one read and inserts the turn only if it did, sent with the setting that lets its
    commit skip the fsync (NO_FSYNC) as one implicit transaction.
    """
    meta = Conversation._meta
    conversation.state, conversation.updated_at = state, timezone.now()
    row = [_json(meta, "state", state), _json(meta, "flows", conversation.flows), conversation.outcome,
           conversation.turn_count + 1, _prep(meta, "updated_at", conversation.updated_at), conversation.pk,
           conversation.turn_count]
    stored = _turn_values(conversation, state, turn, kind, user_text)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            execute_prepared(cursor, _save_sql(connection.vendor), row + stored, before=NO_FSYNC)
            cursor.nextset()  # past the SET, to the INSERT's count
            saved = cursor.rowcount == 1
    else:
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            cursor.execute(_update_sql(connection.vendor), row)
            saved = cursor.rowcount == 1
            if saved:
                cursor.execute(_insert_sql(connection.vendor), [conversation.pk, *stored])
    if saved:
        conversation.turn_count += 1
    return saved


def conversation_create(conversation: Conversation, state: dict, turn: dict, *, kind: str,
                        replacing: int | None = None) -> None:
    """Store a new conversation (the unsaved `conversation`: assistant, user, version, flows, outcome)
    with its first turn; on a reset, the conversation numbered `replacing` is deleted, turns and all.

    On PostgreSQL that is one statement, one round trip, committed without the fsync (NO_FSYNC);
    elsewhere one short transaction. Either way the engine ran before: nothing is held across it.
    `conversation` gets its pk, state and turn count, and `turn` its conversation id.
    """
    meta = Conversation._meta
    now = timezone.now()
    conversation.state, conversation.created_at, conversation.updated_at = state, now, now
    if connection.vendor != "postgresql":
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            if replacing is not None:
                conversation_forget(replacing)
            conversation.turn_count = 1
            conversation.save(force_insert=True)
            turn["conversation"] = conversation.pk
            cursor.execute(_insert_sql(connection.vendor),
                           [conversation.pk, *_turn_values(conversation, state, turn, kind, "", index=0)])
        return
    # The stored turn names its conversation first: the new id, then the rest of the turn's JSON object.
    rest = fastjson.dumps_text({key: value for key, value in turn.items() if key != "conversation"})
    row = [conversation.assistant_id, conversation.user_id, conversation.version_id, _json(meta, "state", state),
           _json(meta, "flows", conversation.flows), conversation.outcome, _prep(meta, "created_at", now),
           _prep(meta, "updated_at", now)]
    stored = _turn_values(conversation, state, turn, kind, "", index=0, data=rest[1:])  # after its "{"
    replaced = [] if replacing is None else [replacing, replacing]
    with connection.cursor() as cursor:
        execute_prepared(cursor, _create_sql(connection.vendor, replacing is not None), replaced + row + stored,
                         before=NO_FSYNC)
        cursor.nextset()  # past the SET, to the INSERT's row
        conversation.pk = cursor.fetchone()[0]
    conversation.turn_count = 1
    turn["conversation"] = conversation.pk


def conversation_forget(pk: int) -> None:
    """Delete a conversation and its turns, without the ORM's collector (nothing else points at them)."""
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ConversationTurn._meta.db_table} WHERE conversation_id = %s", [pk])
        cursor.execute(f"DELETE FROM {Conversation._meta.db_table} WHERE id = %s", [pk])


# A try-it chat is a scratch conversation: a database crash may cost its last turns (never its
# consistency), and in exchange a turn does not wait for an fsync (3.3 ms of a 4 ms turn on the
# benchmark machine). Sent in the same round trip as the statement it applies to.
NO_FSYNC = "SET LOCAL synchronous_commit TO OFF; "


@functools.cache
def _create_sql(vendor: str, replacing: bool) -> str:
    conversations, turns = Conversation._meta.db_table, ConversationTurn._meta.db_table
    gone = (f"gone_turns AS (DELETE FROM {turns} WHERE conversation_id = %s), "
            f"gone AS (DELETE FROM {conversations} WHERE id = %s), ") if replacing else ""
    return (f"WITH {gone}created AS (INSERT INTO {conversations} (assistant_id, user_id, version_id, "
            "state, title, flows, outcome, turn_count, created_at, updated_at) "
            "VALUES (%s, %s, %s, %s, '', %s, %s, 1, %s, %s) RETURNING id) "
            f"{_turn_into(vendor)} SELECT id, %s, %s, %s, '{{\"conversation\":' || id || ',' || %s, %s, %s, %s "
            "FROM created "
            "RETURNING conversation_id")


@functools.cache
def _update_sql(vendor: str) -> str:
    return (f"UPDATE {Conversation._meta.db_table} SET state = %s, flows = %s, outcome = %s, turn_count = %s, "
            "updated_at = %s WHERE id = %s AND turn_count = %s")


@functools.cache
def _turn_into(vendor: str) -> str:
    columns = ("conversation_id", "index", "kind", "user_text", "data", "state", "latency_ms", "created_at")
    return f"INSERT INTO {ConversationTurn._meta.db_table} ({', '.join(map(connection.ops.quote_name, columns))})"


@functools.cache
def _insert_sql(vendor: str) -> str:
    return f"{_turn_into(vendor)} VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"


@functools.cache
def _save_sql(vendor: str) -> str:
    return (f"WITH saved AS ({_update_sql(vendor)} RETURNING id) "
            f"{_turn_into(vendor)} SELECT id, %s, %s, %s, %s, %s, %s, %s FROM saved")


def _turn_values(conversation: Conversation, state: dict, turn: dict, kind: str, user_text: str, *,
                 index: int | None = None, data: str | None = None) -> list:
    """The stored turn's columns after conversation_id (`data`: the turn's JSON text, when made already)."""
    meta = ConversationTurn._meta
    latency = (turn.get("latency") or {}).get("total_ms") or 0.0
    return [conversation.turn_count if index is None else index, kind, user_text,
            fastjson.dumps_text(turn) if data is None else data, _json(meta, "state", state),
            float(latency), _prep(meta, "created_at", conversation.updated_at or timezone.now())]


def _json(meta, name: str, value: Any) -> Any:
    """A JSONField's parameter, encoded by orjson where the database takes JSON as such."""
    if connection.vendor == "postgresql":
        return Jsonb(value, dumps=fastjson.dumps)
    return _prep(meta, name, value)


def _prep(meta, name: str, value: Any) -> Any:
    return meta.get_field(name).get_db_prep_save(value, connection)


def _from_db(model, names: tuple[str, ...], values) -> Any:
    """A model instance from raw column values, converted as the ORM would (JSON, datetimes)."""
    attnames, loaded, converts = _conversions(model, names, connection.vendor)
    by_name = {}
    for attname, convert, value in zip(attnames, converts, values):
        by_name[attname] = convert(value) if convert is not None else value
    return model.from_db(connection.alias, loaded, [by_name[name] for name in loaded])


@functools.cache
def _conversions(model, names: tuple[str, ...], vendor: str) -> tuple[tuple, list[str], tuple]:
    """Per column, once per process: its attname and what turns the driver's value into the model's.

    On PostgreSQL (whose backend has no converters of its own) a plain JSON column is decoded by
    orjson and a column without converters taken as it is; every other column, and every column
    elsewhere, goes through the ORM's converters as it always did.
    """
    attnames, converts = [], []
    for name in names:
        field = model._meta.get_field(name)  # get_field knows attnames (user_id) too
        attnames.append(field.attname)
        col = field.get_col(model._meta.db_table)
        orm = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
        if vendor != "postgresql" or (orm and not _plain_json(field, orm)):
            converts.append(functools.partial(_orm_converted, field, col))
        else:
            converts.append(fastjson.loads_stored if orm else None)
    # from_db expects the loaded values in the model's field order.
    loaded = [f.attname for f in model._meta.concrete_fields if f.attname in attnames]
    return tuple(attnames), loaded, tuple(converts)


def _plain_json(field, converters: list) -> bool:
    """A JSONField without a decoder, whose only conversion is its own from_db_value (json.loads)."""
    return (field.get_internal_type() == "JSONField" and field.decoder is None
            and converters == [field.from_db_value])


def _orm_converted(field, col, value: Any) -> Any:
    for converter in connection.ops.get_db_converters(col) + field.get_db_converters(connection):
        value = converter(value, col, connection)
    return value
