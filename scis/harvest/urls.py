"""Public URLs of the harvest app (outside the language prefixes: a capture
is the same in every portal language)."""

from django.urls import path

from . import views

app_name = "harvest"

urlpatterns = [
    path("<int:pk>/", views.snapshot_page, name="snapshot"),
    path("<int:pk>/frame/", views.snapshot_frame, name="snapshot_frame"),
]
