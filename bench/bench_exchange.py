"""Import + export timings for generated Rasa Pro projects (targets: 20 and 30 flows <= 1 s, 500 flows <= 5 s),
and a one-step insert written back (target: the write of that file <= 50 ms).

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
from studio.assistants.models import Flow  # noqa: E402
from studio.assistants.services import flow_save  # noqa: E402
from studio.exchange import rows  # noqa: E402
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


def _insert_one_step(user, assistant) -> None:
    flow = Flow.objects.get(assistant=assistant, flow_id="flow_5")
    body = flow.to_rasa()
    body["steps"].insert(1, {"id": "extra_5", "action": "utter_done_5"})
    flow_save(user=user, assistant=assistant, flow_id="flow_5", data=body, revision=flow.revision)


def bench_step_insert(n_flows: int, target_ms: float) -> None:
    """One step inserted in one flow, then the export: the whole export, and the write of that one file."""
    raw = generate(n_flows)
    path = "data/flows/part_000.yml"
    try:
        with transaction.atomic():
            user = get_user_model().objects.create(username=f"bench-insert-{n_flows}")
            assistant = services.assistant_import(user=user, source=raw, name=f"insert {n_flows}").assistant
            _insert_one_step(user, assistant)
            out, t_export = _timed(lambda: services.assistant_export(user=user, assistant=assistant))
            files = files_from_mapping(rows.source_files(assistant), rows.source_kinds(assistant))
            content, original = rows.content_from_db(assistant), rows.imported_content(assistant)
            runs = []
            for _ in range(5):
                _, seconds = _timed(lambda: write_project(files, content, original=original))
                runs.append(seconds)
            changed = sorted(p for p in out if out[p] != raw.get(p))
            assert changed == [path], changed
            added = len(out[path].decode().splitlines()) - len(raw[path].decode().splitlines())
            raise _Rollback
    except _Rollback:
        pass
    print(f"exchange_{n_flows}_flows_step_insert_export: {t_export * 1000:.1f} ms (whole export, database included)")
    print(f"exchange_{n_flows}_flows_step_insert_write: {min(runs) * 1000:.1f} ms "
          f"(write_project, best of 5; target <= {target_ms:g} ms; {path} +{added} lines, no other file changed)")


def main() -> int:
    call_command("migrate", verbosity=0, interactive=False)
    bench(20, 1.0)
    bench(30, 1.0)
    bench(500, 5.0)
    bench_step_insert(30, 50.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
