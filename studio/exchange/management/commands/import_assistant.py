"""manage.py import_assistant PATH [--name NAME] [--into SLUG] [--user USERNAME]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from studio.core.exceptions import DomainError
from studio.exchange import services

from ._common import acting_user, find_assistant, format_problems


class Command(BaseCommand):
    help = "Import a Rasa Pro project (directory or .zip) as a new assistant, or re-import it into one."

    def add_arguments(self, parser):
        parser.add_argument("path", help="project directory or .zip file")
        parser.add_argument("--name", default="", help="name of the new assistant (default: config assistant_id)")
        parser.add_argument("--into", default="", metavar="SLUG", help="re-import into this existing assistant")
        parser.add_argument("--user", default=None, help="act as this user (default: the first superuser)")

    def handle(self, *args, path: str, name: str, into: str, user: str | None, **options):
        actor = acting_user(user)
        target = find_assistant(into) if into else None
        try:
            result = services.assistant_import(user=actor, source=path, assistant=target, name=name)
        except services.ImportRefused as exc:
            raise CommandError(f"import refused, {len(exc.project_problems)} problem(s):\n"
                               + format_problems(exc.project_problems)) from None
        except DomainError as exc:
            raise CommandError(exc.message) from None
        counts = ", ".join(f"{n} {kind}" for kind, n in result.counts.items())
        self.stdout.write(f"Imported into {result.assistant.name!r} (slug {result.assistant.slug}): {counts}")
        if result.warnings:
            self.stdout.write(f"{len(result.warnings)} warning(s):\n" + format_problems(result.warnings))
