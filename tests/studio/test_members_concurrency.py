"""Two owners demoting each other at the same moment still leave the assistant an owner."""
from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from studio.accounts import services
from studio.accounts.models import Membership
from studio.core.exceptions import DomainError
from tests.conftest import postgres_configured


def owners(assistant) -> list[str]:
    return sorted(Membership.objects.filter(assistant=assistant, role="owner").values_list("user__username", flat=True))


@pytest.fixture
def two_owners(assistant, users, make_user):
    co_owner = make_user("co_owner")
    Membership.objects.create(user=co_owner, assistant=assistant, role="owner")
    return assistant, users["owner"], co_owner


def test_owners_demoting_each_other_one_after_the_other_leave_one_owner(two_owners):
    assistant, owner, co_owner = two_owners
    services.membership_set(user=owner, assistant=assistant, username="co_owner", role="viewer")
    with pytest.raises(DomainError):
        services.membership_set(user=co_owner, assistant=assistant, username="owner", role="viewer")
    assert owners(assistant) == ["owner"]


def test_an_owner_removed_meanwhile_cannot_remove_the_other(two_owners):
    assistant, owner, co_owner = two_owners
    services.membership_remove(user=owner, assistant=assistant, username="co_owner")
    with pytest.raises(DomainError):
        services.membership_remove(user=co_owner, assistant=assistant, username="owner")
    assert owners(assistant) == ["owner"]


def _waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0] > 0


@pytest.mark.services
@pytest.mark.skipif(not postgres_configured(), reason="row locks need PostgreSQL (DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", ["demote", "remove"])
def test_owners_demoting_each_other_concurrently_leave_one_owner(two_owners, change):
    assistant, owner, co_owner = two_owners
    first_inside, release, second_done = threading.Event(), threading.Event(), threading.Event()
    refused: list[DomainError] = []

    def act(user, username):
        if change == "demote":
            services.membership_set(user=user, assistant=assistant, username=username, role="viewer")
        else:
            services.membership_remove(user=user, assistant=assistant, username=username)

    def first():
        try:
            with transaction.atomic():  # held open so the second change runs while this one is uncommitted
                act(owner, "co_owner")
                first_inside.set()
                release.wait(30)
        finally:
            connections.close_all()

    def second():
        try:
            first_inside.wait(30)
            act(co_owner, "owner")
        except DomainError as exc:
            refused.append(exc)
        finally:
            second_done.set()
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_inside.wait(30)
    # Let the first commit only once the second has finished (no lock) or is blocked on one.
    while not second_done.is_set() and not _waiting_for_a_lock():
        second_done.wait(0.05)
    release.set()
    for thread in threads:
        thread.join(30)
    assert owners(assistant) == ["owner"]
    assert len(refused) == 1
