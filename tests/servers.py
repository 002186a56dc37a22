"""Real processes for the `services` tests: a uvicorn web process and a Celery worker."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url() -> str:
    """The test database pytest-django created, as a URL another process can use."""
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


def wait_for(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def uvicorn_process(env: dict[str, str], log_path: Path) -> Iterator[str]:
    """One `uvicorn studio.asgi:application` process on a free port; yields its base URL."""
    port = free_port()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "studio.asgi:application", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"

    def listening() -> bool:
        try:  # any answer will do: /health may take seconds when a service is down on purpose
            return httpx.get(f"{base}/static/css/studio.css", timeout=5).status_code > 0
        except httpx.TransportError:
            return process.poll() is not None  # stop waiting for a process that died

    try:
        assert wait_for(listening) and process.poll() is None, f"uvicorn did not start:\n{log_path.read_text()}"
        yield base
    finally:
        _stop(process)


@contextmanager
def celery_worker(env: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen]:
    """One solo-pool Celery worker; the process is yielded so a test can kill it."""
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "studio", "worker", "--pool=solo", "--concurrency=1",
             "--without-gossip", "--without-mingle", "-l", "info", "-n", f"pytest-{os.getpid()}-{time.time_ns()}@%h"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    process.log_path = log_path
    try:
        # Booting Django and Celery takes a while on a busy machine; tests time what happens after.
        ready = wait_for(lambda: " ready." in log_path.read_text() or process.poll() is not None, timeout=120)
        assert ready and process.poll() is None, f"the worker did not start:\n{log_path.read_text()}"
        yield process
    finally:
        _stop(process)


def kill(process: subprocess.Popen) -> None:
    """SIGKILL: no warm shutdown, no chance to hand work back (an OOM kill or a pulled plug)."""
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=15)


@contextmanager
def uvicorn_thread() -> Iterator[str]:
    """The real ASGI app (pages, static files, WebSockets) under uvicorn in a thread of this process,
    so it shares the test database and the in-memory channel layer; yields its base URL."""
    import threading

    import uvicorn
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from studio.asgi import application

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(ASGIStaticFilesHandler(application), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off", ws="websockets-sansio"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    assert wait_for(lambda: server.started, timeout=15), "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        # The next test's loop gets fresh channel layers from conftest's _fresh_channel_layers.
