from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "scis.taxonomy"
    label = "taxonomy"
    verbose_name = "Taxonomy"
