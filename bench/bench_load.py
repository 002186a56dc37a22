"""Load on a real studio: logged-in HTTP clients and live try-it sockets, on one process and on several.

Real mode only: DATABASE_URL (PostgreSQL) and REDIS_URL come from the environment. The bench seeds
the demo assistant, a generated 100-flow assistant and one user per role, starts
`uvicorn studio.asgi:application` with WEB_CONCURRENCY processes (or targets BENCH_LOAD_URL), and runs:

- the mixed run: BENCH_LOAD_CLIENTS (200) HTTP clients and BENCH_LOAD_SOCKETS (100) try-it sockets on
  the demo with think time, on one process (BENCH_LOAD_CLIENTS=0 skips it);
- the chat matrix: for each process count in BENCH_LOAD_PROCESSES (1,2), each assistant in
  BENCH_LOAD_ASSISTANTS (demo,flows100) and each count in BENCH_LOAD_CONVERSATIONS (10,50,100), that
  many conversations without think time and with it.

Each run lasts BENCH_LOAD_SECONDS (30). BENCH_LOAD_THINK_SECONDS (5) is a person reading a page:
each pause is 0.5-1.5 times that; sockets pause twice as long, as a person types.
BENCH_LOAD_SETTLE_SECONDS (10) is how long connections may take to go back to the pool.

Exits 1 on any error (a non-2xx/3xx answer, a transport error, an error frame), a dropped socket, or
PostgreSQL connections still open after the load beyond what the configured pools keep.
"""
from __future__ import annotations

import asyncio
import collections
import json
import os
import random
import resource
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

SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", 30))
CLIENTS = int(os.environ.get("BENCH_LOAD_CLIENTS", 200))
SOCKETS = int(os.environ.get("BENCH_LOAD_SOCKETS", 100))
THINK = float(os.environ.get("BENCH_LOAD_THINK_SECONDS", 5))
SETTLE = float(os.environ.get("BENCH_LOAD_SETTLE_SECONDS", 10))
PROCESSES = [int(n) for n in os.environ.get("BENCH_LOAD_PROCESSES", "1,2").split(",") if n.strip()]
CONVERSATIONS = [int(n) for n in os.environ.get("BENCH_LOAD_CONVERSATIONS", "10,50,100").split(",") if n.strip()]
ASSISTANTS = [a.strip() for a in os.environ.get("BENCH_LOAD_ASSISTANTS", "demo,flows100").split(",") if a.strip()]
REPLY_TIMEOUT = 60  # a turn slower than this counts as an error, not as a latency
TLS = ssl.create_default_context()
# One try-it conversation per assistant; the socket resets and starts over at the end.
SCRIPTS = {
    "demo": ["I'd like to order a drink", "a latte", "large", "no", "when are you open?", "great coffee, thanks"],
    # The generated flows collect three values each; the offline generator picks the flow by its description.
    "flows100": ["generated task 42", "hello", "7", "3", "done", "generated task 7", "12", "thanks"],
}


@dataclass(frozen=True)
class Run:
    """One measured run: `conversations` try-it sockets (plus `clients` HTTP clients) for SECONDS."""

    processes: int
    assistant: str
    conversations: int
    think: float
    clients: int = 0

    @property
    def title(self) -> str:
        http = f" + {self.clients} HTTP clients" if self.clients else ""
        return (f"{self.processes} proc, {self.assistant}, {self.conversations} chats{http}, "
                f"think {self.think:g} s")


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


def pause(think: float, scale: float = 1.0) -> float:
    return think * scale * random.uniform(0.5, 1.5)


async def http_client(url: str, cookies: dict, targets: list[str], stop_at: float, stats: Stats,
                      think: float) -> None:
    headers = {"X-CSRFToken": cookies["csrftoken"]}
    # One TLS context for all: building one per client blocks the event loop for seconds at start.
    # Idle connections are dropped before uvicorn's 5 s keep-alive ends, as browsers avoid that race.
    async with httpx.AsyncClient(base_url=url, cookies=cookies, headers=headers, timeout=REPLY_TIMEOUT,
                                 verify=TLS, limits=httpx.Limits(keepalive_expiry=3)) as client:
        await asyncio.sleep(random.uniform(0, think))  # stagger the first wave
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
            await asyncio.sleep(pause(think))


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


async def conversation(ws, script: list[str], stop_at: float, stats: Stats, think: float) -> None:
    await exchange(ws, {"type": "start"}, stats)
    while time.monotonic() < stop_at:
        for text in script:
            await asyncio.sleep(pause(think, 2))
            if time.monotonic() >= stop_at:
                return
            await exchange(ws, {"type": "message", "text": text}, stats)
        await exchange(ws, {"type": "reset"}, stats)


async def socket_client(url: str, slug: str, script: list[str], cookies: dict, stop_at: float, stats: Stats,
                        think: float) -> None:
    """One live try-it socket for the whole run; a drop is counted and the socket reopened."""
    ws_url = url.replace("http", "ws", 1) + f"/ws/assistants/{slug}/tryit/"
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "Origin": url}
    await asyncio.sleep(random.uniform(0, think * 2))
    while time.monotonic() < stop_at:
        try:
            async with connect(ws_url, additional_headers=headers, open_timeout=REPLY_TIMEOUT,
                               close_timeout=5) as ws:
                await conversation(ws, script, stop_at, stats, think)
        except ConnectionClosed as exc:
            stats.drops[f"code {exc.rcvd.code if exc.rcvd else 'none'}: {exc}"[:200]] += 1
            await asyncio.sleep(1)
        except (OSError, InvalidHandshake, TimeoutError) as exc:
            stats.error(f"socket connect/turn: {type(exc).__name__}: {exc}")
            await asyncio.sleep(1)


class Monitor(threading.Thread):
    """Samples the database's connection count and the web processes' RSS twice a second."""

    def __init__(self, dbname: str, conninfo: dict, pid: int | None) -> None:
        super().__init__(daemon=True)
        self.dbname, self.conninfo = dbname, conninfo
        self.pids = live.web_processes(pid)
        self.max_connections = 0
        self.rss: list[list[float]] = []  # one sample: each web process's RSS
        self.halt = threading.Event()

    def connections(self, conn) -> int:
        query = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
        return conn.execute(query, [self.dbname]).fetchone()[0]

    def run(self) -> None:
        import psycopg

        with psycopg.connect(**self.conninfo, autocommit=True) as conn:
            while not self.halt.wait(0.5):
                self.max_connections = max(self.max_connections, self.connections(conn))
                rss = [mib for mib in map(live.rss_mib, self.pids) if mib is not None]
                if rss:
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


def prepare() -> tuple[dict[str, str], list[dict], dict]:
    """Seed in this process (same database as the server): {assistant name: slug}, sessions, conninfo."""
    from django.conf import settings
    from django.db import connections

    from studio.assistants import services
    from studio.core.yaml import parse_mapping

    demo, users = live.seed(prefix="bench", fresh=True)
    # Try-it measures the studio, not an action server: without action_endpoint the actions are stubbed.
    endpoints = parse_mapping(demo.endpoints_yaml, file="endpoints.yml")
    endpoints.pop("action_endpoint", None)
    services.assistant_update(user=users["owner"], assistant=demo, endpoints_yaml=json.dumps(endpoints))
    slugs = {"demo": demo.slug}
    if "flows100" in ASSISTANTS:
        slugs["flows100"] = live.seed_many_flows(users, flow_count=100).slug
    roles = list(users.values())
    sessions = [live.session_cookies(roles[i % len(roles)]) for i in range(max(CLIENTS, SOCKETS, *CONVERSATIONS))]
    db = settings.DATABASES["default"]
    conninfo = {k: v for k, v in {"host": db["HOST"], "port": db["PORT"], "user": db["USER"],
                                  "password": db["PASSWORD"], "dbname": db["NAME"]}.items() if v}
    for connection in connections.all():  # this process's own connections must not count against the server
        connection.close()
        getattr(connection, "close_pool", lambda: None)()
    return slugs, sessions, conninfo


async def watch_loop(stop_at: float, stats: Stats) -> None:
    while time.monotonic() < stop_at:
        before = time.monotonic()
        await asyncio.sleep(0.1)
        stats.loop_lag_ms = max(stats.loop_lag_ms, (time.monotonic() - before - 0.1) * 1000)


async def load(url: str, run: Run, slugs: dict[str, str], sessions: list[dict], stats: Stats) -> float:
    stop_at = time.monotonic() + SECONDS
    started = time.monotonic()
    slug, script = slugs[run.assistant], SCRIPTS[run.assistant]
    targets = paths(slug)
    await asyncio.gather(*[http_client(url, sessions[i], targets, stop_at, stats, run.think) for i in range(run.clients)],
                         *[socket_client(url, slug, script, sessions[i], stop_at, stats, run.think)
                           for i in range(run.conversations)],
                         watch_loop(stop_at, stats))
    return time.monotonic() - started


def cuts(samples: list[float]) -> tuple[float, float, float] | None:
    if len(samples) < 2:
        return None
    q = statistics.quantiles(samples, n=100)
    return q[49], q[94], q[98]


def measure(url: str, pid: int | None, run: Run, slugs: dict, sessions: list[dict], conninfo: dict) -> dict:
    """One run with its monitor; the figures as a row of the summary table."""
    monitor = Monitor(conninfo["dbname"], conninfo, pid)
    monitor.start()
    stats = Stats()
    cpu_before = cpu_now(monitor.pids)
    elapsed = asyncio.run(load(url, run, slugs, sessions, stats))
    cpu = [after - before for after, before in zip(cpu_now(monitor.pids), cpu_before)]
    monitor.halt.set()
    monitor.join()
    bound = pool_bound() * run.processes
    left, states = monitor.settled_count(bound)
    rss_max = [max(sample[i] for sample in monitor.rss if i < len(sample)) for i in range(max(map(len, monitor.rss), default=0))]
    return {"run": run, "elapsed": elapsed, "stats": stats, "turns": cuts(stats.turn_ms), "http": cuts(stats.http_ms),
            "msgs": len(stats.turn_ms) / elapsed, "errors": sum(stats.errors.values()),
            "drops": sum(stats.drops.values()), "pg_max": monitor.max_connections, "pg_left": left,
            "pg_states": states, "leaked": max(0, left - bound), "rss": rss_max,
            "load": os.getloadavg()[0], "cpu": cpu}


def cpu_now(pids: list[int]) -> tuple[float, float, float]:
    """CPU seconds used so far by the web processes, this machine's PostgreSQL and this bench."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return sum(map(live.cpu_seconds, pids)), live.postgres_cpu_seconds(), own.ru_utime + own.ru_stime


def print_row(row: dict) -> None:
    run, turns = row["run"], row["turns"]
    latency = "p50 {:.1f} / p95 {:.1f} / p99 {:.1f} ms".format(*turns) if turns else "no turns"
    rss = "+".join(f"{mib:.0f}" for mib in row["rss"]) or "?"
    print(f"{run.title}: {row['msgs']:.0f} msg/s, turn {latency}, errors {row['errors']}, dropped {row['drops']}, "
          f"RSS {rss} MiB, PG connections max {row['pg_max']} (left {row['pg_left']}, leaked {row['leaked']}), "
          f"load avg {row['load']:.1f}, bench loop lag {row['stats'].loop_lag_ms:.0f} ms", flush=True)
    # Busy runs only: with think time, idle work (and PostgreSQL processes that exit) blur a per-turn figure.
    if row["turns"] and row["cpu"] and not run.think:
        per = [1000 * seconds / len(row["stats"].turn_ms) for seconds in row["cpu"]]
        print("    CPU per turn: web {:.2f} ms, PostgreSQL {:.2f} ms, load generator {:.2f} ms"
              "{}".format(*per, " (HTTP requests included)" if row["http"] else ""))
    if row["http"]:
        print("    http p50 {:.1f} / p95 {:.1f} / p99 {:.1f} ms, {:.0f} requests/s".format(
            *row["http"], len(row["stats"].http_ms) / row["elapsed"]))
        slowest = sorted(((statistics.median(ms), path) for path, ms in row["stats"].by_path.items()), reverse=True)
        print("    slowest pages (p50): " + ", ".join(f"{path} {ms:.0f} ms" for ms, path in slowest[:4]))
    for title, counter in (("error", row["stats"].errors), ("dropped socket", row["stats"].drops)):
        for text, count in counter.most_common(5):
            print(f"    {title}: {count}x {text}")


def runs_for(processes: int) -> list[Run]:
    runs = [Run(1, "demo", SOCKETS, THINK, clients=CLIENTS)] if processes == 1 and CLIENTS else []
    return runs + [Run(processes, assistant, n, think) for assistant in ASSISTANTS
                   for think in sorted({0.0, THINK}) for n in CONVERSATIONS]


def comparison(rows: list[dict]) -> None:
    """Messages per second on N processes against one, for each busy (no think time) run."""
    single = {(r["run"].assistant, r["run"].conversations): r["msgs"] for r in rows
              if r["run"].processes == 1 and r["run"].think == 0 and not r["run"].clients}
    for row in rows:
        run = row["run"]
        base = single.get((run.assistant, run.conversations))
        if run.processes > 1 and run.think == 0 and base:
            print(f"scale-out {run.assistant}, {run.conversations} chats: {base:.0f} msg/s on 1 process, "
                  f"{row['msgs']:.0f} on {run.processes} ({row['msgs'] / base:.2f}x)")


def main() -> int:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql")) or not os.environ.get("REDIS_URL"):
        print("bench_load needs the real services: set DATABASE_URL=postgres://... and REDIS_URL=redis://...")
        return 2
    live.postgres_database_ensure(os.environ["DATABASE_URL"])
    live.django_setup()
    slugs, sessions, conninfo = prepare()
    print(f"{os.cpu_count()} CPUs; each run {SECONDS:g} s; load average at start {os.getloadavg()[0]:.1f}")
    rows, server_logs = [], []
    for processes in PROCESSES:
        log = live.ROOT / "var" / f"bench-load-uvicorn-{processes}.log"
        with live.serve(target_variable="BENCH_LOAD_URL", log=log, workers=processes) as server:
            server_logs.append(server.log)
            for run in runs_for(processes):
                rows.append(measure(server.url, server.pid, run, slugs, sessions, conninfo))
                print_row(rows[-1])
    comparison(rows)
    for log in server_logs:
        for line in live.server_errors(log):
            print(f"  server log {log.name}: {line}")
    clean = not any(r["errors"] or r["drops"] or r["leaked"] for r in rows)
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
