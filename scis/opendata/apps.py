from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "scis.opendata"
    label = "opendata"
    verbose_name = "Open data"
