from django.urls import path

from . import views

urlpatterns = [
    path("id/<int:page_id>/cite.bib", views.cite_bibtex, name="cite_bibtex"),
    path("id/<int:page_id>/cite.ris", views.cite_ris, name="cite_ris"),
    path("id/<int:page_id>/cite.json", views.cite_csl_json, name="cite_csl_json"),
]
