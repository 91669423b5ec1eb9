"""The e-mail administrators get when a source keeps failing: sent once
per run of failures (Source.alerted_at), reset by the next success."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from .models import Source

HEALTH_PATH = "/admin/harvest/health/"


def administrators() -> list[str]:
    """settings.ADMINS plus every active superuser with an address."""
    addresses = [address for _name, address in getattr(settings, "ADMINS", [])]
    addresses += (
        get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted({address.strip().lower() for address in addresses if address})


def send_failure_alert(source: Source) -> bool:
    """Mail the administrators that `source` failed repeatedly; False when
    there is nobody to tell."""
    recipients = administrators()
    if not recipients:
        return False
    health_url = settings.PUBLIC_BASE_URL + HEALTH_PATH
    subject = _("Harvest source “%(name)s” failed %(count)s times in a row") % {
        "name": source.name,
        "count": source.consecutive_failures,
    }
    body = _(
        "The harvest source “%(name)s” (%(slug)s, %(url)s) failed "
        "%(count)s times in a row.\n\n"
        "Last error:\n%(error)s\n\n"
        "Its next try is at %(next_run)s. See the source health page:\n"
        "%(health_url)s\n\n"
        "You get this message once; the next successful run resets it."
    ) % {
        "name": source.name,
        "slug": source.slug,
        "url": source.url,
        "count": source.consecutive_failures,
        "error": source.last_error or "-",
        "next_run": source.next_run_at.isoformat() if source.next_run_at else "-",
        "health_url": health_url,
    }
    send_mail(subject, body, None, recipients)
    return True
