from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "studio.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from studio.accounts.password_gate import note_default_password

        user_logged_in.connect(note_default_password, dispatch_uid="studio.accounts.note_default_password")
