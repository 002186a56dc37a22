"""Rasa Pro 3.21's verdict on every public project a first-contact set names (developer tool).

    FIRST_CONTACT_PROJECTS=<checkouts> /tmp/rasa-venv/bin/python tools/rasa_oracle/public_verdicts.py

Runs validate.py on each project (one fresh process each, about 8 s) and writes
tests/understanding/data/first_contact/rasa_verdicts.json: {assistant: {"valid": bool, "errors":
[Rasa's error codes]}}. tests/understanding/test_first_contact.py checks that the engine's loader
accepts exactly what Rasa accepted, when the checkouts are there. Run it in the Rasa venv; it
reads the sets with PyYAML, which Rasa brings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SETS = ROOT / "tests" / "understanding" / "data" / "first_contact"
OUT = SETS / "rasa_verdicts.json"
VALIDATE = Path(__file__).with_name("validate.py")


def _code(message: str) -> str:
    return message.split(":", 1)[0]


def main() -> int:
    checkouts = os.environ.get("FIRST_CONTACT_PROJECTS")
    if not checkouts:
        print(__doc__, file=sys.stderr)
        return 2
    verdicts = {}
    for path in sorted(SETS.glob("*/*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or "source" not in doc:
            continue
        project = Path(checkouts) / doc["source"].split("/", 1)[1] / str(doc.get("path") or ".")
        done = subprocess.run([sys.executable, str(VALIDATE), str(project)], capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{doc['assistant']}: validator crashed\n{done.stderr[-1500:]}", file=sys.stderr)
            return 1
        result = json.loads(done.stdout)
        codes = [c for c in dict.fromkeys(_code(e) for e in result["errors"])
                 if c != "cli.validate_files.project_validation_error"]
        verdicts[doc["assistant"]] = {"source": doc["source"], "commit": doc.get("commit"),
                                      "valid": result["valid"], "errors": codes}
        print(f"{doc['assistant']}: {'valid' if result['valid'] else 'INVALID ' + ', '.join(codes)}", flush=True)
    OUT.write_text(json.dumps(verdicts, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
