"""Builds never stay stuck: queued -> running -> ready | failed, stale builds are swept, failed ones retried."""
from datetime import timedelta

import pytest
from django.utils import timezone

from studio.assistants.services import flow_create
from studio.training.models import AssistantVersion
from studio.training.services import version_create
from studio.training.tasks import version_sweep

LONG_AGO = timedelta(hours=1)  # well past BUILD_TIMEOUT


@pytest.fixture
def flow(assistant, users):
    return flow_create(user=users["owner"], assistant=assistant, flow_id="greet",
                       data={"description": "Say hello", "steps": [{"action": "action_listen"}]})


@pytest.fixture
def queued(assistant, users, flow):
    """A version whose build message went nowhere (on-commit callbacks are not run)."""
    return version_create(user=users["designer"], assistant=assistant, note="first")


def stuck(version, status: str, attempts: int = 1) -> None:
    """Age the version as if its worker had died (running) or its message was lost (queued)."""
    long_ago = timezone.now() - LONG_AGO
    AssistantVersion.objects.filter(pk=version.pk).update(status=status, attempts=attempts, queued_at=long_ago,
                                                          started_at=long_ago if status == "running" else None)


def listed(client, assistant) -> dict:
    return client.get(f"/api/assistants/{assistant.slug}/versions").json()[0]


def test_a_new_build_is_queued_with_a_timestamp_then_ready(queued, django_capture_on_commit_callbacks):
    assert (queued.status, queued.attempts, queued.started_at, queued.reason) == ("queued", 1, None, "")
    assert queued.queued_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        version_create(user=queued.created_by, assistant=queued.assistant)
    version = AssistantVersion.objects.get(number=2)
    assert (version.status, version.attempts, version.reason) == ("ready", 1, "")
    assert version.queued_at <= version.started_at <= version.finished_at


def test_the_api_shows_state_reason_timestamps_and_attempts(client_for, assistant, queued):
    body = listed(client_for("viewer"), assistant)
    assert (body["status"], body["reason"], body["attempts"], body["started_at"]) == ("queued", "", 1, None)
    assert body["queued_at"] is not None and body["finished_at"] is None


def test_a_build_whose_worker_died_is_queued_again_when_versions_are_listed(
        client_for, assistant, queued, django_capture_on_commit_callbacks):
    stuck(queued, "running")
    with django_capture_on_commit_callbacks(execute=True):
        body = listed(client_for("viewer"), assistant)
    assert (body["status"], body["attempts"]) == ("queued", 2)
    assert body["reason"] == ("queued again (attempt 2 of 3): the previous attempt did not finish within 300 s; "
                              "its worker may have been stopped")
    version = AssistantVersion.objects.get(pk=queued.pk)  # the re-sent build ran (eagerly) after the listing
    assert (version.status, version.attempts, version.reason) == ("ready", 2, "")


def test_a_build_whose_message_was_lost_is_sent_again(client_for, assistant, queued,
                                                       django_capture_on_commit_callbacks):
    stuck(queued, "queued")
    with django_capture_on_commit_callbacks(execute=True):
        body = listed(client_for("viewer"), assistant)
    assert body["reason"] == "queued again (attempt 2 of 3): no worker had started it within 300 s"
    assert AssistantVersion.objects.get(pk=queued.pk).status == "ready"


@pytest.mark.parametrize(("status", "reason"), [
    ("running", "the build did not finish in 3 attempts; each stopped without a result "
                "(the worker may have been killed or run out of memory)"),
    ("queued", "no worker started the build in 3 attempts; check that a Celery worker is running"),
])
def test_a_build_stuck_after_the_last_attempt_fails_with_the_reason(client_for, assistant, queued, status, reason):
    stuck(queued, status, attempts=3)
    body = listed(client_for("viewer"), assistant)
    assert (body["status"], body["reason"]) == ("failed", reason)
    assert AssistantVersion.objects.get(pk=queued.pk).finished_at is not None


def test_fresh_builds_are_left_alone(client_for, assistant, queued):
    assert listed(client_for("viewer"), assistant)["status"] == "queued"
    assert AssistantVersion.objects.get(pk=queued.pk).attempts == 1


def test_the_beat_task_sweeps_every_assistant(make_assistant, users, queued, django_capture_on_commit_callbacks):
    other = version_create(user=users["owner"], assistant=make_assistant(users["owner"], name="Other Bot"))
    stuck(queued, "running", attempts=3)
    stuck(other, "running")
    with django_capture_on_commit_callbacks(execute=True):
        assert version_sweep.apply().get() == 2
    assert [v.status for v in AssistantVersion.objects.order_by("pk")] == ["failed", "ready"]


def test_a_redelivered_build_message_for_a_finished_version_does_nothing(queued, django_capture_on_commit_callbacks):
    from studio.training.tasks import version_build

    with django_capture_on_commit_callbacks(execute=True):
        version_build.delay(queued.pk)
    finished = AssistantVersion.objects.get(pk=queued.pk)
    assert version_build.apply(args=[queued.pk]).get() == "ready"
    assert AssistantVersion.objects.get(pk=queued.pk).finished_at == finished.finished_at


def test_a_crashing_build_fails_with_the_reason_instead_of_staying_running(queued, monkeypatch):
    from studio.training import build

    def explode(assistant):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(build, "assistant_snapshot", explode)
    build.version_build_run(queued.pk)
    version = AssistantVersion.objects.get(pk=queued.pk)
    assert (version.status, version.reason) == (
        "failed", "the build crashed (RuntimeError); the details are in the worker log")


# --- retry ------------------------------------------------------------------------------------------

def failed(version) -> None:
    stuck(version, "running", attempts=3)
    version_sweep.apply()


@pytest.mark.parametrize("role", ("owner", "designer"))
def test_designers_retry_a_failed_build_through_the_api(client_for, assistant, queued, role,
                                                        django_capture_on_commit_callbacks):
    failed(queued)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(role).post(f"/api/assistants/{assistant.slug}/versions/1/retry")
    assert response.status_code == 202
    assert (response.json()["status"], response.json()["attempts"], response.json()["reason"]) == ("queued", 1, "")
    assert AssistantVersion.objects.get(pk=queued.pk).status == "ready"


@pytest.mark.parametrize(("role", "status"), [("writer", 403), ("viewer", 403), ("outsider", 404)])
def test_only_designers_retry(client_for, assistant, queued, role, status):
    failed(queued)
    assert client_for(role).post(f"/api/assistants/{assistant.slug}/versions/1/retry").status_code == status
    assert AssistantVersion.objects.get(pk=queued.pk).status == "failed"


def test_only_failed_builds_can_be_retried(client_for, assistant, queued):
    response = client_for("owner").post(f"/api/assistants/{assistant.slug}/versions/1/retry")
    assert (response.status_code, response.json()) == (
        409, {"detail": "Version 1 is queued; only a failed build can be retried"})
    response = client_for("owner").post(f"/api/assistants/{assistant.slug}/versions/7/retry")
    assert (response.status_code, response.json()) == (404, {"detail": "Version 7 of 'Pizza Bot' not found"})


def test_the_versions_page_shows_the_reason_and_a_retry_button(client_for, assistant, queued,
                                                                django_capture_on_commit_callbacks):
    failed(queued)
    url = f"/assistants/{assistant.slug}/"
    html = client_for("designer").get(url).content.decode()
    assert 'status-failed">failed<' in html
    assert "the build did not finish in 3 attempts" in html
    assert f'action="/assistants/{assistant.slug}/versions/1/retry/"' in html
    assert "/versions/1/retry/" not in client_for("viewer").get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("designer").post(f"/assistants/{assistant.slug}/versions/1/retry/")
    assert (response.status_code, response["Location"]) == (302, f"/assistants/{assistant.slug}/#versions")
    assert AssistantVersion.objects.get(pk=queued.pk).status == "ready"
    assert client_for("writer").post(f"/assistants/{assistant.slug}/versions/1/retry/").status_code == 403
