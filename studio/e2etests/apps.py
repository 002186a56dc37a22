from django.apps import AppConfig


class E2ETestsConfig(AppConfig):
    name = "studio.e2etests"
    label = "e2etests"
    verbose_name = "E2E tests"
    default_auto_field = "django.db.models.BigAutoField"
