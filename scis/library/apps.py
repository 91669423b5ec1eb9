from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "scis.library"
    label = "library"
    verbose_name = "Library"
