import os

from django.conf import settings
from django.core.management.base import BaseCommand

from studio.accounts.services import ADMIN_USERNAME, admin_ensure, admin_password


class Command(BaseCommand):
    help = "Create the local admin account if missing and print how to log in."

    def handle(self, *args, **options) -> None:
        user, created = admin_ensure()
        url = f"http://{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}/"
        if os.environ.get("STUDIO_ADMIN_PASSWORD"):
            password = "the value of STUDIO_ADMIN_PASSWORD"
        elif settings.DEBUG:
            password = "admin"
        else:
            password = "admin (you will be asked to change it when you log in)"
        if not created and not user.check_password(admin_password()):
            password = "the one you chose"
        self.stdout.write(self.style.SUCCESS(
            f"Flowstudio: open {url} and log in with username {ADMIN_USERNAME} and password {password}"
        ))
