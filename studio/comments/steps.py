"""Which step became which when a flow is saved: lets a thread follow its step when the step's id changes.

Steps without an explicit id are numbered by position (`transfer_0_collect_amount`), so inserting a
step, renaming the flow or changing a collect's slot changes ids of steps nobody edited.
"""
from __future__ import annotations

import json
from difflib import SequenceMatcher
from typing import Any, NamedTuple

from studio.exchange.yamlproject.checks import step_type
from studio.exchange.yamlproject.content_usages import flow_steps


class _Step(NamedTuple):
    id: str
    explicit: bool
    kind: str | None
    signature: str  # the step's own content: what it does, not where it sits or jumps


def _steps(flow_id: str, steps: Any) -> list[_Step]:
    out = []
    for step, _seq, sid in flow_steps(flow_id, steps):
        own = {k: v for k, v in step.items() if k not in ("id", "next")}
        out.append(_Step(sid, "id" in step, step_type(step), json.dumps(own, sort_keys=True, default=str)))
    return out


def step_ids(flow_id: str, steps: Any) -> set[str]:
    return {step.id for step in _steps(flow_id, steps)}


def follow_step_ids(old_flow_id: str, old_steps: Any, new_flow_id: str, new_steps: Any) -> dict[str, str]:
    """{old id: new id} for each step that is still there under another id.

    A kept explicit id is the same step. Otherwise steps are aligned in order by content (so an inserted
    or removed step shifts the others correctly); a step edited in place pairs with the step of the same
    kind at the same place in the alignment.
    """
    old, new = _steps(old_flow_id, old_steps), _steps(new_flow_id, new_steps)
    new_explicit = {s.id for s in new if s.explicit}
    pairs: dict[str, str] = {s.id: s.id for s in old if s.explicit and s.id in new_explicit}
    claimed = set(pairs.values())

    def pair(a: _Step, b: _Step) -> None:
        if a.id not in pairs and b.id not in claimed and a.kind == b.kind:
            pairs[a.id] = b.id
            claimed.add(b.id)

    matcher = SequenceMatcher(None, [s.signature for s in old], [s.signature for s in new], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("equal", "replace"):
            for a, b in zip(old[i1:i2], new[j1:j2]):
                pair(a, b)
    return {a: b for a, b in pairs.items() if a != b}
