"""Assistants created at the same time with the same name each get their own slug, never a 500."""
from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.test import Client

from studio.assistants import services
from studio.assistants.models import Assistant
from studio.core.exceptions import ValidationFailed
from tests.conftest import postgres_configured


def test_a_slug_taken_between_the_check_and_the_insert_is_replaced_by_a_fresh_one(users, assistant, monkeypatch):
    # What a parallel creation does: the slug looked free, then someone else's insert took it.
    monkeypatch.setattr(services, "_unique_slug", lambda name: assistant.slug)
    created = services.assistant_create(user=users["owner"], name="Pizza Bot")
    assert created.slug.startswith("pizza-bot-") and created.slug != assistant.slug
    assert created.memberships.get().role == "owner"


def test_a_chosen_slug_taken_meanwhile_is_a_422_naming_the_slug(users, assistant, monkeypatch):
    real_filter = Assistant.objects.filter
    monkeypatch.setattr(Assistant.objects, "filter",
                        lambda *a, **k: real_filter(pk=-1) if k == {"slug": "pizza-bot"} else real_filter(*a, **k))
    with pytest.raises(ValidationFailed) as refused:
        services.assistant_create(user=users["owner"], name="Other", slug="pizza-bot")
    assert refused.value.problems[0].as_dict() == {
        "loc": ["slug"], "msg": "an assistant with slug 'pizza-bot' already exists"}


def test_a_chosen_slug_longer_than_the_column_is_a_422_not_a_database_error(users):
    with pytest.raises(ValidationFailed) as refused:
        services.assistant_create(user=users["owner"], name="Long", slug="a" * 81)
    assert refused.value.problems[0].loc == ("slug",)
    assert "at most 80 characters" in refused.value.problems[0].msg


@pytest.mark.services
@pytest.mark.skipif(not postgres_configured(), reason="parallel inserts need PostgreSQL (DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_creations_with_the_same_name_all_succeed(make_user):
    user = make_user("maker")
    clients = [Client() for _ in range(20)]
    for client in clients:
        client.force_login(user)
    start = threading.Barrier(20)
    statuses: list[int] = []

    def create(client):
        start.wait(30)
        try:
            statuses.append(client.post("/api/assistants/", {"name": "Same Name"},
                                        content_type="application/json").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses == [201] * 20
    assert Assistant.objects.filter(name="Same Name").values("slug").distinct().count() == 20
