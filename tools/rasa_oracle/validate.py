"""Rasa Pro 3.21's own project validator as a referee (developer tool, run in the rasa venv).

    /tmp/rasa-venv/bin/python tools/rasa_oracle/validate.py PROJECT_DIR       # JSON verdict on stdout
    /tmp/rasa-venv/bin/python tools/rasa_oracle/validate.py record FOLDER     # FOLDER/<case>/verdict.json

The verdict is what `rasa data validate` decides, run through the same CLI handler
(`rasa.cli.data._validate_data`, reached through Rasa's own argument parser) but without
`rasa.__main__.main`, whose only extra is the license check: the library entry points need no
license. The project is copied to a scratch directory first (Rasa may write a `.rasa/` cache),
and messages are normalised so the verdict does not depend on where or when it ran.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

# Before rasa is imported: no telemetry, no network fetch of litellm's price list.
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

# Context keys that only repeat the message, or change from run to run.
_NOISE_KEYS = {"event_info", "level", "log_level", "timestamp", "exc_info", "stack", "event"}
_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?")


class _Collector:
    """A structlog processor that keeps warning/error events and prints nothing."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict]] = []

    def __call__(self, logger, method_name: str, event_dict: dict):
        import structlog

        self.events.append((method_name, dict(event_dict)))
        raise structlog.DropEvent


class _LogHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _normalise(text: str, roots: list[str]) -> str:
    for root in roots:
        text = text.replace(root + os.sep, "").replace(root, ".")
    return _TIMESTAMP.sub("<time>", text).strip()


def _event_message(event: dict) -> str:
    """`code: event_info [key=value ...]`, the way Rasa's console renderer shows it."""
    code = str(event.get("event", ""))
    info = event.get("event_info")
    extras = " ".join(f"{k}={event[k]!r}" for k in sorted(event) if k not in _NOISE_KEYS)
    return " ".join(part for part in (code + (f": {info}" if info else ""), extras) if part)


def _run_rasa_validate(project: Path) -> tuple[bool, list[str], list[str]]:
    """Run `rasa data validate` in `project` (the cwd); return (valid, errors, warnings)."""
    import structlog
    from rasa.__main__ import create_argument_parser
    from rasa.utils.log_utils import configure_structlog

    collector, handler = _Collector(), _LogHandler()
    configure_structlog(logging.WARNING, additional_processors=[collector])
    logging.getLogger().addHandler(handler)
    args = create_argument_parser().parse_args(["data", "validate"])
    # As rasa.__main__.main does: the project folder is importable (custom components, NLG classes).
    sys.path.insert(1, os.getcwd())
    valid, raised = True, []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            args.func(args)
        except SystemExit as exc:
            valid = exc.code in (0, None)
        except Exception as exc:  # Rasa raises on the first structural problem
            valid = False
            code = getattr(exc, "code", None)
            info = getattr(exc, "info", None) or str(exc)
            raised.append(f"{code or type(exc).__name__}: {info}")
    structlog.reset_defaults()
    errors = [_event_message(e) for lvl, e in collector.events if lvl in ("error", "critical", "exception")]
    errors += [r.getMessage() for r in handler.records if r.levelno >= logging.ERROR]
    found_warnings = [_event_message(e) for lvl, e in collector.events if lvl in ("warning", "warn")]
    found_warnings += [r.getMessage() for r in handler.records if r.levelno == logging.WARNING]
    found_warnings += [str(w.message) for w in caught if not issubclass(w.category, DeprecationWarning)]
    return valid, errors + raised, found_warnings


_ENV_REFERENCE = re.compile(r"\$\{(\w+)\}")


def _placeholder_environment(project: Path) -> list[str]:
    """Set the environment variables the project's root YAML files name (`${OPENAI_API_KEY}`) and
    this process lacks to a placeholder: Rasa refuses to validate without them, a deployment
    matter, not the project's. Returns the names set."""
    named = set()
    for path in project.glob("*.yml"):
        named.update(_ENV_REFERENCE.findall(path.read_text(encoding="utf-8", errors="replace")))
    missing = sorted(name for name in named if name not in os.environ)
    for name in missing:
        os.environ[name] = "placeholder"
    return missing


def verdict(project: Path) -> dict:
    """Rasa's verdict on a copy of `project`, with normalised messages."""
    project = project.resolve()
    _placeholder_environment(project)
    with tempfile.TemporaryDirectory(prefix="rasa-validate-") as scratch:
        work = Path(scratch) / "project"
        shutil.copytree(project, work, ignore=shutil.ignore_patterns(".rasa", "models", "__pycache__"))
        cwd = os.getcwd()
        os.chdir(work)
        try:
            valid, errors, found = _run_rasa_validate(work)
        finally:
            os.chdir(cwd)
        roots = [str(work), os.path.realpath(work), str(project), scratch]
    unique = lambda items: list(dict.fromkeys(_normalise(m, roots) for m in items))  # noqa: E731
    return {"valid": valid, "errors": unique(errors), "warnings": unique(found)}


def record(folder: Path) -> int:
    """Write `verdict.json` beside each `<case>/project/`; one fresh process per case."""
    cases = sorted(p.parent for p in folder.glob("*/project") if p.is_dir())
    for case in cases:
        done = subprocess.run([sys.executable, __file__, str(case / "project")],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"{case.name}: validator crashed\n{done.stderr[-2000:]}", file=sys.stderr)
            return 1
        result = json.loads(done.stdout)
        (case / "verdict.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        print(f"{case.name}: {'valid' if result['valid'] else 'INVALID'} "
              f"({len(result['errors'])} errors, {len(result['warnings'])} warnings)")
    return 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "record":
        return record(Path(argv[1]))
    if len(argv) == 1:
        # Rasa prints progress to stdout; keep stdout for the JSON alone.
        real_stdout, sys.stdout = sys.stdout, sys.stderr
        try:
            result = verdict(Path(argv[0]))
        finally:
            sys.stdout = real_stdout
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
