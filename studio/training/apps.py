from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "studio.training"
    label = "training"
