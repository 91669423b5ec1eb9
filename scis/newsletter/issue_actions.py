"""Admin actions on an issue page: compose it from the month and send a test
of its e-mail to the editor. Each asks first (GET), acts on POST and returns
to the page editor with a message; the work is done in compose.py and
editions.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from wagtail.admin.widgets import Button

from .compose import SOURCE_LANGUAGE, compose_draft, period_of
from .editions import send_test
from .models import NewsletterIssuePage


def _editable_issue(request, page_id: int) -> NewsletterIssuePage:
    issue = get_object_or_404(NewsletterIssuePage, pk=page_id)
    if not issue.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return issue


def _edit_url(issue: NewsletterIssuePage) -> str:
    return reverse("wagtailadmin_pages:edit", args=[issue.pk])


@require_http_methods(["GET", "POST"])
def compose_view(request, page_id: int):
    """Fill the issue's sections from the month, as a new draft revision."""
    issue = _editable_issue(request, page_id)
    if issue.locale.language_code != SOURCE_LANGUAGE:
        messages.error(
            request,
            _("Compose the Korean issue: its translation takes the items from there."),
        )
        return redirect(_edit_url(issue))
    draft = issue.get_latest_revision_as_object()
    since, until = period_of(draft)
    if request.method == "POST":
        result = compose_draft(issue, request.user)
        period = {
            "since": formats.date_format(result.since, "DATE_FORMAT"),
            "until": formats.date_format(result.until, "DATE_FORMAT"),
        }
        if result.total:
            messages.success(
                request,
                ngettext(
                    "Added %(count)s record published from %(since)s to %(until)s "
                    "to a new draft. Reorder and trim it, then publish.",
                    "Added %(count)s records published from %(since)s to "
                    "%(until)s to a new draft. Reorder and trim them, then "
                    "publish.",
                    result.total,
                )
                % {"count": result.total, **period},
            )
        else:
            messages.info(
                request,
                _(
                    "Nothing to add: every record published from %(since)s to "
                    "%(until)s is already in this or an earlier issue, or the "
                    "sections are full."
                )
                % period,
            )
        return redirect(_edit_url(issue))
    return TemplateResponse(
        request,
        "newsletter/issue_admin/compose.html",
        {
            "issue": issue,
            "since": since,
            "until": until,
            "edit_url": _edit_url(issue),
            "header_title": _("Compose from the month"),
            "page_title": _("Compose from the month"),
            "header_icon": "list-ul",
        },
    )


@require_http_methods(["GET", "POST"])
def send_test_view(request, page_id: int):
    """Send the issue's e-mail editions to the editor's own address."""
    issue = _editable_issue(request, page_id)
    address = request.user.email
    if request.method == "POST":
        # The test shows what the editor is working on: the latest draft.
        result = send_test(issue.get_latest_revision_as_object(), address)
        if result.sent:
            messages.success(
                request,
                _(
                    "Sent the Korean and English editions to %(address)s. Only "
                    "you received them; no subscriber did."
                )
                % {"address": address},
            )
        else:
            messages.error(request, result.error)
        return redirect(_edit_url(issue))
    return TemplateResponse(
        request,
        "newsletter/issue_admin/send_test.html",
        {
            "issue": issue,
            "address": address,
            "edit_url": _edit_url(issue),
            "header_title": _("Send a test to me"),
            "page_title": _("Send a test to me"),
            "header_icon": "mail",
        },
    )


COMPOSE_URL = "newsletter_issue_compose"
SEND_TEST_URL = "newsletter_issue_send_test"


def admin_urls():
    """The admin URLs of these actions (registered in wagtail_hooks.py)."""
    return [
        path(
            "newsletter/issues/<int:page_id>/compose/",
            compose_view,
            name=COMPOSE_URL,
        ),
        path(
            "newsletter/issues/<int:page_id>/send-test/",
            send_test_view,
            name=SEND_TEST_URL,
        ),
    ]


def action_buttons(page, user, priority: int) -> list[Button]:
    """Buttons for "Compose from the month" (Korean issues) and "Send a test
    to me" on issue pages the user may edit."""
    if page.specific_class is not NewsletterIssuePage:
        return []
    if not page.permissions_for_user(user).can_edit():
        return []
    buttons = []
    if page.locale.language_code == SOURCE_LANGUAGE:
        buttons.append(
            Button(
                _("Compose from the month"),
                reverse(COMPOSE_URL, args=[page.pk]),
                icon_name="list-ul",
                priority=priority,
            )
        )
    buttons.append(
        Button(
            _("Send a test to me"),
            reverse(SEND_TEST_URL, args=[page.pk]),
            icon_name="mail",
            priority=priority + 1,
        )
    )
    return buttons
