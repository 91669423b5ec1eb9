from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "scis.search"
    label = "portal_search"
    verbose_name = "Search"
