"""Harvest health at /admin/harvest/health/ (the failure alert links here):
per source its runs, items and errors, failing sources first; per source the
error list; and the admin view of a captured original."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from wagtail.admin.viewsets.base import ViewSet

from .inbox_admin import CANDIDATE_STATES, require_editorial
from .models import JobError, Snapshot, Source
from .views import capture_response

ERROR_WINDOW = timedelta(days=7)
ERRORS_SHOWN = 200


def source_health():
    """Every source with its counts; failing sources first."""
    since = timezone.now() - ERROR_WINDOW
    recent_errors = (
        JobError.objects.filter(source=OuterRef("pk"), created_at__gte=since)
        .order_by()
        .values("source")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Source.objects.annotate(
        items_total=Count("items"),
        items_in_inbox=Count("items", filter=Q(items__state__in=CANDIDATE_STATES)),
        errors_recent=Coalesce(Subquery(recent_errors, output_field=IntegerField()), 0),
    ).order_by("-consecutive_failures", "name")


def health(request):
    require_editorial(request.user)
    return render(
        request,
        "harvest/admin/health.html",
        {"sources": source_health(), "page_title": _("Harvest health")},
    )


def source_errors(request, source_id):
    require_editorial(request.user)
    source = get_object_or_404(Source, pk=source_id)
    errors = source.errors.select_related("item", "job")[:ERRORS_SHOWN]
    return render(
        request,
        "harvest/admin/errors.html",
        {
            "source": source,
            "errors": errors,
            "page_title": _("Errors of %(source)s") % {"source": source},
        },
    )


def capture(request, pk):
    """A kept original for editors: its facts, and the page in a sandbox."""
    require_editorial(request.user)
    snapshot = get_object_or_404(Snapshot.objects.select_related("item"), pk=pk)
    return render(
        request,
        "harvest/admin/capture.html",
        {
            "snapshot": snapshot,
            "frame_url": reverse("harvest_health:capture_frame", args=[pk]),
            "page_title": _("Captured original"),
        },
    )


@xframe_options_sameorigin
def capture_frame(request, pk):
    require_editorial(request.user)
    return capture_response(get_object_or_404(Snapshot, pk=pk))


class HealthViewSet(ViewSet):
    name = "harvest_health"
    url_prefix = "harvest/health"
    icon = "pick"
    menu_label = gettext_lazy("Health")
    menu_name = "harvest-health"

    def get_urlpatterns(self):
        return [
            path("", health, name="index"),
            path("<int:source_id>/errors/", source_errors, name="errors"),
            path("captures/<int:pk>/", capture, name="capture"),
            path("captures/<int:pk>/frame/", capture_frame, name="capture_frame"),
        ]
