from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "studio.exchange"
    label = "exchange"
    verbose_name = "Rasa Pro import/export"
