"""Import a Rasa project into the studio, edit it through the services, export, ask Rasa (developer tool).

    .venv/bin/python tools/rasa_oracle/roundtrip.py PROJECT_DIR [--rasa-python PY] [--keep DIR] [--only NAME]

Runs in the studio's venv on a throwaway SQLite database (a temp file; refuses to run with
DATABASE_URL set, so it never touches a real database). Each scripted edit starts from a fresh
import of PROJECT_DIR, goes through the same services the pages and the API call, and is exported;
the export is judged by Rasa Pro's own validator (tools/rasa_oracle/validate.py, run with
--rasa-python, default /tmp/rasa-venv/bin/python) and compared with PROJECT_DIR byte for byte.
"Untouched" files are those the edit had no business changing: anything but the edited flow's
file, the files a rename/delete lists in its preview, and the files holding newly added items.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
VALIDATE = Path(__file__).with_name("validate.py")
NEW = "rt_new"  # prefix of every item the "add" edit creates


def _django_setup(db_dir: str) -> None:
    if os.environ.get("DATABASE_URL"):
        raise SystemExit("roundtrip.py uses a throwaway SQLite database: unset DATABASE_URL")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = str(Path(db_dir) / "roundtrip.sqlite3")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


# ---- what the edits act on -------------------------------------------------------------------

@dataclass
class Target:
    """The items of one imported assistant the scripted edits pick from."""

    assistant: object
    user: object
    content: object  # ProjectContent from the database

    def user_flows(self) -> list:
        items = self.content.of("flows").values()
        return [i for i in sorted(items, key=lambda i: (i.source_path, i.position)) if not i.name.startswith("pattern_")]

    def used_responses(self) -> list[str]:
        names = self.content.of("responses")
        used = [s.get("action") for f in self.user_flows() for s in f.body.get("steps", []) if isinstance(s, dict)]
        return [n for n in dict.fromkeys(used) if n in names and not n.startswith("utter_ask_")]

    def collected_slots(self) -> list[str]:
        slots = self.content.of("slots")
        used = [s.get("collect") for f in self.user_flows() for s in f.body.get("steps", []) if isinstance(s, dict)]
        return [n for n in dict.fromkeys(used) if n in slots]

    def referenced_flows(self) -> list[str]:
        steps = [s for f in self.content.of("flows").values() for s in f.body.get("steps", []) if isinstance(s, dict)]
        flows = self.content.of("flows")
        return [n for n in dict.fromkeys(s.get("call") or s.get("link") for s in steps) if n in flows]


@dataclass
class Outcome:
    edit: str
    detail: str = ""
    error: str = ""
    touched: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)  # lines naming these may change in touched files
    deleted: set[tuple[str, str]] = field(default_factory=set)  # (file, item): the item's own lines may go
    old_names: set[str] = field(default_factory=set)  # renamed away: must be gone from every YAML file

    def merge(self, other: "Outcome") -> "Outcome":
        """This outcome followed by `other` (the combined run)."""
        join = lambda a, b: "; ".join(x for x in (a, b) if x)  # noqa: E731
        return Outcome(join(self.edit, other.edit), join(self.detail, other.detail), join(self.error, other.error),
                       self.touched | other.touched, self.names | other.names, self.deleted | other.deleted,
                       self.old_names | other.old_names)


def _flow_row(t: Target, flow_id: str):
    from studio.assistants.models import Flow

    return Flow.objects.get(assistant=t.assistant, flow_id=flow_id)


def _plain_step(step) -> bool:
    return isinstance(step, dict) and "id" not in step and "next" not in step


# ---- the scripted edits ----------------------------------------------------------------------

def edit_insert_step(t: Target) -> Outcome:
    from studio.assistants import services

    response = t.used_responses()[0]
    flow = next(f for f in t.user_flows() if f.body.get("steps") and _plain_step(f.body["steps"][0]))
    row = _flow_row(t, flow.name)
    body = row.to_rasa()
    body["steps"] = [body["steps"][0], {"action": response}, *body["steps"][1:]]
    services.flow_save(user=t.user, assistant=t.assistant, flow_id=flow.name, data=body, revision=row.revision)
    return Outcome("insert step", f"`action: {response}` as step 2 of {flow.name}", touched={flow.source_path})


def _deletable_step(flow) -> int | None:
    """A step no `next` names or jumps over: no id, no next, after a step without next (actions first)."""
    steps = flow.body.get("steps", [])
    plain = [i for i in range(len(steps) - 1, 0, -1) if _plain_step(steps[i]) and _plain_step(steps[i - 1])]
    return next((i for i in plain if "action" in steps[i]), plain[0] if plain else None)


def edit_delete_step(t: Target) -> Outcome:
    from studio.assistants import services

    flow = next((f for f in reversed(t.user_flows()) if _deletable_step(f) is not None), None)
    if flow is None:
        raise LookupError("no user flow has a step that can go without touching a `next`")
    index = _deletable_step(flow)
    row = _flow_row(t, flow.name)
    body = row.to_rasa()
    removed = body["steps"].pop(index)
    services.flow_save(user=t.user, assistant=t.assistant, flow_id=flow.name, data=body, revision=row.revision)
    return Outcome("delete step", f"step {index + 1} ({removed}) of {flow.name}", touched={flow.source_path},
                   names={str(v) for v in removed.values()})


def _rename(t: Target, kind: str, old: str) -> Outcome:
    from studio.exchange.renames import assistant_item_rename

    new = f"{old}_renamed"
    result = assistant_item_rename(user=t.user, assistant=t.assistant, kind=kind, old=old, new=new)
    places = [f"{u.as_dict()['file']}:{u.as_dict()['line']}" for u in result.code]
    code = f"; python still names it at {', '.join(places)}" if places else ""
    return Outcome(f"rename {kind[:-1]}", f"{old} -> {new} ({result.changed} written{code})",
                   touched={c.path for c in result.changes if c.path}, names={old}, old_names={old})


def edit_rename_slot(t: Target) -> Outcome:
    return _rename(t, "slots", t.collected_slots()[0])


def edit_rename_response(t: Target) -> Outcome:
    return _rename(t, "responses", t.used_responses()[0])


def edit_rename_flow(t: Target) -> Outcome:
    referenced = t.referenced_flows()
    return _rename(t, "flows", referenced[0] if referenced else t.user_flows()[0].name)


def edit_add_items(t: Target) -> Outcome:
    from studio.assistants import services

    kw = {"user": t.user, "assistant": t.assistant}
    services.slot_save(**kw, name=f"{NEW}_slot", data={"type": "text", "mappings": [{"type": "from_llm"}]},
                       revision=None)
    services.response_save(**kw, name=f"utter_ask_{NEW}_slot", variations=[{"text": "What is it?"}], revision=None)
    services.response_save(**kw, name=f"utter_{NEW}_done", variations=[{"text": "Noted: {" + NEW + "_slot}"}],
                           revision=None)
    services.flow_create(**kw, flow_id=f"{NEW}_flow", data={
        "description": "Note something the user tells us.",
        "steps": [{"collect": f"{NEW}_slot"}, {"action": f"utter_{NEW}_done"}]})
    return Outcome("add slot+responses+flow", f"{NEW}_slot, utter_ask_{NEW}_slot, utter_{NEW}_done, {NEW}_flow")


def edit_delete_referenced(t: Target) -> Outcome:
    from studio.exchange.renames import assistant_item_delete

    referenced = t.referenced_flows()
    kind, name = ("flows", referenced[0]) if referenced else ("responses", t.used_responses()[-1])
    home = t.content.of(kind)[name].source_path
    result = assistant_item_delete(user=t.user, assistant=t.assistant, kind=kind, name=name, remove_references=True)
    return Outcome(f"delete referenced {kind[:-1]}", f"{name} with its references ({result.changed} written)",
                   touched={c.path for c in result.changes if c.path}, names={name},
                   deleted={(home, name), (home, name.removesuffix("_renamed"))})  # as named in the original


EDITS: dict[str, Callable[[Target], Outcome]] = {
    "none": lambda t: Outcome("no edit"),
    "insert_step": edit_insert_step,
    "delete_step": edit_delete_step,
    "rename_slot": edit_rename_slot,
    "rename_response": edit_rename_response,
    "rename_flow": edit_rename_flow,
    "add_items": edit_add_items,
    "delete_referenced": edit_delete_referenced,
}


# ---- import, export, compare, judge ----------------------------------------------------------

def _read_tree(root: Path) -> dict[str, bytes]:
    skip = {".rasa", "__pycache__"}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not skip & set(p.relative_to(root).parts)}


def _comments(data: bytes) -> list[str]:
    return [line.strip() for line in data.decode("utf-8", "replace").splitlines() if line.strip().startswith("#")]


def _block(lines: list[str], key: str) -> set[str]:
    """The lines of the mapping entry `key:` (a flow or a domain item), as they were in the file."""
    for start, line in enumerate(lines):
        if line.strip() in (f"{key}:", f"'{key}':", f'"{key}":'):
            indent = len(line) - len(line.lstrip())
            end = next((i for i in range(start + 1, len(lines))
                        if lines[i].strip() and len(lines[i]) - len(lines[i].lstrip()) <= indent), len(lines))
            return set(lines[start:end])
    return set()


def _other_lines(before: bytes, after: bytes, names: set[str], deleted: set[str]) -> list[str]:
    """Lines of `before` gone from `after` that name none of the edited items nor belong to a deleted one."""
    old, new = before.decode("utf-8", "replace").splitlines(), after.decode("utf-8", "replace").splitlines()
    own = set().union(*(_block(old, key) for key in deleted))
    gone = [line[2:] for line in difflib.ndiff(old, new) if line.startswith("- ")]
    return [line for line in gone if line not in own and line.strip() and not any(n in line for n in names)]


def _compare(original: dict[str, bytes], exported: dict[str, bytes], outcome: Outcome) -> dict:
    changed = sorted(p for p in original.keys() & exported.keys() if original[p] != exported[p])
    added, removed = sorted(exported.keys() - original.keys()), sorted(original.keys() - exported.keys())
    new_homes = {p for p in exported if NEW.encode() in exported[p] and p not in added}
    expected = outcome.touched | new_homes
    return {
        "changed": changed, "added": added, "removed": removed,
        "untouched_changed": [p for p in changed if p not in expected],
        # e.g. `True` rewritten as `true` in an item the edit did not touch
        "other_lines_changed": {p: lines[:6] for p in changed if (lines := _other_lines(
            original[p], exported[p], outcome.names, {n for f, n in outcome.deleted if f == p}))},
        "comments_lost": {p: sorted(set(_comments(original[p])) - set(_comments(exported[p])))
                          for p in changed if set(_comments(original[p])) - set(_comments(exported[p]))},
    }


def _old_name_left(outcome: Outcome, exported: dict[str, bytes]) -> dict[str, list[str]]:
    left = {}
    for old in sorted(outcome.old_names):
        word = re.compile(rb"(?<![\w])" + re.escape(old.encode()) + rb"(?![\w])")
        if files := [p for p, data in exported.items() if p.endswith((".yml", ".yaml")) and word.search(data)]:
            left[old] = files
    return left


def _rasa_verdict(rasa_python: str, project: Path) -> dict:
    done = subprocess.run([rasa_python, str(VALIDATE), str(project)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"valid": None, "errors": [f"validator crashed: {done.stderr.strip()[-500:]}"], "warnings": []}
    return json.loads(done.stdout)


def _apply_edit(assistant, user, name: str) -> Outcome:
    from studio.exchange import rows

    try:
        return EDITS[name](Target(assistant, user, rows.content_from_db(assistant)))
    except (IndexError, StopIteration):
        return Outcome(name, error=f"{name}: skipped, the project has nothing this edit can pick")
    except Exception as exc:  # report and still export: a refused edit must leave the project intact
        return Outcome(name, error=f"{name}: {type(exc).__name__}: {getattr(exc, 'message', None) or exc}")


def run_edits(project: Path, names: list[str], out: Path, rasa_python: str) -> dict:
    """Import afresh, apply `names` in order, export into `out`, compare and judge."""
    from django.contrib.auth import get_user_model

    from studio.exchange import services

    user = get_user_model().objects.get_or_create(username="roundtrip", defaults={"is_superuser": True})[0]
    label = "+".join(names)
    assistant = services.assistant_import(user=user, source=project, name=f"rt {project.name} {label}"[:150]).assistant
    outcome = Outcome("")
    for name in names:
        outcome = outcome.merge(_apply_edit(assistant, user, name))
    try:
        files = services.assistant_export(user=user, assistant=assistant)
    except Exception as exc:
        return {"edit": outcome.edit, "detail": outcome.detail, "error": outcome.error,
                "export_error": f"{type(exc).__name__}: {getattr(exc, 'message', None) or exc}"}
    services.export_to_directory(files, out)
    exported = _read_tree(out)
    return {"edit": outcome.edit, "detail": outcome.detail, "error": outcome.error,
            **_compare(_read_tree(project), exported, outcome),
            "old_name_left_in": _old_name_left(outcome, exported),
            "rasa": _rasa_verdict(rasa_python, out)}


def _summary_line(result: dict) -> str:
    rasa = result.get("rasa", {})
    verdict = {True: "rasa OK", False: "rasa INVALID", None: "rasa crashed"}.get(rasa.get("valid"), "no export")
    parts = [f"{result['edit']}: {verdict}"]
    for key in ("changed", "added", "removed", "untouched_changed", "other_lines_changed", "old_name_left_in"):
        if result.get(key):
            parts.append(f"{key}={result[key]}")
    if result.get("comments_lost"):
        parts.append(f"comments_lost={result['comments_lost']}")
    for key in ("error", "export_error"):
        if result.get(key):
            parts.append(f"{key}: {result[key]}")
    if rasa.get("valid") is False:
        parts.append(f"rasa errors: {[e[:200] for e in rasa['errors']]}")
    return "\n    ".join(parts) + (f"\n    ({result['detail']})" if result.get("detail") else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--rasa-python", default="/tmp/rasa-venv/bin/python")
    parser.add_argument("--keep", type=Path, default=None, help="write each export to DIR/<edit>/")
    parser.add_argument("--only", action="append", choices=sorted(EDITS), help="run only these edits")
    parser.add_argument("--json", action="store_true", help="print the full results as JSON")
    parser.add_argument("--combined", action="store_true", help="all edits in a row on one import, one export")
    parser.add_argument("--rename", action="append", default=[], metavar="KIND:NAME",
                        help="also rename this item, e.g. responses:utter_faq/opening_hours")
    args = parser.parse_args()
    for spec in args.rename:
        kind, _, old = spec.partition(":")
        EDITS[f"rename:{spec}"] = lambda t, kind=kind, old=old: _rename(t, kind, old)
    with tempfile.TemporaryDirectory(prefix="roundtrip-") as scratch:
        _django_setup(scratch)
        results = []
        names = (args.only or [n for n in EDITS if not n.startswith("rename:")]) + [f"rename:{r}" for r in args.rename]
        plans = [[n for n in names if n != "none"]] if args.combined else [[n] for n in names]
        for plan in plans:
            name = "combined" if args.combined else plan[0]
            out = (args.keep or Path(scratch) / "exports") / re.sub(r"[^\w.-]", "_", name)
            try:
                results.append(run_edits(args.project.resolve(), plan, out, args.rasa_python))
            except Exception:
                results.append({"edit": name, "error": traceback.format_exc(limit=3)})
            print(_summary_line(results[-1]), file=sys.stderr if args.json else sys.stdout, flush=True)
    if args.json:
        print(json.dumps(results, indent=2, default=sorted))
    return 0


if __name__ == "__main__":
    sys.exit(main())
