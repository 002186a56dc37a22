from django.apps import AppConfig


class AssistantsConfig(AppConfig):
    name = "studio.assistants"
    label = "assistants"
