#!/usr/bin/env python
"""Django's command-line utility for Flowstudio."""
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")
    from django.core.management import execute_from_command_line

    from studio.env import ImproperlyConfiguredVariable

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfiguredVariable as exc:
        # A configuration mistake deserves one clear line, not a traceback.
        sys.exit(f"Flowstudio cannot start: {exc}")


if __name__ == "__main__":
    main()
