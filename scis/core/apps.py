from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "scis.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import signals

        signals.connect()
