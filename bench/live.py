"""A real studio for bench_load.py and fuzz_api.py: uvicorn in its own process, seeded from this one.

This process sets Django up on the same DATABASE_URL as the server, so it can migrate, seed the
demo assistant with one user per role, and hand out logged-in sessions without paying for a
password hash per client.
"""
from __future__ import annotations

import collections
import logging
import os
import secrets
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the studio and the suite's server helpers, from a bench script

from tests.servers import free_port  # noqa: E402

ROLES = ("owner", "designer", "writer", "viewer")
CSRF_TOKEN_LENGTH = 32  # Django accepts an unmasked secret of this length in both cookie and header


@dataclass(frozen=True)
class Server:
    url: str
    pid: int | None  # None when the bench targets a server it did not start
    log: Path | None


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")
    import django

    django.setup()
    # The studio's root logger is at INFO; one line per client request would drown the figures.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def postgres_database_ensure(url: str) -> None:
    """Create the database named in a postgres:// DATABASE_URL when it does not exist yet."""
    import dj_database_url
    import psycopg

    db = dj_database_url.parse(url)
    if "postgresql" not in db["ENGINE"]:
        return
    params = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"] or None,
              "password": db["PASSWORD"] or None, "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')


def seed(*, prefix: str, fresh: bool = False) -> tuple[object, dict[str, object]]:
    """Migrate, then the demo assistant with one member per role (`<prefix>-<role>`); `fresh` reloads it."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from studio.accounts.models import Membership
    from studio.assistants.demo import DEMO_SLUG, demo_assistant_load
    from studio.assistants.models import Assistant

    call_command("migrate", verbosity=0, interactive=False)
    User = get_user_model()
    users = {}
    for role in ROLES:
        users[role], created = User.objects.get_or_create(username=f"{prefix}-{role}")
        if created:
            users[role].set_unusable_password()
            users[role].save(update_fields=["password"])
    if fresh:
        Assistant.objects.filter(slug=DEMO_SLUG).delete()
    demo, _ = demo_assistant_load(user=users["owner"])
    for role in ROLES:
        Membership.objects.update_or_create(user=users[role], assistant=demo, defaults={"role": role})
    return demo, users


def seed_many_flows(users: dict[str, object], *, flow_count: int = 100) -> object:
    """A generated assistant with `flow_count` flows (bench_engine's shape), imported through the
    exchange like an uploaded project, with the same members as the demo; replaced when it exists."""
    import yaml

    from bench_engine import generated_assistant
    from studio.accounts.models import Membership
    from studio.assistants import services
    from studio.assistants.models import Assistant
    from studio.exchange.services import assistant_import

    name = f"Generated {flow_count} flows"
    Assistant.objects.filter(name=name).delete()
    data = generated_assistant(flow_count)
    files = {"config.yml": {"recipe": "default.v1", "language": "en", "assistant_id": f"generated-{flow_count}",
                            **data["config"]},
             "domain.yml": {"version": "3.1", **data["domain"]}, "data/flows.yml": {"flows": data["flows"]}}
    source = {path: yaml.safe_dump(body, sort_keys=False).encode() for path, body in files.items()}
    assistant = assistant_import(user=users["owner"], source=source, name=name).assistant
    # No LLM in a bench: the offline generator, whose flow index is what a 100-flow turn costs.
    services.assistant_update(user=users["owner"], assistant=assistant, settings={"generator": "offline"})
    for role in ROLES:
        Membership.objects.update_or_create(user=users[role], assistant=assistant, defaults={"role": role})
    return assistant


def session_cookies(user) -> dict[str, str]:
    """Cookies of a fresh logged-in session plus a CSRF token (send it back as X-CSRFToken)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    token = secrets.token_hex(CSRF_TOKEN_LENGTH // 2)
    return {"sessionid": session.session_key, "csrftoken": token}


def wait_until_up(url: str, *, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/login/", timeout=2)  # any answer will do: /health is 503 without a worker
            return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the studio at {url} did not answer within {seconds:.0f} s")


@contextmanager
def serve(*, target_variable: str, log: Path, workers: int = 1) -> Iterator[Server]:
    """The server named by the `target_variable` environment variable, else one uvicorn started here
    with `workers` processes (uvicorn reads WEB_CONCURRENCY, as in production)."""
    target = os.environ.get(target_variable)
    if target:
        wait_until_up(target.rstrip("/"))
        # BENCH_SERVER_PID: that server's process, for its memory and CPU figures.
        pid = os.environ.get("BENCH_SERVER_PID")
        yield Server(url=target.rstrip("/"), pid=int(pid) if pid else None, log=None)
        return
    port = free_port()
    with log.open("w") as out:
        # Its own process group: stopping it stops its workers too (a parent killed after its
        # timeout left them running, holding their database connections into the next runs).
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "studio.asgi:application", "--host", "127.0.0.1",
             "--port", str(port), "--no-access-log"],
            cwd=ROOT, env={**os.environ, "WEB_CONCURRENCY": str(workers)}, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
    try:
        wait_until_up(f"http://127.0.0.1:{port}")
        yield Server(url=f"http://127.0.0.1:{port}", pid=process.pid, log=log)
    finally:
        _stop_group(process)


def _stop_group(process: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, None)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        try:  # the parent is gone; its workers may not be
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return


def web_processes(pid: int | None) -> list[int]:
    """The processes serving requests: uvicorn's workers when it has several, else itself."""
    if pid is None:
        return []
    children = [child for child, _, fields in _processes() if int(fields[1]) == pid]  # fields[1]: the parent pid
    # A multi-worker uvicorn also starts multiprocessing's resource tracker: it serves nothing.
    workers = [child for child in children if "resource_tracker" not in _cmdline(child)]
    return workers or [pid]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _stat(path: Path) -> tuple[str, list[str]] | None:
    """A /proc/<pid>/stat file as (command name, the fields after it), None when the process is gone."""
    try:
        name, _, rest = path.read_text().partition(" (")[2].rpartition(")")
    except OSError:
        return None
    return name, rest.split()


def _processes() -> Iterator[tuple[int, str, list[str]]]:
    """Every process of this machine: pid, command name, the stat fields after the name."""
    for path in Path("/proc").glob("[0-9]*/stat"):
        stat = _stat(path)
        if stat is not None:
            yield int(path.parent.name), *stat


def _cpu(fields: list[str]) -> float:
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used (Linux /proc), 0 when it is gone."""
    stat = _stat(Path(f"/proc/{pid}/stat"))
    return _cpu(stat[1]) if stat else 0.0


def postgres_cpu_seconds() -> float:
    """CPU time used so far by this machine's PostgreSQL processes (0 when it runs elsewhere)."""
    return sum(_cpu(fields) for _, name, fields in _processes() if name == "postgres")


def rss_mib(pid: int | None) -> float | None:
    """Resident memory of a process (Linux /proc), or None when unknown."""
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def server_errors(log: Path | None, *, limit: int = 10) -> list[str]:
    """Each distinct traceback in the server log as "<log message> -> <exception line>", most frequent first."""
    if log is None or not log.exists():
        return []
    found: collections.Counter = collections.Counter()
    lines = log.read_text(errors="replace").splitlines()
    for i, line in enumerate(lines):
        if not line.startswith("Traceback"):
            continue
        end = i + 1
        while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
            end += 1
        context = lines[i - 1].strip() if i and not lines[i - 1].startswith((" ", "During", "The above")) else ""
        if end < len(lines) and not context.lower().startswith("bad request"):  # a 400, answered as such
            found[f"{context[:150]} -> {lines[end].strip()[:300]}"] += 1
    return [f"{count}x {text}" for text, count in found.most_common(limit)]
