"""`manage.py test_assistant SLUG`: run an assistant's stored e2e tests, printed as `python -m engine test` prints them."""
from django.core.management.base import BaseCommand, CommandError

from studio.assistants.models import Assistant
from studio.e2etests.runs import GENERATORS, default_generator, tests_run


class Command(BaseCommand):
    help = "Run an assistant's stored e2e tests against its current content; exit code 1 on any failure."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("paths", nargs="*", help="stored test files (tests/...), optionally FILE::case")
        parser.add_argument("--generator", choices=GENERATORS, default=None,
                            help="how user turns are understood (default: the one try-it uses for the assistant)")

    def handle(self, *args, slug: str, paths: list[str], generator: str, **options) -> None:
        assistant = Assistant.objects.filter(slug=slug).first()
        if assistant is None:
            raise CommandError(f"Assistant {slug!r} not found")
        outcomes = []
        for spec in paths or [""]:
            path, _, case = spec.partition("::")
            outcome = tests_run(assistant, generator=generator or default_generator(assistant), path=path, case=case)
            if outcome.error:
                raise CommandError(outcome.error)
            outcomes.append(outcome)
        results = [r for o in outcomes for r in o.results]
        from engine.e2e import format_report

        self.stdout.write(format_report(results))
        if any(not r.passed for r in results):
            raise SystemExit(1)
