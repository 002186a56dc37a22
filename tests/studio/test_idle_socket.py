"""A try-it socket left idle over real uvicorn and the Redis channel layer stays open and answers."""
import json
import os
import time

import pytest
from asgiref.sync import async_to_sync
from websockets.sync.client import connect

from studio.tryit.groups import tryit_group_name
from tests.conftest import postgres_configured, redis_configured
from tests.servers import test_database_url, uvicorn_process
from tests.sockets import session_cookie

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(not redis_configured(), reason="REDIS_URL is not set: no Redis channel layer"),
    pytest.mark.skipif(not postgres_configured(),
                       reason="DATABASE_URL is not PostgreSQL: uvicorn cannot share the test database"),
]

IDLE_SECONDS = 60  # redis-py 8 read timeouts used to kill the socket after 5 s


@pytest.fixture
def web(transactional_db, tmp_path):
    with uvicorn_process({**os.environ, "DATABASE_URL": test_database_url()}, tmp_path / "uvicorn.log") as base:
        yield base


def test_try_it_socket_idle_for_a_minute_still_answers(web, assistant, users):
    from channels.layers import get_channel_layer

    cookie = session_cookie(users["viewer"]).decode()
    url = web.replace("http://", "ws://") + f"/ws/assistants/{assistant.slug}/tryit/"
    with connect(url, additional_headers={"Cookie": cookie, "Origin": web}) as ws:
        ws.send(json.dumps({"type": "ping"}))
        assert json.loads(ws.recv(timeout=5)) == {"type": "pong"}
        time.sleep(IDLE_SECONDS)
        ws.send(json.dumps({"type": "ping"}))
        assert json.loads(ws.recv(timeout=5)) == {"type": "pong"}
        # The server side of the socket still reads its channel in Redis, too.
        group = tryit_group_name(assistant.pk, users["viewer"].pk)
        async_to_sync(get_channel_layer().group_send)(group, {"type": "tryit.event", "payload": {"type": "late"}})
        assert json.loads(ws.recv(timeout=5)) == {"type": "late"}
