"""Try-it's draft build: what the first turn after an edit costs on a 100-flow assistant.

A try-it conversation runs the current content; after any edit the next turn rebuilds it once
(studio/tryit/runtime.py): read the content (assistant_snapshot), build the engine assistant, then
the command generator on first use. Each round edits a response (which bumps the content
revision), then builds. Runs on a throwaway SQLite database; prints figures, asserts nothing.

    .venv/bin/python bench/bench_tryit_draft.py [--flows 100] [--rounds 15]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
_tmp = tempfile.TemporaryDirectory(prefix="bench-draft-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp.name}/bench.sqlite3")

import live  # noqa: E402

live.django_setup()

from studio.assistants import services as content  # noqa: E402
from studio.assistants.engine_adapter import assistant_snapshot, snapshot_built  # noqa: E402
from studio.assistants.models import Response  # noqa: E402
from studio.tryit import runtime  # noqa: E402


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    return f"p50 {statistics.median(ordered):.0f} ms, max {ordered[-1]:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    _, users = live.seed(prefix="bench-draft")
    assistant = live.seed_many_flows(users, flow_count=args.flows)
    owner = users["owner"]
    response = Response.objects.filter(assistant=assistant).order_by("id").first()
    snapshot_ms, engine_ms, draft_ms, generator_ms, reused_ms = [], [], [], [], []
    for round_number in range(args.rounds + 1):  # round 0 warms imports and caches up; not counted
        response = content.response_save(user=owner, assistant=assistant, name=response.name,
                                         revision=response.revision, variations=[{"text": f"Edit {round_number}"}])
        assistant.refresh_from_db()
        start = time.perf_counter()
        snapshot, _ = assistant_snapshot(assistant)
        read = time.perf_counter()
        snapshot_built(snapshot)
        built = time.perf_counter()
        source = runtime.source_for(assistant)
        start_draft = time.perf_counter()
        draft = runtime.runtime_for(assistant, source)
        drafted = time.perf_counter()
        draft.generator(assistant)
        generated = time.perf_counter()
        runtime.runtime_for(assistant, runtime.source_for(assistant))
        reused = time.perf_counter()
        if round_number:
            snapshot_ms.append((read - start) * 1000)
            engine_ms.append((built - read) * 1000)
            draft_ms.append((drafted - start_draft) * 1000)
            generator_ms.append((generated - drafted) * 1000)
            reused_ms.append((reused - generated) * 1000)
    print(f"assistant: {args.flows} flows (bench_engine's generator), {args.rounds} edits, each followed by a build")
    print(f"draft build after an edit (runtime_for: read content + build engine): {_ms(draft_ms)} (target <= 300 ms)")
    print(f"  of which reading the content (assistant_snapshot): {_ms(snapshot_ms)}")
    print(f"  of which building the engine assistant (snapshot_built): {_ms(engine_ms)}")
    print(f"offline command generator on the first turn after the build: {_ms(generator_ms)}")
    print(f"draft build + generator (the first turn's extra cost): "
          f"p50 {statistics.median([d + g for d, g in zip(draft_ms, generator_ms)]):.0f} ms")
    print(f"unchanged content, cached draft (source_for + runtime_for): {_ms(reused_ms)}")


if __name__ == "__main__":
    main()
