from django.core.management.base import BaseCommand

from studio.accounts.services import admin_ensure
from studio.assistants.demo import demo_assistant_load


class Command(BaseCommand):
    help = "Create the demo assistant (idempotent) and make the local admin its owner."

    def handle(self, *args, **options) -> None:
        admin, _ = admin_ensure()
        assistant, created = demo_assistant_load(user=admin)
        verb = "Created" if created else "Demo assistant already present:"
        self.stdout.write(self.style.SUCCESS(f"{verb} {assistant.name} ({assistant.slug})"))
