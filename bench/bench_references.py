"""Usages index timings on a generated 30-flow project with rules, stories, e2e tests and action code:
usages of a slot, a rename previewed and applied, a delete-with-references previewed, the flow list's
usage counts. Prints `name: value unit` lines; a throw-away SQLite database unless DATABASE_URL is set.
"""

from __future__ import annotations

import sys
import time

import bench_exchange  # noqa: F401  (sets up Django and the throw-away database first)
from bench_exchange import _Rollback, _timed, generate
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from studio.editor.selectors import flow_usages
from studio.exchange import renames, services
from studio.exchange.usage_index import item_usages, usage_project


def _with_training_data(n_flows: int) -> dict[str, bytes]:
    raw = generate(n_flows)
    rules = "".join(f"  - rule: r{i}\n    steps:\n      - intent: greet\n      - action: utter_done_{i}\n"
                    for i in range(n_flows))
    raw["data/rules.yml"] = f'version: "3.1"\nrules:\n{rules}'.encode()
    cases = "".join(f"  - test_case: t{i}\n    steps:\n      - user: \"/SetSlots(slot_{i}=x)\"\n"
                    f"      - utter: utter_done_{i}\n" for i in range(n_flows))
    raw["tests/e2e.yml"] = f"test_cases:\n{cases}".encode()
    raw["actions/actions.py"] = "".join(f'# uses slot_{i} and utter_done_{i}\n' for i in range(n_flows)).encode()
    return raw


def main() -> int:
    call_command("migrate", verbosity=0, interactive=False)
    raw = _with_training_data(30)
    try:
        with transaction.atomic():
            user = get_user_model().objects.create(username="bench-references")
            assistant = services.assistant_import(user=user, source=raw, name="references").assistant
            found, t_usages = _timed(lambda: item_usages(assistant, "slots", "slot_7"))
            _, t_preview = _timed(lambda: renames.assistant_item_rename(
                user=user, assistant=assistant, kind="slots", old="slot_7", new="slot_seven", dry_run=True))
            done, t_rename = _timed(lambda: renames.assistant_item_rename(
                user=user, assistant=assistant, kind="slots", old="slot_7", new="slot_seven"))
            _, t_delete = _timed(lambda: renames.assistant_item_delete(
                user=user, assistant=assistant, kind="responses", name="utter_done_3", remove_references=True,
                dry_run=True))
            start = time.perf_counter()
            index = usage_project(assistant)
            for n in range(30):
                flow_usages(assistant, f"flow_{n}", index)
            t_list = time.perf_counter() - start
            raise _Rollback
    except _Rollback:
        pass
    print(f"references_30_flows_usages_of_a_slot: {t_usages * 1000:.1f} ms ({len(found)} usages)")
    print(f"references_30_flows_rename_preview: {t_preview * 1000:.1f} ms")
    print(f"references_30_flows_rename_apply: {t_rename * 1000:.1f} ms ({done.changed} rows and files)")
    print(f"references_30_flows_delete_with_references_preview: {t_delete * 1000:.1f} ms")
    print(f"references_30_flows_flow_list_usage_counts: {t_list * 1000:.1f} ms (30 flows, one index)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
