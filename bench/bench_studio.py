"""Studio request and build timings on a throwaway database (figures only; nothing is asserted).

Prints `name: value unit (target ...)` lines, like every bench script.
"""
from __future__ import annotations

import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
_tmp = tempfile.TemporaryDirectory(prefix="bench-studio-")
# Never touch the developer's database: SQLite in a temp dir unless DATABASE_URL says otherwise.
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp.name}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from studio.accounts.services import admin_ensure  # noqa: E402
from studio.assistants.demo import demo_assistant_load  # noqa: E402
from studio.training.build import version_build_run  # noqa: E402
from studio.training.models import AssistantVersion  # noqa: E402

ROUNDS = 50


def timed_ms(fn, rounds: int = ROUNDS) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    if not os.environ["DATABASE_URL"].startswith("sqlite:///" + _tmp.name):
        print(f"note: using DATABASE_URL={settings.DATABASES['default']['NAME']}")
    setup_test_environment()
    call_command("migrate", verbosity=0)
    admin, _ = admin_ensure()

    start = time.perf_counter()
    demo, _ = demo_assistant_load(user=admin)
    print(f"seed_demo_load: {(time.perf_counter() - start) * 1000:.1f} ms (target < 500 ms)")

    # Logged in with the default password, the admin would be sent to choose one before any page.
    admin.set_password(secrets.token_urlsafe(16))
    admin.save(update_fields=["password"])
    client = Client()
    client.force_login(admin)
    pages = {
        "dashboard_get": "/",
        "overview_get": f"/assistants/{demo.slug}/",
        "api_flow_list_get": f"/api/assistants/{demo.slug}/flows",
        "api_flow_get": f"/api/assistants/{demo.slug}/flows/order_drink",
        "health_get": "/health",
    }
    for name, url in pages.items():
        assert client.get(url).status_code == 200, url
        print(f"{name}_p50: {timed_ms(lambda url=url: client.get(url)):.2f} ms (target < 50 ms)")

    def build() -> None:
        number = AssistantVersion.objects.filter(assistant=demo).count() + 1
        version = AssistantVersion.objects.create(assistant=demo, number=number, created_by=admin)
        version_build_run(version.pk)

    print(f"version_build_p50: {timed_ms(build, rounds=10):.1f} ms (target < 500 ms)")


if __name__ == "__main__":
    main()
