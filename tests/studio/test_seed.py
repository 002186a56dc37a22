"""`seed_demo` and `ensure_admin`: the studio is never empty on first start."""
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from studio.accounts.permissions import role_for
from studio.assistants.models import Assistant, CustomAction, Flow, Response, Slot


def run(command: str) -> str:
    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_creates_the_demo_assistant_owned_by_admin():
    output = run("seed_demo")
    assert "Created Corner Café (corner-cafe)" in output
    demo = Assistant.objects.get(slug="corner-cafe")
    admin = get_user_model().objects.get(username="admin")
    assert role_for(admin, demo) == "owner" and demo.memberships.get(user=admin).role == "owner"
    flows = {flow.flow_id: flow for flow in Flow.objects.filter(assistant=demo)}
    assert set(flows) == {"order_drink", "check_loyalty", "opening_hours", "leave_feedback"}
    assert flows["check_loyalty"].guard is False
    assert flows["order_drink"].source_path == "data/flows.yml"
    step_kinds = {key for flow in flows.values() for step in flow.steps for key in step}
    assert {"collect", "call", "link", "set_slots", "action", "next"} <= step_kinds
    assert Slot.objects.filter(assistant=demo).count() == 6
    assert CustomAction.objects.filter(assistant=demo).count() == 2
    ask_size = Response.objects.get(assistant=demo, name="utter_ask_size")
    assert ask_size.variations[0]["buttons"][0] == {"title": "Small", "payload": "/SetSlots(size=small)"}
    assert "assistant_id: corner_cafe" in demo.config_yaml


@pytest.mark.django_db
def test_seed_is_idempotent():
    run("seed_demo")
    output = run("seed_demo")
    assert "already present" in output
    assert Assistant.objects.filter(slug="corner-cafe").count() == 1
    assert Flow.objects.filter(assistant__slug="corner-cafe").count() == 4


@pytest.mark.django_db
def test_ensure_admin_prints_how_to_log_in(monkeypatch):
    monkeypatch.delenv("STUDIO_ADMIN_PASSWORD", raising=False)
    output = run("ensure_admin")
    assert "open http://127.0.0.1:8000/ and log in with username admin and password admin" in output
    assert "(you will be asked to change it when you log in)" in output
    assert get_user_model().objects.get(username="admin").check_password("admin")


@pytest.mark.django_db
def test_ensure_admin_uses_the_password_from_the_environment_and_keeps_it(monkeypatch):
    monkeypatch.setenv("STUDIO_ADMIN_PASSWORD", "s3cret-pass")
    assert "password the value of STUDIO_ADMIN_PASSWORD" in run("ensure_admin")
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("changed-later")
    admin.save()
    run("ensure_admin")
    admin.refresh_from_db()
    assert admin.check_password("changed-later")


@pytest.mark.django_db
def test_ensure_admin_after_the_password_was_changed_does_not_print_the_default(monkeypatch):
    monkeypatch.delenv("STUDIO_ADMIN_PASSWORD", raising=False)
    run("ensure_admin")
    assert "password admin (you will be asked" in run("ensure_admin")  # still the default
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("a much better secret 42")
    admin.save()
    output = run("ensure_admin")
    assert "log in with username admin and password the one you chose" in output
    assert "password admin" not in output
