"""A web process holds only what serving needs: the LLM SDK, the HTTP client for action servers
and numpy (the offline generator's vectors) are imported when first used, not at start-up."""
import os
import subprocess
import sys

from tests.servers import ROOT

ON_FIRST_USE = ("openai", "httpx", "numpy")

STARTUP = """
import sys
import django
django.setup()
import studio.asgi
from django.urls import get_resolver
get_resolver().url_patterns
print(" ".join(name for name in {names!r} if name in sys.modules))
"""


def test_starting_the_web_app_imports_no_llm_sdk_http_client_or_numpy(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="studio.settings", DATABASE_URL=f"sqlite:///{tmp_path}/studio.sqlite3")
    result = subprocess.run([sys.executable, "-c", STARTUP.format(names=ON_FIRST_USE)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == []
