"""The send report of an issue in the Wagtail admin: how many deliveries
were sent, failed, bounced, skipped or still wait, and every failure and
bounce with the mail server's answer. Registered in wagtail_hooks.py and
linked from the issue's "more" menu in the page listing and its header."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button

from .models import Delivery, NewsletterIssuePage
from .sending import delivery_counts

URL_NAME = "newsletter_send_report"
# The failures listed on the page; the counts above it cover them all.
PROBLEMS_SHOWN = 500


def report_url(page) -> str:
    return reverse(URL_NAME, args=[page.pk])


def _source(page: NewsletterIssuePage) -> NewsletterIssuePage:
    """Deliveries hang off the Korean issue; an English page shows its
    source's report."""
    if page.locale.language_code == settings.LANGUAGE_CODE:
        return page
    return (
        NewsletterIssuePage.objects.filter(
            translation_key=page.translation_key,
            locale__language_code=settings.LANGUAGE_CODE,
        ).first()
        or page
    )


class SendReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "newsletter/admin/send_report.html"
    header_icon = "mail"
    page_title = gettext_lazy("Send report")

    def dispatch(self, request, *args, page_id: int, **kwargs):
        page = get_object_or_404(NewsletterIssuePage, pk=page_id)
        if not page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        self.issue = _source(page)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return _("No. %(number)s") % {"number": self.issue.number}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse(
                    "wagtailadmin_explore", args=[self.issue.get_parent().pk]
                ),
                "label": self.issue.get_parent().title,
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = delivery_counts(self.issue)
        state = Delivery.State
        problems = (
            Delivery.objects.filter(
                issue=self.issue, state__in=[state.FAILED, state.BOUNCED]
            )
            .select_related("subscriber")
            .order_by("-pk")
        )
        context.update(
            issue=self.issue,
            total=sum(counts.values()),
            # (state, label, count)
            figures=[
                ("sent", _("sent"), counts[state.SENT]),
                ("failed", _("failed"), counts[state.FAILED]),
                ("bounced", _("bounced"), counts[state.BOUNCED]),
                (
                    "pending",
                    _("pending"),
                    counts[state.PENDING] + counts[state.SENDING],
                ),
                ("skipped", _("skipped"), counts[state.SKIPPED]),
            ],
            problems=problems[:PROBLEMS_SHOWN],
            problem_count=counts[state.FAILED] + counts[state.BOUNCED],
            problems_shown=PROBLEMS_SHOWN,
            next_retry=Delivery.objects.filter(
                issue=self.issue,
                state=state.PENDING,
                next_attempt_at__isnull=False,
            )
            .order_by("next_attempt_at")
            .values_list("next_attempt_at", flat=True)
            .first(),
        )
        return context


def admin_urls():
    return [
        path(
            "newsletter/issues/<int:page_id>/send-report/",
            SendReportView.as_view(),
            name=URL_NAME,
        )
    ]


def report_button(page, user, priority: int):
    """A "Send report" button for issue pages the user may edit, or None."""
    if page.specific_class is not NewsletterIssuePage:
        return None
    if not page.permissions_for_user(user).can_edit():
        return None
    return Button(
        _("Send report"), report_url(page), icon_name="mail", priority=priority
    )
