from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "scis.editorial"
    label = "editorial"
    verbose_name = "Editorial workflow"
