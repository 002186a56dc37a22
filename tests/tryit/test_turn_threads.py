"""The turn threads: turns side by side, a connection kept only while another turn waits for it."""
import threading

import pytest

from studio.tryit.turn_threads import Slots, TurnThreads, waiting
from tests.eventually import eventually


class Connections:
    """Stands in for a thread's database connection: counts when each thread hands it back."""

    def __init__(self, *, others_waiting: bool = False) -> None:
        self.released: list[str] = []
        self.others_waiting = others_waiting

    def release(self) -> None:
        self.released.append(threading.current_thread().name)

    def must_release(self) -> bool:
        return self.others_waiting


def test_a_thread_with_turns_queued_keeps_its_connection_and_hands_it_back_once_the_queue_is_empty():
    connections = Connections()
    threads = TurnThreads(1, release=connections.release, must_release=connections.must_release, name="t")
    gate = threading.Event()
    done = []
    first = threads.submit(gate.wait, 5)
    queued = [threads.submit(done.append, n) for n in range(5)]  # all waiting while the first runs
    gate.set()
    for future in [first, *queued]:
        future.result(5)
    assert done == [0, 1, 2, 3, 4]
    # Not between the six turns: only when none was left, before the thread slept.
    assert eventually(lambda: connections.released == ["t_0"])
    threads.submit(lambda: None).result(5)
    assert eventually(lambda: connections.released == ["t_0", "t_0"])


def test_a_thread_hands_its_connection_back_after_a_turn_when_a_page_waits_for_one():
    connections = Connections(others_waiting=True)
    threads = TurnThreads(1, release=connections.release, must_release=connections.must_release, name="t")
    gate = threading.Event()
    first = threads.submit(gate.wait, 5)
    second = threads.submit(lambda: None)
    gate.set()
    first.result(5), second.result(5)
    assert eventually(lambda: len(connections.released) == 3)  # after each turn, then before sleeping


def test_turns_of_different_chats_run_side_by_side_and_a_failing_turn_reaches_its_caller():
    connections = Connections()
    threads = TurnThreads(2, release=connections.release, must_release=connections.must_release)
    both = threading.Barrier(2, timeout=5)
    assert [f.result(5) for f in [threads.submit(both.wait), threads.submit(both.wait)]] in ([0, 1], [1, 0])
    with pytest.raises(ZeroDivisionError):
        threads.submit(lambda: 1 / 0).result(5)


def test_only_the_running_count_of_turns_run_at_once_and_a_turn_waiting_on_the_network_lets_another_run():
    connections = Connections()
    threads = TurnThreads(3, running=1, release=connections.release, must_release=connections.must_release)
    both = threading.Barrier(2, timeout=0.5)
    meetings = [threads.submit(both.wait), threads.submit(both.wait)]
    with pytest.raises(threading.BrokenBarrierError):  # the second only ran once the first gave up
        [f.result(5) for f in meetings]

    answered, inside = threading.Event(), threading.Event()

    def waits_on_a_server():
        with waiting():
            inside.set()
            assert answered.wait(5)
        return "slow"

    slow = threads.submit(waits_on_a_server)
    assert inside.wait(5)
    assert threads.submit(lambda: "fast").result(5) == "fast"  # ran while the slow turn waited
    answered.set()
    assert slow.result(5) == "slow"
    with waiting():  # outside a turn thread it changes nothing
        pass


@pytest.mark.django_db(transaction=True)  # autocommit, as a turn thread runs
def test_a_turn_thread_keeps_its_pooled_connection_unless_someone_waits_for_the_pool(monkeypatch):
    from django.db import connection

    from studio.tryit.turn_threads import connection_goes_back_now

    if getattr(connection, "pool", None) is None:
        pytest.skip("only a pool has others waiting for it")
    connection.ensure_connection()
    stats = {"requests_waiting": 0}
    monkeypatch.setattr(type(connection.pool), "get_stats", lambda pool: dict(stats))
    assert connection_goes_back_now() is False
    stats["requests_waiting"] = 1  # a page asked the pool for a connection and waits
    assert connection_goes_back_now() is True
    stats["requests_waiting"] = 0
    monkeypatch.setattr(connection, "errors_occurred", True)  # close_old_connections checks such a connection before it is lent
    assert connection_goes_back_now() is True


def test_a_slot_goes_to_the_longest_waiter_even_when_its_holder_asks_again_at_once():
    slots, order = Slots(1), []
    slots.acquire()

    def turn(name):
        with slots:
            order.append(name)

    waiters = []
    for name in ("a", "b", "c"):
        waiters.append(threading.Thread(target=turn, args=(name,)))
        waiters[-1].start()
        assert eventually(lambda: slots.queued == len(waiters))
    slots.release()
    turn("holder again")  # gives its slot back and asks at once, as a thread taking its next turn does
    for thread in waiters:
        thread.join(5)
    assert order == ["a", "b", "c", "holder again"]
