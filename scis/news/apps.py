from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "scis.news"
    label = "news"
    verbose_name = "News"
