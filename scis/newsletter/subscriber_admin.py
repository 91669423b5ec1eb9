"""Subscribers in the Wagtail admin: search by address, filter by status and
language, counts per status, and per subscriber the two PIPA actions —
export everything stored (JSON) and erase it. Registered in wagtail_hooks.py."""

import json

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from . import subscribers
from .models import Subscriber


def status_counts() -> dict[str, int]:
    """How many addresses are in each state; suppressed ones counted apart
    (they may be in any state, and receive nothing)."""
    counts = Subscriber.objects.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(status=Subscriber.Status.ACTIVE)),
        pending=Count("pk", filter=Q(status=Subscriber.Status.PENDING)),
        unsubscribed=Count("pk", filter=Q(status=Subscriber.Status.UNSUBSCRIBED)),
        suppressed=Count("pk", filter=Q(suppressed_at__isnull=False)),
        receiving=Count(
            "pk",
            filter=Q(status=Subscriber.Status.ACTIVE, suppressed_at__isnull=True),
        ),
    )
    return {name: value or 0 for name, value in counts.items()}


class SubscriberIndexView(generic.IndexView):
    template_name = "newsletter/admin/subscriber_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = status_counts()
        return context

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            MenuItem(
                _("Export data (JSON)"),
                url=reverse("newsletter_subscribers:export", args=[instance.pk]),
                icon_name="download",
                priority=40,
            )
        )
        return buttons


class SubscriberEraseView(generic.DeleteView):
    """The admin's delete is an erase: the subscriber and its send log."""

    page_title = gettext_lazy("Erase subscriber data")
    success_message = gettext_lazy("All data of '%(object)s' erased.")

    @property
    def confirmation_message(self):
        return _(
            "Erase this subscriber? The address, its choices and the record of "
            "every issue sent to it are deleted at once and cannot be restored."
        )

    def delete_action(self):
        subscribers.erase(self.object)


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = gettext_lazy("Subscribers")
    menu_order = 290
    add_to_admin_menu = True
    name = "newsletter_subscribers"
    url_prefix = "newsletter/subscribers"
    index_view_class = SubscriberIndexView
    delete_view_class = SubscriberEraseView
    list_display = [
        "email",
        Column("language", label=gettext_lazy("language"), accessor="language"),
        Column("status", label=gettext_lazy("status"), accessor="get_status_display"),
        DateColumn("created_at", label=gettext_lazy("signed up")),
        DateColumn("confirmed_at", label=gettext_lazy("consent given")),
        DateColumn("suppressed_at", label=gettext_lazy("suppressed")),
    ]
    list_filter = ["status", "language"]
    search_fields = ["email"]
    search_backend_name = None
    form_fields = [
        "email",
        "language",
        "sections",
        "status",
        "suppressed_at",
        "suppression_reason",
    ]
    inspect_view_enabled = True
    copy_view_enabled = False

    def export_view(self, request, pk):
        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        subscriber = get_object_or_404(Subscriber, pk=pk)
        response = HttpResponse(
            json.dumps(
                subscribers.export_data(subscriber), ensure_ascii=False, indent=2
            ),
            content_type="application/json; charset=utf-8",
        )
        filename = subscribers.export_filename(subscriber)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("export/<int:pk>/", self.export_view, name="export"),
        ]
