from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "studio.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from studio.accounts.password_gate import note_password_change_required

        user_logged_in.connect(note_password_change_required,
                               dispatch_uid="studio.accounts.note_password_change_required")
