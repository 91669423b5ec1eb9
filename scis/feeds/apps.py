from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "scis.feeds"
    label = "feeds"
    verbose_name = "Feeds"
