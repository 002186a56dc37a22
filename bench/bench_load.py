"""Load on one real studio process: logged-in HTTP clients and live try-it sockets, with think time.

Real mode only: DATABASE_URL (PostgreSQL) and REDIS_URL come from the environment. The bench seeds
the demo assistant and one user per role, starts `uvicorn studio.asgi:application` (or targets
BENCH_LOAD_URL), and runs for BENCH_LOAD_SECONDS (default 300). Other knobs: BENCH_LOAD_CLIENTS (200),
BENCH_LOAD_SOCKETS (100), BENCH_LOAD_THINK_SECONDS (5, a person reading a page: each pause is 0.5-1.5
times that; sockets pause twice as long, as a person types), BENCH_LOAD_SETTLE_SECONDS (10).

Exits 1 on any error (a non-2xx/3xx answer, a transport error, an error frame), a dropped socket, or
PostgreSQL connections still open after the load beyond what a configured pool keeps.
"""
from __future__ import annotations

import asyncio
import collections
import json
import os
import random
import ssl
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

sys.path.insert(0, str(Path(__file__).resolve().parent))
import live  # noqa: E402

SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", 300))
CLIENTS = int(os.environ.get("BENCH_LOAD_CLIENTS", 200))
SOCKETS = int(os.environ.get("BENCH_LOAD_SOCKETS", 100))
THINK = float(os.environ.get("BENCH_LOAD_THINK_SECONDS", 5))
SETTLE = float(os.environ.get("BENCH_LOAD_SETTLE_SECONDS", 10))
REPLY_TIMEOUT = 60  # a turn slower than this counts as an error, not as a latency
TLS = ssl.create_default_context()
# One try-it conversation through the demo's flows; the socket resets and starts over at the end.
SCRIPT = ["I'd like to order a drink", "a latte", "large", "no", "when are you open?", "great coffee, thanks"]


def paths(slug: str) -> list[str]:
    """Pages and API reads every role may open."""
    return ["/", f"/assistants/{slug}/", f"/assistants/{slug}/flows/", f"/assistants/{slug}/flows/order_drink/edit/",
            f"/assistants/{slug}/try/", f"/assistants/{slug}/members/", "/api/assistants/",
            f"/api/assistants/{slug}", f"/api/assistants/{slug}/flows", f"/api/assistants/{slug}/flows/order_drink",
            f"/api/assistants/{slug}/editor/flows", f"/api/assistants/{slug}/editor/catalog",
            f"/api/assistants/{slug}/members", f"/api/assistants/{slug}/versions"]


@dataclass
class Stats:
    http_ms: list[float] = field(default_factory=list)
    by_path: collections.defaultdict = field(default_factory=lambda: collections.defaultdict(list))
    turn_ms: list[float] = field(default_factory=list)
    errors: collections.Counter = field(default_factory=collections.Counter)
    drops: collections.Counter = field(default_factory=collections.Counter)
    loop_lag_ms: float = 0.0  # the bench's own event loop falling behind makes every latency look worse

    def error(self, text: str) -> None:
        self.errors[text[:300]] += 1


def think(scale: float = 1.0) -> float:
    return THINK * scale * random.uniform(0.5, 1.5)


async def http_client(url: str, cookies: dict, targets: list[str], stop_at: float, stats: Stats) -> None:
    headers = {"X-CSRFToken": cookies["csrftoken"]}
    # One TLS context for all: building one per client blocks the event loop for seconds at start.
    # Idle connections are dropped before uvicorn's 5 s keep-alive ends, as browsers avoid that race.
    async with httpx.AsyncClient(base_url=url, cookies=cookies, headers=headers, timeout=REPLY_TIMEOUT,
                                 verify=TLS, limits=httpx.Limits(keepalive_expiry=3)) as client:
        await asyncio.sleep(random.uniform(0, THINK))  # stagger the first wave
        while time.monotonic() < stop_at:
            path = random.choice(targets)
            start = time.perf_counter()
            try:
                response = await client.get(path)
            except httpx.HTTPError as exc:
                stats.error(f"GET {path}: {type(exc).__name__}: {exc}")
            else:
                stats.http_ms.append((time.perf_counter() - start) * 1000)
                stats.by_path[path].append(stats.http_ms[-1])
                if response.status_code >= 400:
                    stats.error(f"GET {path}: {response.status_code} {response.text[:120]!r}")
            await asyncio.sleep(think())


async def exchange(ws, frame: dict, stats: Stats) -> None:
    """Send one frame and wait for its turn (or error) frame; server events in between are skipped."""
    start = time.perf_counter()
    await ws.send(json.dumps(frame))
    while True:
        reply = json.loads(await asyncio.wait_for(ws.recv(), REPLY_TIMEOUT))
        if reply.get("type") == "turn":
            stats.turn_ms.append((time.perf_counter() - start) * 1000)
            return
        if reply.get("type") == "error":
            stats.error(f"socket {frame.get('type')} {frame.get('text', '')!r}: {reply.get('message')}")
            return


async def conversation(ws, stop_at: float, stats: Stats) -> None:
    await exchange(ws, {"type": "start"}, stats)
    while time.monotonic() < stop_at:
        for text in SCRIPT:
            await asyncio.sleep(think(2))
            if time.monotonic() >= stop_at:
                return
            await exchange(ws, {"type": "message", "text": text}, stats)
        await exchange(ws, {"type": "reset"}, stats)


async def socket_client(url: str, slug: str, cookies: dict, stop_at: float, stats: Stats) -> None:
    """One live try-it socket for the whole run; a drop is counted and the socket reopened."""
    ws_url = url.replace("http", "ws", 1) + f"/ws/assistants/{slug}/tryit/"
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "Origin": url}
    await asyncio.sleep(random.uniform(0, THINK * 2))
    while time.monotonic() < stop_at:
        try:
            async with connect(ws_url, additional_headers=headers, open_timeout=REPLY_TIMEOUT,
                               close_timeout=5) as ws:
                await conversation(ws, stop_at, stats)
        except ConnectionClosed as exc:
            stats.drops[f"code {exc.rcvd.code if exc.rcvd else 'none'}: {exc}"[:200]] += 1
            await asyncio.sleep(1)
        except (OSError, InvalidHandshake, TimeoutError) as exc:
            stats.error(f"socket connect/turn: {type(exc).__name__}: {exc}")
            await asyncio.sleep(1)


class Monitor(threading.Thread):
    """Samples the database's connection count and the web process's RSS twice a second."""

    def __init__(self, dbname: str, conninfo: dict, pid: int | None) -> None:
        super().__init__(daemon=True)
        self.dbname, self.conninfo, self.pid = dbname, conninfo, pid
        self.max_connections = 0
        self.rss: list[float] = []
        self.halt = threading.Event()

    def connections(self, conn) -> int:
        query = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
        return conn.execute(query, [self.dbname]).fetchone()[0]

    def run(self) -> None:
        import psycopg

        with psycopg.connect(**self.conninfo, autocommit=True) as conn:
            while not self.halt.wait(0.5):
                self.max_connections = max(self.max_connections, self.connections(conn))
                rss = live.rss_mib(self.pid)
                if rss is not None:
                    self.rss.append(rss)

    def settled_count(self, bound: int) -> tuple[int, dict[str, int]]:
        """Connections left once the load is over (waiting up to SETTLE seconds to fall to `bound`), by state."""
        import psycopg

        with psycopg.connect(**self.conninfo, autocommit=True) as conn:
            deadline = time.monotonic() + SETTLE
            while self.connections(conn) > bound and time.monotonic() < deadline:
                time.sleep(0.5)
            rows = conn.execute("SELECT coalesce(state, '?'), count(*) FROM pg_stat_activity WHERE datname = %s "
                                "AND pid <> pg_backend_pid() GROUP BY 1", [self.dbname]).fetchall()
        return sum(n for _, n in rows), dict(rows)


def pool_bound() -> int:
    """Connections one web process may keep between requests: its pool's size, else none."""
    from django.conf import settings

    pool = settings.DATABASES["default"].get("OPTIONS", {}).get("pool")
    if not pool:
        return 0
    options = pool if isinstance(pool, dict) else {}
    return int(options.get("max_size") or options.get("min_size") or 4)  # psycopg_pool's default min_size


def prepare() -> tuple[str, list[dict], list[dict], dict]:
    """Seed in this process (same database as the server) and return what the clients need."""
    from django.conf import settings
    from django.db import connections

    from studio.assistants import services
    from studio.core.yaml import parse_mapping

    demo, users = live.seed(prefix="bench", fresh=True)
    # Try-it measures the studio, not an action server: without action_endpoint the actions are stubbed.
    endpoints = parse_mapping(demo.endpoints_yaml, file="endpoints.yml")
    endpoints.pop("action_endpoint", None)
    services.assistant_update(user=users["owner"], assistant=demo, endpoints_yaml=json.dumps(endpoints))
    roles = list(users.values())
    http = [live.session_cookies(roles[i % len(roles)]) for i in range(CLIENTS)]
    ws = [live.session_cookies(roles[i % len(roles)]) for i in range(SOCKETS)]
    db = settings.DATABASES["default"]
    conninfo = {k: v for k, v in {"host": db["HOST"], "port": db["PORT"], "user": db["USER"],
                                  "password": db["PASSWORD"], "dbname": db["NAME"]}.items() if v}
    for connection in connections.all():  # this process's own connections must not count against the server
        connection.close()
        getattr(connection, "close_pool", lambda: None)()
    return demo.slug, http, ws, conninfo


async def watch_loop(stop_at: float, stats: Stats) -> None:
    while time.monotonic() < stop_at:
        before = time.monotonic()
        await asyncio.sleep(0.1)
        stats.loop_lag_ms = max(stats.loop_lag_ms, (time.monotonic() - before - 0.1) * 1000)


async def load(url: str, slug: str, http: list[dict], ws: list[dict], stats: Stats) -> float:
    stop_at = time.monotonic() + SECONDS
    started = time.monotonic()
    targets = paths(slug)
    await asyncio.gather(*[http_client(url, c, targets, stop_at, stats) for c in http],
                         *[socket_client(url, slug, c, stop_at, stats) for c in ws], watch_loop(stop_at, stats))
    return time.monotonic() - started


def percentiles(name: str, samples: list[float]) -> None:
    if len(samples) < 2:
        print(f"{name}: not enough samples ({len(samples)})")
        return
    cuts = statistics.quantiles(samples, n=100)
    print(f"{name}_p50: {cuts[49]:.1f} ms\n{name}_p95: {cuts[94]:.1f} ms\n{name}_p99: {cuts[98]:.1f} ms")


def report(stats: Stats, elapsed: float, monitor: Monitor, server: live.Server) -> bool:
    """Print the figures and the problems; True when the run is clean."""
    print(f"duration: {elapsed:.0f} s ({CLIENTS} HTTP clients, {SOCKETS} try-it sockets, think {THINK:g} s)")
    print(f"http_requests: {len(stats.http_ms)} ({len(stats.http_ms) / elapsed:.1f} per s)")
    percentiles("http_latency", stats.http_ms)
    slowest = sorted(((statistics.median(v), p) for p, v in stats.by_path.items()), reverse=True)[:3]
    print("http_slowest_p50: " + ", ".join(f"{p} {ms:.0f} ms" for ms, p in slowest))
    print(f"socket_turns: {len(stats.turn_ms)} ({len(stats.turn_ms) / elapsed:.1f} messages per s)")
    percentiles("turn_latency", stats.turn_ms)
    print(f"bench_loop_lag_max: {stats.loop_lag_ms:.0f} ms (the load generator's own delay)")
    errors, drops = sum(stats.errors.values()), sum(stats.drops.values())
    print(f"errors: {errors}\ndropped_sockets: {drops}")
    bound = pool_bound()
    left, states = monitor.settled_count(bound)
    leaked = max(0, left - bound)
    print(f"pg_connections_max: {monitor.max_connections}")
    print(f"pg_connections_left_after: {left} {states} after {SETTLE:g} s (pool keeps up to {bound}); "
          f"leaked: {leaked}")
    if monitor.rss:
        print(f"web_rss: {monitor.rss[0]:.0f} MiB at start, {max(monitor.rss):.0f} MiB max, {monitor.rss[-1]:.0f} MiB end")
    for title, counter in (("errors", stats.errors), ("dropped sockets", stats.drops)):
        for text, count in counter.most_common(10):
            print(f"  {title}: {count}x {text}")
    for line in live.server_errors(server.log):
        print(f"  server log: {line}")
    if server.log:
        print(f"server log: {server.log}")
    return not (errors or drops or leaked)


def main() -> int:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql")) or not os.environ.get("REDIS_URL"):
        print("bench_load needs the real services: set DATABASE_URL=postgres://... and REDIS_URL=redis://...")
        return 2
    live.postgres_database_ensure(os.environ["DATABASE_URL"])
    live.django_setup()
    slug, http, ws, conninfo = prepare()
    with live.serve(target_variable="BENCH_LOAD_URL", log=live.ROOT / "var" / "bench-load-uvicorn.log") as server:
        monitor = Monitor(conninfo["dbname"], conninfo, server.pid)
        monitor.start()
        stats = Stats()
        elapsed = asyncio.run(load(server.url, slug, http, ws, stats))
        monitor.halt.set()
        monitor.join()
        clean = report(stats, elapsed, monitor, server)
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
