from django.apps import AppConfig


class OaiConfig(AppConfig):
    name = "scis.oai"
    label = "oai"
    verbose_name = "OAI-PMH"
