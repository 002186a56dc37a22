"""Tests from flow paths on a generated 100-flow assistant: how long generating every branch takes,
and running what was generated through the engine's e2e runner (with step coverage), as the studio's
test run does. Prints figures; never fails on timing.

    .venv/bin/python bench/bench_e2e_generate.py [--flows 100]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine import Assistant  # noqa: E402
from engine.e2e import load_test_cases, run_test_cases  # noqa: E402
from engine.e2e.coverage import flow_coverage  # noqa: E402
from studio.e2etests.generate import generate_path_tests, tests_text  # noqa: E402


def generated_project(n_flows: int) -> Assistant:
    """Flows with a categorical and a bool collect and an if/else on the bool, each with its responses."""
    flows, slots, responses = {}, {}, {}
    for i in range(n_flows):
        fid = f"task_{i:03d}"
        flows[fid] = {"name": f"task number {i}", "description": f"Handle task number {i} for the user.",
                      "steps": [{"collect": f"{fid}_kind"},
                                {"collect": f"{fid}_confirm", "ask_before_filling": True,
                                 "next": [{"if": f"slots.{fid}_confirm", "then": [{"action": f"utter_{fid}_done", "next": "END"}]},
                                          {"else": [{"action": f"utter_{fid}_cancelled", "next": "END"}]}]}]}
        slots[f"{fid}_kind"] = {"type": "categorical", "values": ["basic", "premium"], "mappings": [{"type": "from_llm"}]}
        slots[f"{fid}_confirm"] = {"type": "bool", "mappings": [{"type": "from_llm"}]}
        for name in ("kind", "confirm"):
            responses[f"utter_ask_{fid}_{name}"] = [{"text": f"{name}?"}]
        responses[f"utter_{fid}_done"] = [{"text": "done"}]
        responses[f"utter_{fid}_cancelled"] = [{"text": "cancelled"}]
    return Assistant.from_dicts(config={"recipe": "default.v1", "pipeline": [{"name": "CompactLLMCommandGenerator"}]},
                                domain={"slots": slots, "responses": responses}, flows=flows, strict=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--flows", type=int, default=100)
    args = parser.parse_args()
    assistant = generated_project(args.flows)
    started = time.perf_counter()
    generated = generate_path_tests(assistant)
    made = time.perf_counter()
    path = Path("/tmp") / f"flowstudio-bench-e2e-{args.flows}.yml"
    path.write_text(tests_text(generated.to_data()), encoding="utf-8")
    cases = load_test_cases([path])
    loaded = time.perf_counter()
    results = run_test_cases(assistant, cases)
    ran = time.perf_counter()
    reached = set().union(*(r.reached for r in results))
    coverage = flow_coverage(assistant, reached)
    steps = sum(len(c["steps"]) for c in coverage.values())
    hit = sum(len(c["reached"]) for c in coverage.values())
    print(f"{args.flows} flows: generated {len(generated.cases)} test cases in {(made - started) * 1000:.0f} ms")
    print(f"read the file back: {(loaded - made) * 1000:.0f} ms")
    print(f"ran {len(results)} cases in {(ran - loaded) * 1000:.0f} ms "
          f"({(ran - loaded) * 1000 / max(len(results), 1):.1f} ms per case); "
          f"passed: {sum(r.passed for r in results)}/{len(results)}; steps reached: {hit}/{steps}")


if __name__ == "__main__":
    main()
