from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "scis.demo"
    label = "demo"
    verbose_name = "Demo archive"
