"""Shared fixtures: personas (owner, designer, writer, viewer, outsider) and small factories.

Django is imported inside fixtures so the pure engine tests can run with `-p no:django`.
"""
from __future__ import annotations

import asyncio
import os

import pytest

PASSWORD = "correct horse battery staple"
ROLES = ("owner", "designer", "writer", "viewer")


def pytest_configure(config):
    if config.pluginmanager.has_plugin("django"):
        from django.conf import settings

        # PBKDF2 costs seconds per persona on a 2-core box; tests check roles, not hash strength.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _celery_runs_inline(request):
    """Tasks run in-process unless a test drives a real worker (marked `services`)."""
    if not request.config.pluginmanager.has_plugin("django"):
        yield
        return
    from studio.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = request.node.get_closest_marker("services") is None
    yield
    app.conf.task_always_eager = previous


def pytest_collection_modifyitems(items):
    for item in items:
        if asyncio.iscoroutinefunction(getattr(item, "obj", None)):
            # First in, so it is torn down last: after the test's own fixtures, before its loop closes.
            item.fixturenames.insert(0, "_tasks_end_with_the_test")


@pytest.fixture
async def _tasks_end_with_the_test():
    """What an async test leaves running is cancelled, and cancelled again if it swallowed that.

    The loop's own teardown cancels leftovers once and then waits without end. A Redis channel layer's
    receive that was inside a blocking read when cancelled once went on reading, and the run hung for
    the whole test timeout. A task that survives three rounds fails the test with its stack.
    """
    yield
    me = asyncio.current_task()
    left = []
    for _ in range(3):
        left = [task for task in asyncio.all_tasks() if task is not me and not task.done()]
        if not left:
            return
        for task in left:
            task.cancel()
        await asyncio.wait(left, timeout=5)
    stuck = [task for task in left if not task.done()]
    if stuck:
        pytest.fail("tasks kept running after three cancellations:\n" + "\n".join(
            f"{task!r}: {task.get_stack(limit=5)!r}" for task in stuck))


@pytest.fixture(autouse=True)
def _fresh_channel_layers(request):
    """Each test's event loop gets channel layers of its own: a Redis layer keeps receive state (a
    lock, a count of waiters, the loop it serves) that a test must not inherit from another's loop."""
    if request.config.pluginmanager.has_plugin("django"):
        from channels.layers import channel_layers

        channel_layers.backends.clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_mock_cache(request):
    """Ids come back after a rolled-back test (SQLite), so a cached mock set could answer for another
    test's assistant: each test starts with none, as a new process would."""
    if request.config.pluginmanager.has_plugin("django"):
        from studio.tryit.runtime import mock_sets

        mock_sets.clear()
    yield


@pytest.fixture
def make_user(db, django_user_model):
    def make(username: str, **extra):
        return django_user_model.objects.create_user(username=username, password=PASSWORD, **extra)

    return make


@pytest.fixture
def make_assistant(db):
    from studio.assistants.services import assistant_create

    def make(owner, name: str = "Pizza Bot", **extra):
        return assistant_create(user=owner, name=name, **extra)

    return make


@pytest.fixture
def personas(make_user, make_assistant):
    """An assistant with one user per role, plus an outsider with no role on it."""
    from studio.accounts.models import Membership

    users = {role: make_user(role) for role in ROLES}
    users["outsider"] = make_user("outsider")
    assistant = make_assistant(users["owner"], name="Pizza Bot")
    for role in ("designer", "writer", "viewer"):
        Membership.objects.create(user=users[role], assistant=assistant, role=role)
    return assistant, users


@pytest.fixture
def assistant(personas):
    return personas[0]


@pytest.fixture
def users(personas):
    return personas[1]


@pytest.fixture
def client_for(users):
    """A logged-in test client for a persona name."""
    from django.test import Client

    def make(role: str, *, enforce_csrf: bool = False):
        client = Client(enforce_csrf_checks=enforce_csrf)
        client.force_login(users[role])
        return client

    return make


def redis_configured() -> bool:
    return bool(os.environ.get("REDIS_URL"))


def postgres_configured() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "pgsql://"))


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """No persistent connections in tests: a Channels worker thread would keep the test DB open."""
    from django.db import connections

    for connection in connections.all():
        connection.settings_dict["CONN_MAX_AGE"] = 0


# Module scope: while sync Playwright is alive its event loop runs in the main thread, which would
# break the async (pytest-asyncio, Channels) tests that run after a browser module.
@pytest.fixture(scope="module")
def chromium():
    """Debian's headless Chromium, one per test module (tests/browser.py)."""
    from tests.browser import headless_chromium

    with headless_chromium() as browser:
        yield browser


@pytest.fixture
def asgi_server(transactional_db):
    """The real ASGI app (pages, static files, WebSockets) under uvicorn in a thread, on the test database."""
    from tests.servers import uvicorn_thread

    with uvicorn_thread() as url:
        yield url
