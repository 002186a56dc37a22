"""Try-it at scale: chats run side by side, one chat stays in order, a turn does no work twice."""
import contextlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asgiref.sync import sync_to_async
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.eventually import eventually
from tests.sockets import open_socket as open_path

pytestmark = pytest.mark.django_db(transaction=True)


def sent(queries: CaptureQueriesContext) -> list[str]:
    """The statements a turn sent, a prepared one as the SQL it runs (PREPAREs are sent once per
    connection, savepoints only inside a test's transaction)."""
    statements = []
    for query in queries.captured_queries:
        sql = query["sql"]
        if sql.split()[0] in ("SAVEPOINT", "RELEASE", "PREPARE"):
            continue
        before, _, call = sql.rpartition("EXECUTE ") if " EXECUTE studio_" in f" {sql}" else ("", "", "")
        statements.append(before + prepared_sql(call.split("(")[0]) if call else sql)
    return statements


def prepared_sql(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE name = %s", [name])
        return cursor.fetchone()[0].split(" AS ", 1)[1]


class HeldActionServer:
    """A local action server whose `action_reserve` call waits until the test releases it."""

    def __init__(self) -> None:
        self.called = threading.Event()
        self.release = threading.Event()
        held = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if body["next_action"] == "action_reserve":
                    held.called.set()
                    held.release.wait(30)  # never hang the suite if the test fails before releasing
                reply = json.dumps({"events": [], "responses": []}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def held_server():
    server = HeldActionServer()
    yield server
    server.stop()


async def open_socket(slug: str, user):
    communicator, connected, _ = await open_path(f"/ws/assistants/{slug}/tryit/", user)
    assert connected
    return communicator


def texts(turn: dict) -> list[str]:
    return [m["text"] for m in turn["messages"]]


@pytest.fixture
def one_running_turn(monkeypatch):
    """Turn threads that run one turn at a time: another chat is answered only if a waiting turn
    gave its place up."""
    from studio.tryit import consumers
    from studio.tryit.turn_threads import TurnThreads

    threads = TurnThreads(4, running=1, name="one-running")
    monkeypatch.setattr(consumers, "TURN_THREADS", threads)
    return threads


async def test_a_chat_waiting_on_a_slow_action_server_does_not_hold_up_another_chat(
        shop, users, held_server, one_running_turn):
    from studio.assistants import services as content

    endpoints = f"action_endpoint:\n  url: {held_server.url}\n"
    await sync_to_async(content.assistant_update)(user=users["owner"], assistant=shop, endpoints_yaml=endpoints)
    slow, fast = await open_socket(shop.slug, users["viewer"]), await open_socket(shop.slug, users["writer"])
    await slow.send_json_to({"type": "message", "text": "start flow buy"})
    assert texts(await slow.receive_json_from(timeout=10)) == ["Which fruit?"]
    await slow.send_json_to({"type": "message", "text": "/SetSlots(item=apple)"})
    await sync_to_async(held_server.called.wait)(10)  # the slow chat's turn now waits on the action server

    await fast.send_json_to({"type": "message", "text": "start flow buy"})
    assert texts(await fast.receive_json_from(timeout=10)) == ["Which fruit?"]
    assert await slow.receive_nothing()  # still waiting: the fast chat was answered first

    held_server.release.set()
    assert texts(await slow.receive_json_from(timeout=10))[0] == "One apple, coming up."
    await slow.disconnect()
    await fast.disconnect()


def test_a_chat_waiting_on_a_slow_llm_does_not_hold_up_another_chat(shop, users, settings, one_running_turn):
    from studio.assistants import services as content
    from studio.tryit import services
    from tests.understanding.fake_llm import FakeLLM, Reply

    llm = FakeLLM().start()
    try:
        settings.LLM_BASE_URL, settings.LLM_API_KEY, settings.LLM_MODEL = llm.base_url, "key", "model"
        answer = threading.Event()
        llm.script(Reply("start flow buy", hold=answer), Reply("start flow buy"))
        content.assistant_update(user=users["owner"], assistant=shop,
                                 settings={"generator": "llm", "llm": {"max_retries": 0, "timeout": 10}})
        chats = [services.conversation_start(user=users[name], assistant=shop)[0] for name in ("viewer", "writer")]

        def turn(index):
            return texts(services.conversation_turn(user=users[("viewer", "writer")[index]],
                                                    conversation=chats[index], text="I want fruit"))

        slow = one_running_turn.submit(turn, 0)
        assert eventually(lambda: len(llm.requests) == 1)  # the slow chat's turn now waits on the LLM
        assert one_running_turn.submit(turn, 1).result(10) == ["Which fruit?"]
        assert not slow.done()
        answer.set()
        assert slow.result(10) == ["Which fruit?"]
    finally:
        llm.stop()


async def test_frames_sent_back_to_back_are_answered_in_order(shop, users):
    socket = await open_socket(shop.slug, users["viewer"])
    for text in ("start flow buy", "/SetSlots(item=pear)", "start flow buy"):
        await socket.send_json_to({"type": "message", "text": text})
    replies = [await socket.receive_json_from(timeout=10) for _ in range(3)]
    assert [texts(r)[0] for r in replies] == ["Which fruit?", "One pear, coming up.", "Which fruit?"]
    assert len({r["conversation"] for r in replies}) == 1
    await socket.disconnect()


@pytest.mark.django_db  # service level: no socket, so no transaction=True needed
def test_every_chat_on_a_definition_shares_one_generator_until_the_settings_change(shop, users, monkeypatch):
    from engine.understanding.bridge import make_generator
    from studio.assistants import services as content
    from studio.tryit import runtime, services

    built = []

    def counting(*args, **kwargs):
        built.append(args[0])
        return make_generator(*args, **kwargs)

    monkeypatch.setattr(runtime, "make_generator", counting)
    for user in (users["viewer"], users["writer"]):
        conversation, _ = services.conversation_start(user=user, assistant=shop)
        services.conversation_turn(user=user, conversation=conversation, text="start flow buy")
        services.conversation_turn(user=user, conversation=conversation, text="/SetSlots(item=pear)")
    assert len(built) == 1

    content.assistant_update(user=users["owner"], assistant=shop, settings={"generator": "offline"})
    shop.refresh_from_db()
    conversation, _ = services.conversation_start(user=users["viewer"], assistant=shop)
    turn = services.conversation_turn(user=users["viewer"], conversation=conversation, text="I want to buy a fruit")
    assert len(built) == 2 and turn["understanding"]["generator"] == "offline"


@pytest.mark.django_db  # service level: no socket, so no transaction=True needed
def test_a_turn_reads_one_row_writes_it_and_stores_the_turn_and_never_reads_the_version_snapshot(
        shop, users, django_capture_on_commit_callbacks):
    from studio.training.services import version_create
    from studio.tryit import services

    with django_capture_on_commit_callbacks(execute=True):  # the build runs inline
        version_create(user=users["owner"], assistant=shop, note="v1")
    conversation, start = services.conversation_start(user=users["viewer"], assistant=shop, version=1)
    assert start["source"] == "version 1 (pinned)"
    with CaptureQueriesContext(connection) as queries:
        turn = services.conversation_turn(user=users["viewer"], conversation=conversation, text="start flow buy")
    statements = sent(queries)
    if connection.vendor == "postgresql":  # one round trip each: the read, then the row and the turn together
        assert len(statements) == 2
        assert statements[0].startswith("SELECT") and "FOR UPDATE" not in statements[0]
        assert statements[1].startswith("SET LOCAL synchronous_commit TO OFF; WITH saved AS (UPDATE tryit_conversation SET")
        assert "INSERT INTO tryit_conversationturn" in statements[1]
    else:
        assert [s.split()[0] for s in statements] == ["SELECT", "UPDATE", "INSERT"]
        assert "tryit_conversationturn" in statements[2]
    assert not any("snapshot" in s for s in statements)
    assert turn["source"] == "version 1 (pinned)" and texts(turn) == ["Which fruit?"]
    assert turn["live"]["editor_url"] == f"/assistants/{shop.slug}/flows/buy/edit/#step=ask_item"


@pytest.mark.django_db  # service level: no socket, so no transaction=True needed
def test_a_reset_reads_the_row_then_replaces_the_conversation_and_its_turns_in_one_write(shop, users):
    from studio.tryit import services
    from studio.tryit.models import Conversation, ConversationTurn

    old, _ = services.conversation_start(user=users["viewer"], assistant=shop)
    services.conversation_turn(user=users["viewer"], conversation=old, text="start flow buy")
    with CaptureQueriesContext(connection) as queries:
        new, first = services.conversation_reset(user=users["viewer"], conversation=old)
    statements = sent(queries)
    if connection.vendor == "postgresql":  # one round trip each: the read, then the delete with the new row and turn
        assert len(statements) == 2 and statements[0].startswith("SELECT")
        assert all(part in statements[1] for part in ("DELETE FROM tryit_conversationturn",
                                                      "DELETE FROM tryit_conversation ",
                                                      "INSERT INTO tryit_conversation ",
                                                      "INSERT INTO tryit_conversationturn"))
    assert not Conversation.objects.filter(pk=old.pk).exists()
    assert not ConversationTurn.objects.filter(conversation_id=old.pk).exists()
    stored = ConversationTurn.objects.get(conversation_id=new.pk)
    assert (stored.index, stored.kind) == (0, "start")
    assert stored.data == first and first["conversation"] == new.pk and list(stored.data)[0] == "conversation"
    assert Conversation.objects.get(pk=new.pk).turn_count == 1
    turn = services.conversation_turn(user=users["viewer"], conversation=new, text="start flow buy")
    assert turn["index"] == 1 and texts(turn) == ["Which fruit?"]


@pytest.mark.django_db  # service level: no socket, so no transaction=True needed
def test_a_member_removed_mid_chat_cannot_send_another_message(shop, users):
    from studio.accounts.models import Membership
    from studio.core.exceptions import NotFound
    from studio.tryit import services

    conversation, _ = services.conversation_start(user=users["viewer"], assistant=shop)
    Membership.objects.filter(user=users["viewer"], assistant=shop).delete()
    with pytest.raises(NotFound, match=f"^Assistant '{shop.slug}' not found$"):
        services.conversation_turn(user=users["viewer"], conversation=conversation, text="start flow buy")


@pytest.mark.django_db  # service level: no socket, so no transaction=True needed
def test_a_turn_run_on_a_state_another_tab_moved_past_is_refused_and_stores_nothing(shop, users, monkeypatch):
    from studio.core.exceptions import Conflict
    from studio.tryit import rows, services
    from studio.tryit.models import ConversationTurn

    viewer = users["viewer"]
    conversation, _ = services.conversation_start(user=viewer, assistant=shop)
    seen_by_this_tab = rows.conversation_read(conversation.pk, viewer)
    services.conversation_turn(user=viewer, conversation=conversation, text="start flow buy")  # the other tab
    state_the_other_tab_left = json.loads(json.dumps(conversation.state))

    monkeypatch.setattr(services, "conversation_read", lambda pk, user: seen_by_this_tab)
    with pytest.raises(Conflict, match="^This conversation moved on in another tab; reload it, then send your message again$"):
        services.conversation_turn(user=viewer, conversation=conversation, text="I want to buy a fruit")
    stored = ConversationTurn.objects.filter(conversation=conversation).order_by("index")
    assert [t.user_text for t in stored] == ["", "start flow buy"]
    conversation.refresh_from_db()
    assert conversation.turn_count == 2 and conversation.state == state_the_other_tab_left


@pytest.fixture
def fresh_statements():
    """The test's connection prepares anew, and later tests find it as it was."""
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    forget_prepared()
    yield  # not the driver's connection: a test holding it keeps it open past the test database
    forget_prepared()


def prepared_marker():
    from studio.core.pgpool.prepared import PREPARED

    with connection.cursor() as cursor:
        return getattr(cursor.cursor.connection, PREPARED, "unset")


def forget_prepared() -> None:
    """Deallocate the studio's statements on this connection (not psycopg's own) and forget the marker."""
    from studio.core.pgpool.prepared import PREPARED

    deallocate_studio_statements()
    with connection.cursor() as cursor:
        cursor.cursor.connection.__dict__.pop(PREPARED, None)


def deallocate_studio_statements() -> None:
    """What a pooler's other server connection has: none of the studio's statements (psycopg's stay)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'studio%%'")
        for (name,) in cursor.fetchall():
            cursor.execute(f"DEALLOCATE {name}")


@pytest.mark.django_db  # service level: no socket, so no transaction=True needed
def test_a_turn_prepares_its_read_and_write_once_then_sends_only_their_parameters(shop, users, fresh_statements):
    from studio.tryit import services

    conversation, _ = services.conversation_start(user=users["viewer"], assistant=shop)
    with CaptureQueriesContext(connection) as first:
        services.conversation_turn(user=users["viewer"], conversation=conversation, text="start flow buy")
    with CaptureQueriesContext(connection) as second:
        turn = services.conversation_turn(user=users["viewer"], conversation=conversation, text="/SetSlots(item=pear)")
    first_sql, second_sql = ([q["sql"] for q in captured.captured_queries if q["sql"].split()[0] not in ("SAVEPOINT", "RELEASE")]
                             for captured in (first, second))
    assert [sql.split()[0] for sql in first_sql] == ["PREPARE", "EXECUTE", "PREPARE", "SET"]
    # The second turn (its first action loads the assistant's mocks, once) sends only the two calls.
    turn_sql = [sql for sql in second_sql if "tryit_" in sql or "EXECUTE" in sql]
    assert [sql.split("(")[0] for sql in turn_sql] == [first_sql[1].split("(")[0], first_sql[3].split("(")[0]]
    assert first_sql[3].startswith("SET LOCAL synchronous_commit TO OFF; EXECUTE studio_")
    assert turn["index"] == 2 and texts(turn)[0] == "One pear, coming up."


@pytest.mark.parametrize("in_transaction", [False, True])
def test_a_turn_whose_prepared_statements_vanished_is_still_stored_then_its_connection_sends_plain_sql(
        shop, users, fresh_statements, in_transaction):
    """As when a pooler in transaction mode (PgBouncer) runs the EXECUTE on another server connection."""
    from django.db import transaction

    from studio.tryit import services
    from studio.tryit.models import ConversationTurn

    conversation, _ = services.conversation_start(user=users["viewer"], assistant=shop)
    services.conversation_turn(user=users["viewer"], conversation=conversation, text="start flow buy")
    deallocate_studio_statements()  # the pooler hands the next turn to another server connection
    with transaction.atomic() if in_transaction else contextlib.nullcontext():
        turn = services.conversation_turn(user=users["viewer"], conversation=conversation, text="/SetSlots(item=pear)")
    assert texts(turn)[0] == "One pear, coming up."
    assert ConversationTurn.objects.get(conversation_id=conversation.pk, index=2).user_text == "/SetSlots(item=pear)"
    assert prepared_marker() is None
    with CaptureQueriesContext(connection) as queries:
        services.conversation_turn(user=users["viewer"], conversation=conversation, text="/SetSlots(item=apple)")
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SELECT", "SET"]
