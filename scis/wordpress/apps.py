from django.apps import AppConfig


class WordpressConfig(AppConfig):
    name = "scis.wordpress"
    label = "wordpress"
    verbose_name = "WordPress import"
