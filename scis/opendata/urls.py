"""Open data under /data/ (Korean) and /en/data/ (English)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.open_data, name="open_data"),
    path("catalog.ttl", views.catalog_turtle, name="open_data_catalog_ttl"),
    path("catalog.jsonld", views.catalog_json_ld, name="open_data_catalog_jsonld"),
    path("files/<path:relative>", views.published_file, name="open_data_file"),
]
