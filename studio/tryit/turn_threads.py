"""The threads try-it turns run on: turns of different chats side by side, each turn with one
pooled database connection that goes back to the pool when its thread runs out of work.

Channels runs synchronous code on one shared thread (thread_sensitive), where a turn waiting on a
slow action server held up every chat; these threads do not share it. A thread borrows a
connection for a turn. When another turn is already waiting, the thread keeps the connection for
it, rather than handing it back to the pool and taking one out again: under load that pair (Django's
connect and close, the pool's bookkeeping) cost about a tenth of a turn's CPU, in the web process
and in the database server. The thread gives the connection back before it waits for work, and
after any turn when someone else (a page, a build) waits for the pool, so chats never starve pages.

Only `running` turns run at once; the other threads wait for a slot without touching the GIL. A
turn's work is Python (one process runs one thread of it at a time), so ten threads all ready to run
only took the GIL from each other. With three running, 100 busy chats on the 100-flow assistant got
250-318 answers a second instead of 191-230, p95 333-444 ms instead of 522-639 (the demo: about
the same rate, p95 257-383 ms instead of 382-414); one, two and three running measured alike. A
turn that waits on the network (an action server, an LLM) gives its slot back meanwhile
(`waiting`), so a slow server still holds up nobody else.
"""
from __future__ import annotations

import collections
import contextlib
import queue
import threading
from concurrent.futures import Executor, Future
from typing import Any, Callable, Iterator

from django.db import close_old_connections, connection


def connection_goes_back_now() -> bool:
    """Whether a turn thread hands its connection back now rather than keep it for its next turn:
    when someone else waits for the pool, or the connection may not be fit to lend (an error, an
    open transaction), which close_old_connections then checks."""
    if connection.connection is None:
        return False
    if connection.errors_occurred or connection.in_atomic_block or not connection.get_autocommit():
        return True
    pool = getattr(connection, "pool", None)
    # Without a pool (SQLite) nobody waits, and a kept connection is one the thread opened itself.
    return pool is not None and bool(pool.get_stats().get("requests_waiting"))


class Slots:
    """At most `count` holders at once, handed over in the order they asked: a thread that gives a
    slot back and asks again at once (its next turn) queues behind the threads already waiting,
    which threading.Semaphore does not promise, so no chat's turn waits behind an unlucky streak."""

    def __init__(self, count: int) -> None:
        self._free = count
        self._lock = threading.Lock()
        self._waiting: collections.deque[threading.Lock] = collections.deque()

    def acquire(self) -> None:
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return
            handed = threading.Lock()
            handed.acquire()
            self._waiting.append(handed)
        handed.acquire()  # until a holder hands its slot over (release)

    def release(self) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().release()  # the slot goes straight to the longest waiter
            else:
                self._free += 1

    @property
    def queued(self) -> int:
        return len(self._waiting)

    def __enter__(self) -> None:
        self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


_thread = threading.local()  # .slot: the Slots whose slot this turn thread holds


@contextlib.contextmanager
def waiting() -> Iterator[None]:
    """Around a wait on the network in a turn: the turn's running slot goes to another turn until the
    answer is here. Anywhere else (a page, a test, a wait inside a wait) it does nothing."""
    slot = getattr(_thread, "slot", None)
    if slot is None:
        yield
        return
    _thread.slot = None
    slot.release()
    try:
        yield
    finally:
        slot.acquire()
        _thread.slot = slot


class TurnThreads(Executor):
    """`count` threads taking work in the order it was submitted, at most `running` of them running
    it at once (outside `waiting`); `release` runs on a thread before it waits for work, and after a
    piece of work when `must_release()` says so."""

    def __init__(self, count: int, *, running: int | None = None, release: Callable[[], None] = close_old_connections,
                 must_release: Callable[[], bool] = connection_goes_back_now, name: str = "tryit-turn") -> None:
        self._work: queue.SimpleQueue = queue.SimpleQueue()
        self._count, self._name = count, name
        self._slots = Slots(min(count, running or count))
        self._release, self._must_release = release, must_release
        self._threads: list[threading.Thread] = []
        self._start_lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        self._work.put((future, fn, args, kwargs))
        if len(self._threads) < self._count:
            self._start_threads()
        return future

    def _start_threads(self) -> None:
        with self._start_lock:
            while len(self._threads) < self._count:
                thread = threading.Thread(target=self._run, name=f"{self._name}_{len(self._threads)}", daemon=True)
                thread.start()
                self._threads.append(thread)

    def _run(self) -> None:
        while True:
            try:
                item = self._work.get_nowait()
            except queue.Empty:
                self._release()  # nothing waits: the connection goes back before the thread sleeps
                item = self._work.get()
            future, fn, args, kwargs = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(self._in_slot(fn, args, kwargs))
            except BaseException as exc:  # noqa: BLE001 - the caller gets it, as from ThreadPoolExecutor
                future.set_exception(exc)
            del future, fn, args, kwargs, item  # nothing of a finished turn stays alive while the thread waits
            if self._must_release():
                self._release()

    def _in_slot(self, fn: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
        with self._slots:
            _thread.slot = self._slots
            try:
                return fn(*args, **kwargs)
            finally:
                _thread.slot = None
