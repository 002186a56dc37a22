"""E2E runner benchmark: 100 test cases (the Rasa-recorded e2e files, round robin) through
`engine.e2e`, as `python -m engine test` runs them. Prints figures; never fails on timing.

Target (issue 13): 100 e2e tests through the runner in at most 2 s.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine import load_project  # noqa: E402
from engine.e2e import load_test_cases, run_test_cases  # noqa: E402

TESTS = ROOT / "tests" / "engine"
ASSISTANTS = ["library_desk", "pizza_shop", "utility_account"]
CASES = 100


def main() -> int:
    started = time.perf_counter()
    suites = []
    for name in ASSISTANTS:
        assistant = load_project(TESTS / "conformance" / name / "project", strict=False)
        suites.append((assistant, load_test_cases([TESTS / "e2e_data" / f"{name}.yml"])))
    loaded = time.perf_counter()
    picked = []  # round robin over the three files until CASES test cases
    while len(picked) < CASES:
        for assistant, cases in suites:
            index = len(picked) // len(suites)
            if len(picked) < CASES:
                picked.append((assistant, cases[index % len(cases)]))
    turns = sum(sum(1 for s in case.steps if s.kind == "user") for _, case in picked)
    run_start = time.perf_counter()
    results = [result for assistant, case in picked for result in run_test_cases(assistant, [case])]
    finished = time.perf_counter()
    passed = sum(1 for r in results if r.passed)
    print(f"loading 3 projects and their e2e files: {(loaded - started) * 1000:.0f} ms")
    print(f"running {len(results)} test cases ({turns} user turns): {(finished - run_start) * 1000:.0f} ms "
          f"({(finished - run_start) * 1000 / len(results):.1f} ms per test case)")
    print(f"total: {(finished - started) * 1000:.0f} ms (target <= 2000 ms); passed: {passed}/{len(results)}")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
