"""Schemathesis hooks shared by the suite's API fuzz test and `make fuzz` (bench/fuzz_api.py).

Random slugs and ids only ever reach the 404 branch, so path parameters are drawn mostly from the
objects that really exist (the demo assistant, its flows, its members) and sometimes left as generated.
`make fuzz` passes those names in FUZZ_PATH_VALUES (JSON); the suite calls `aim_at`.
"""
from __future__ import annotations

import json
import os

import schemathesis
from hypothesis import strategies as st

KNOWN_PATH_VALUES: dict[str, list[str]] = json.loads(os.environ.get("FUZZ_PATH_VALUES") or "{}")


def aim_at(values: dict[str, list[str]]) -> None:
    KNOWN_PATH_VALUES.clear()
    KNOWN_PATH_VALUES.update(values)


@schemathesis.hook
def flatmap_path_parameters(context, path_parameters):
    strategies = {}
    for name, generated in (path_parameters or {}).items():
        known = KNOWN_PATH_VALUES.get(name)
        strategies[name] = st.sampled_from(known) | st.just(generated) if known else st.just(generated)
    return st.fixed_dictionaries(strategies) if path_parameters is not None else st.none()
