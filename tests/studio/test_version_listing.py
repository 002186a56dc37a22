"""Listing versions (overview page, versions API) never reads their snapshots."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_the_overview_and_the_versions_api_list_versions_without_their_snapshots(
        assistant, users, client_for, django_capture_on_commit_callbacks):
    from studio.training.services import version_create

    with django_capture_on_commit_callbacks(execute=True):  # the build runs inline
        version_create(user=users["owner"], assistant=assistant, note="first")
    viewer = client_for("viewer")
    for url in (f"/assistants/{assistant.slug}/", f"/api/assistants/{assistant.slug}/versions"):
        with CaptureQueriesContext(connection) as queries:
            response = viewer.get(url)
        assert response.status_code == 200
        assert "first" in response.content.decode()
        listing = [q["sql"] for q in queries.captured_queries if "training_assistantversion" in q["sql"]
                   and q["sql"].startswith("SELECT")]
        assert listing and not any("snapshot" in sql for sql in listing)
