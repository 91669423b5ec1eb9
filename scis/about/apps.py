from django.apps import AppConfig


class AboutConfig(AppConfig):
    name = "scis.about"
    label = "about"
    verbose_name = "About"
