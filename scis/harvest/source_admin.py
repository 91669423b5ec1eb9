"""Harvest sources in the Wagtail admin: create and edit them (kind, URL,
schedule, the settings for their kind and classification rules as JSON, the
taxonomy defaults), and per source its recent runs and errors with a "Run
now" button."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from .inbox_admin import EditorialPolicy, is_editorial, require_editorial
from .models import Source

RECENT_JOBS = 20
RECENT_ERRORS = 50


class SourcePolicy(EditorialPolicy):
    """Editors and moderators manage sources; deleting one (which drops its
    items and their memory of rejections) is left to superusers."""

    def user_has_permission(self, user, action):
        if action == "delete":
            return user.is_active and user.is_superuser
        return is_editorial(user)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(set(actions) | {"change"})


class SourceIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            MenuItem(
                _("Runs and errors"),
                url=reverse("harvest_sources:runs", args=[instance.pk]),
                icon_name="history",
                priority=15,
            )
        )
        return buttons


def runs(request, pk):
    """The source's recent jobs and errors, and the Run now button."""
    require_editorial(request.user)
    source = get_object_or_404(Source, pk=pk)
    return render(
        request,
        "harvest/admin/source_runs.html",
        {
            "source": source,
            "jobs": source.jobs.all()[:RECENT_JOBS],
            "errors": source.errors.select_related("item")[:RECENT_ERRORS],
            "page_title": _("Runs of %(source)s") % {"source": source},
        },
    )


@require_POST
def run_now(request, pk):
    """Queue one run of the source at once."""
    require_editorial(request.user)
    source = get_object_or_404(Source, pk=pk)
    if not source.active:
        messages.error(
            request, _("This source is switched off; make it active to run it.")
        )
        return HttpResponseRedirect(reverse("harvest_sources:runs", args=[pk]))
    try:
        from .jobs import run_now as queue_run
    except ImportError:
        messages.error(
            request,
            _(
                "Running from the admin is not available yet; run `manage.py harvest "
                "--source %(slug)s` instead."
            )
            % {"slug": source.slug},
        )
        return HttpResponseRedirect(reverse("harvest_sources:runs", args=[pk]))
    job = queue_run(source, request.user)
    messages.success(
        request,
        _("Run #%(job)s of “%(source)s” is %(status)s.")
        % {"job": job.pk, "source": source, "status": job.get_status_display()},
    )
    return HttpResponseRedirect(reverse("harvest_sources:runs", args=[pk]))


class SourceViewSet(ModelViewSet):
    model = Source
    icon = "site"
    menu_label = gettext_lazy("Sources")
    menu_name = "harvest-sources"
    name = "harvest_sources"
    url_prefix = "harvest/sources"
    index_view_class = SourceIndexView
    list_display = [
        "name",
        Column("kind", label=gettext_lazy("kind"), accessor="get_kind_display"),
        Column("active", label=gettext_lazy("active")),
        DateColumn("last_success_at", label=gettext_lazy("last success")),
        Column("consecutive_failures", label=gettext_lazy("failures in a row")),
    ]
    list_filter = ["kind", "active", "target"]
    search_fields = ["name", "url"]
    search_backend_name = None
    copy_view_enabled = False
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("active")]),
        FieldPanel("url"),
        FieldRowPanel([FieldPanel("language"), FieldPanel("schedule_minutes")]),
        FieldPanel("allow_private"),
        FieldPanel("config"),
        MultiFieldPanel(
            [
                FieldPanel("target"),
                FieldPanel("section"),
                FieldPanel("organisation"),
                FieldPanel("region"),
                FieldPanel("programme"),
                FieldPanel("topics"),
                FieldPanel("rules"),
            ],
            heading=gettext_lazy("Classification"),
        ),
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/runs/", runs, name="runs"),
            path("<int:pk>/run-now/", run_now, name="run_now"),
        ]
