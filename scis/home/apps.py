from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "scis.home"
    label = "home"
    verbose_name = "Home"
