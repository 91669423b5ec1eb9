"""/api/v1/: records by type, every record, taxonomies, and the docs."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularRedocView

from . import serializers as s
from . import views

urlpatterns = [
    path("", views.RootView.as_view(), name="api_root"),
    path(
        "docs/",
        SpectacularRedocView.as_view(
            url_name="api_schema", template_name="api/redoc.html"
        ),
        name="api_docs",
    ),
    path(
        "records/",
        views.typed(views.RecordListView, None, many=True).as_view(),
        name="api_records_list",
    ),
    path(
        "records/<int:pk>/",
        views.typed(views.RecordDetailView, None, many=False).as_view(),
        name="api_records_detail",
    ),
]
for key, (segment, _serializer, _related) in s.RECORD_TYPES.items():
    urlpatterns += [
        path(
            f"{segment}/",
            views.typed(views.RecordListView, key, many=True).as_view(),
            name=f"api_{segment}_list",
        ),
        path(
            f"{segment}/<int:pk>/",
            views.typed(views.RecordDetailView, key, many=False).as_view(),
            name=f"api_{segment}_detail",
        ),
    ]
for name in views.TAXONOMIES:
    urlpatterns += [
        path(
            f"taxonomy/{name}/",
            views.taxonomy_view(views.TermListView, name, many=True).as_view(),
            name=f"api_{name}_list",
        ),
        path(
            f"taxonomy/{name}/<slug:slug>/",
            views.taxonomy_view(views.TermDetailView, name, many=False).as_view(),
            name=f"api_{name}_detail",
        ),
    ]

# Anything else under /api/v1/ is a JSON 404 that points at the index.
urlpatterns.append(re_path(r"^[\s\S]*$", views.not_found))
