"""Versions the old code left `pending` become queued builds the sweeper can pick up."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE, AFTER = [("training", "0001_initial")], [("training", "0002_build_states")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_pending_versions_become_queued_with_their_creation_time(assistant):
    try:
        old = migrate(BEFORE).get_model("training", "AssistantVersion")
        pending = old.objects.create(assistant_id=assistant.pk, number=1, status="pending")
        old.objects.create(assistant_id=assistant.pk, number=2, status="ready")
        new = migrate(AFTER).get_model("training", "AssistantVersion")
        rows = {v.number: (v.status, v.attempts, v.queued_at) for v in new.objects.all()}
        assert rows == {1: ("queued", 1, pending.created_at), 2: ("ready", 1, rows[2][2])}
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
