"""Helpers for driving the real ASGI app's WebSockets as a logged-in user."""
from __future__ import annotations


def session_cookie(user) -> bytes:
    """A `Cookie` header value for a fresh database session logged in as `user`."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"sessionid={session.session_key}".encode()


SAME_ORIGIN = b"http://127.0.0.1:8000"


async def open_socket(path: str, user=None, *, origin: bytes = SAME_ORIGIN, cookie: bytes | None = None):
    """Connect to the real ASGI app at `path` as `user` (anonymous when None, or with `cookie` as given).

    Returns (communicator, connected, close code). A refused socket is disconnected here: the refused
    consumer still waits for the client's disconnect, and left pending it is cancelled while the test's
    event loop closes, which has hung CI's teardown on the Redis channel layer.
    """
    from asgiref.sync import sync_to_async
    from channels.testing import WebsocketCommunicator

    from studio.asgi import application

    headers = [(b"origin", origin), (b"host", b"127.0.0.1:8000")]
    if cookie is None and user is not None:
        cookie = await sync_to_async(session_cookie)(user)
    if cookie is not None:
        headers.append((b"cookie", cookie))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect()
    if not connected:
        await communicator.disconnect()
    return communicator, connected, code
