"""GET /health reports each configured service; 503 when one is down."""
import pytest
from django.test import Client

from studio.core import health


@pytest.mark.django_db
def test_health_reports_each_service(settings):
    response = Client().get("/health")
    body = response.json()
    assert body["database"] == "up"
    if settings.REDIS_URL:
        # A live worker is proven in test_training_worker; here none may be running.
        assert body["redis"] == "up"
        assert body["celery"] in ("up", "down")  # anonymous: no worker count, no error text
        assert response.status_code == (200 if body["celery"].startswith("up") else 503)
    else:
        assert (response.status_code, body["status"]) == (200, "ok")
        assert (body["redis"], body["celery"]) == ("embedded", "embedded")


@pytest.mark.django_db
def test_health_is_503_naming_the_service_that_is_down(settings, monkeypatch, admin_client):
    # Port 9 (discard) is closed on these machines, so the client fails fast.
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    monkeypatch.setattr(health, "check_celery", lambda: "down: no worker answered")
    response = admin_client.get("/health")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "degraded"
    assert body["redis"].startswith("down: ")
    assert body["celery"] == "down: no worker answered"


@pytest.mark.django_db
def test_health_is_not_cached_and_rejects_writes():
    client = Client()
    assert "no-cache" in client.get("/health")["Cache-Control"]
    assert client.post("/health").status_code == 405


@pytest.fixture
def redis_down(settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:9/0"
    monkeypatch.setattr(health, "check_celery", lambda: "down: Error 111 connecting to 10.0.0.7:6379")


@pytest.mark.django_db
def test_anonymous_callers_see_only_up_or_down_per_service(redis_down):
    response = Client().get("/health")
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": "up", "redis": "down", "celery": "down"}


@pytest.mark.django_db
def test_logged_in_users_who_are_not_staff_see_no_details_either(redis_down, make_user):
    client = Client()
    client.force_login(make_user("plain"))
    assert client.get("/health").json()["celery"] == "down"


@pytest.mark.django_db
def test_staff_see_why_a_service_is_down(redis_down, make_user):
    client = Client()
    client.force_login(make_user("operator", is_staff=True))
    body = client.get("/health").json()
    assert body["celery"] == "down: Error 111 connecting to 10.0.0.7:6379"
    assert body["redis"].startswith("down: ")
