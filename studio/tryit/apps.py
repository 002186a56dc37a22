from django.apps import AppConfig


class TryitConfig(AppConfig):
    name = "studio.tryit"
    label = "tryit"
