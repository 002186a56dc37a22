"""Command line: `python -m engine replay|chat|validate|understand|test ...`."""

from __future__ import annotations

import sys

from engine.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
