"""`make fuzz`: schemathesis against a real studio's /api/openapi.json, as each role on the demo assistant.

Starts uvicorn (or targets FUZZ_URL) on DATABASE_URL, default a throwaway SQLite file (the demo assistant
there is deleted and reloaded before each role). Per role, every operation but the assistant's own
deletion runs first, then that one, so an owner deleting the demo cannot empty the rest of the run.
FUZZ_EXAMPLES (default 200) examples per operation; FUZZ_ROLES (default owner,designer,writer,viewer).
The only check is `not_a_server_error`: exits 1 when any operation answered 500, printing the request
(schemathesis' curl line) and the server log's error.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import live  # noqa: E402

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 200))
ROLES = [r for r in os.environ.get("FUZZ_ROLES", ",".join(live.ROLES)).split(",") if r]
ASSISTANT_DELETE = "studio_assistants_api_assistant_delete"


def schemathesis(url: str, cookies: dict, path_values: dict, *filters: str) -> int:
    command = [str(Path(sys.executable).parent / "schemathesis"), "run", f"{url}/api/openapi.json",
               "--checks", "not_a_server_error", "--max-examples", str(EXAMPLES), "--request-timeout", "30",
               "--suppress-health-check", "all", "--warnings", "off",
               "-H", "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()),
               "-H", f"X-CSRFToken: {cookies['csrftoken']}", *filters]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.api_fuzz", "FUZZ_PATH_VALUES": json.dumps(path_values),
           "PYTHONPATH": str(live.ROOT)}
    # From var/ (git-ignored): schemathesis keeps its cache of crashes to replay in the working directory.
    return subprocess.run(command, cwd=live.ROOT / "var", env=env).returncode


def fuzz_role(url: str, role: str) -> int:
    from django.db import connections

    demo, users = live.seed(prefix="fuzz", fresh=True)
    cookies = live.session_cookies(users[role])
    path_values = {"slug": [demo.slug], "flow_id": list(demo.flows.values_list("flow_id", flat=True)),
                   "username": [user.get_username() for user in users.values()]}
    connections.close_all()  # SQLite: release the file before the server writes to it
    print(f"== {role}: every operation but the assistant's deletion", flush=True)
    failed = schemathesis(url, cookies, path_values, "--exclude-operation-id", ASSISTANT_DELETE)
    print(f"== {role}: deleting the assistant", flush=True)
    failed |= schemathesis(url, cookies, path_values, "--include-operation-id", ASSISTANT_DELETE)
    return failed


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="fuzz-api-") as tmp:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/fuzz.sqlite3")
        live.postgres_database_ensure(os.environ["DATABASE_URL"])
        live.django_setup()
        live.seed(prefix="fuzz")  # the server must find migrated tables
        with live.serve(target_variable="FUZZ_URL", log=live.ROOT / "var" / "fuzz-uvicorn.log") as server:
            failed = [role for role in ROLES if fuzz_role(server.url, role)]
            errors = live.server_errors(server.log, limit=30)
        for line in errors:
            print(f"server log: {line}")
    print(f"fuzz: {'500s found as ' + ', '.join(failed) if failed else 'no 500 for ' + ', '.join(ROLES)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
