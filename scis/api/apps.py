from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "scis.api"
    label = "scis_api"
    verbose_name = "API"
