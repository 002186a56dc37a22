"""Import + export timings for generated Rasa Pro projects (targets: 20 flows <= 1 s, 500 flows <= 5 s).

Runs against a throw-away SQLite database unless DATABASE_URL is set (then inside a
rolled-back transaction), and prints `name: value unit (target ...)` lines.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
_TMP = tempfile.mkdtemp(prefix="bench-exchange-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_TMP}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from engine.safe_input import check_yaml  # noqa: E402
from studio.exchange import services  # noqa: E402
from studio.exchange.yamlproject import parse_project, files_from_mapping, write_project  # noqa: E402

FLOWS_PER_FILE = 10


def _flow(i: int) -> str:
    return f"""\
  flow_{i}:
    name: flow number {i}
    description: Handle request number {i} for the user.
    steps:
      - id: ask_{i}
        collect: slot_{i}
        description: value {i}
      - id: check_{i}
        noop: true
        next:
          - if: slots.slot_{i} = "again"
            then: ask_{i}        # a loop back
          - else: say_{i}
      - id: say_{i}
        action: utter_done_{i}
"""


def _domain(indices: range) -> str:
    slots = "".join(f"  slot_{i}:\n    type: text\n    mappings:\n      - type: from_llm\n" for i in indices)
    responses = "".join(
        f"  utter_ask_slot_{i}:\n    - text: \"Value {i}?\"\n  utter_done_{i}:\n    - text: \"Done {i}: {{slot_{i}}}\"\n"
        for i in indices)
    return f'version: "3.1"\n# generated\nslots:\n{slots}responses:\n{responses}'


def generate(n_flows: int) -> dict[str, bytes]:
    files = {
        "config.yml": b"recipe: default.v1\nlanguage: en\nassistant_id: bench\npipeline:\n"
                      b"  - name: CompactLLMCommandGenerator\npolicies:\n  - name: FlowPolicy\n",
        "endpoints.yml": b"action_endpoint:\n  actions_module: actions\n",
    }
    for start in range(0, n_flows, FLOWS_PER_FILE):
        indices = range(start, min(start + FLOWS_PER_FILE, n_flows))
        body = "# generated flows\nflows:\n" + "".join(_flow(i) for i in indices)
        files[f"data/flows/part_{start // FLOWS_PER_FILE:03d}.yml"] = body.encode()
        files[f"domain/part_{start // FLOWS_PER_FILE:03d}.yml"] = _domain(indices).encode()
    return files


class _Rollback(Exception):
    pass


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def bench(n_flows: int, target: float) -> None:
    raw = generate(n_flows)
    parsed, t_parse = _timed(lambda: parse_project(files_from_mapping(raw)))
    assert parsed.ok, parsed.problems[:3]
    texts = [data.decode() for path, data in raw.items() if path.endswith(".yml")]
    _, t_limits = _timed(lambda: [check_yaml(text) for text in texts])
    _, t_write = _timed(lambda: write_project(parsed.files, parsed.content))
    try:
        # Everything, the acting user included, is rolled back: the bench leaves no rows behind.
        with transaction.atomic():
            user = get_user_model().objects.create(username=f"bench-exchange-{n_flows}")
            result, t_import = _timed(lambda: services.assistant_import(user=user, source=raw, name=f"bench {n_flows}"))
            out, t_export = _timed(lambda: services.assistant_export(user=user, assistant=result.assistant))
            assert out == raw, "export differs from the generated project"
            raise _Rollback
    except _Rollback:
        pass
    total = t_import + t_export
    print(f"exchange_{n_flows}_flows_parse_and_check: {t_parse:.3f} s (no database)")
    print(f"exchange_{n_flows}_flows_yaml_limit_checks: {t_limits:.3f} s (part of parse_and_check)")
    print(f"exchange_{n_flows}_flows_write_back: {t_write:.3f} s (no database)")
    print(f"exchange_{n_flows}_flows_import: {t_import:.3f} s")
    print(f"exchange_{n_flows}_flows_export: {t_export:.3f} s")
    print(f"exchange_{n_flows}_flows_import_plus_export: {total:.3f} s (target <= {target:g} s)")


def main() -> int:
    call_command("migrate", verbosity=0, interactive=False)
    bench(20, 1.0)
    bench(500, 5.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
