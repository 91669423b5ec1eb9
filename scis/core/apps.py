from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "scis.core"
    label = "core"
    verbose_name = "Core"
