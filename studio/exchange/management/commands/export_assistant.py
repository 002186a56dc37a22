"""manage.py export_assistant NAME_OR_SLUG DIR [--user USERNAME] [--allow-problems]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from studio.core.exceptions import DomainError
from studio.exchange import services

from ._common import acting_user, find_assistant, format_problems


class Command(BaseCommand):
    help = "Export an assistant as a Rasa Pro 3.21 project into DIR (created if missing; must be empty)."

    def add_arguments(self, parser):
        parser.add_argument("assistant", help="slug or name of the assistant")
        parser.add_argument("directory", help="target directory")
        parser.add_argument("--user", default=None, help="act as this user (default: the first superuser)")
        parser.add_argument("--allow-problems", action="store_true",
                            help="export even when the assistant has errors Rasa Pro would refuse")

    def handle(self, *args, assistant: str, directory: str, user: str | None, allow_problems: bool = False,
               **options):
        actor = acting_user(user)
        target = Path(directory)
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise CommandError(f"{target} exists and is not an empty directory")
        try:
            files = services.assistant_export(user=actor, assistant=find_assistant(assistant),
                                              allow_problems=allow_problems)
        except services.ExportRefused as exc:
            raise CommandError(f"export refused, {len(exc.problems)} problem(s):\n{format_problems(exc.problems)}\n"
                               "(--allow-problems exports anyway)") from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        services.export_to_directory(files, target)
        self.stdout.write(f"Exported {len(files)} files to {target}")
