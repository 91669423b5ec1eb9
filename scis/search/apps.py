from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "scis.search"
    label = "portal_search"
    verbose_name = "Search"

    def ready(self) -> None:
        from . import signals

        signals.connect()
