"""Delivery-event webhooks from the mail provider (bounces, complaints),
outside i18n_patterns: providers post to one fixed address.

Each provider django-anymail knows answers at /newsletter/tracking/<name>/
(postmark, amazon_ses, mailgun, sendgrid, brevo, …), and only once
ANYMAIL_WEBHOOK_SECRET is set: the provider sends it as HTTP basic auth,
and without it anybody could suppress any address."""

from functools import wraps

from anymail import urls as anymail_urls
from anymail.utils import get_anymail_setting
from django.http import Http404
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

# Importing the module connects the receiver of anymail's tracking signal;
# these URLs are the only way events reach it.
from . import bounces  # noqa: F401

SUFFIX = "_tracking_webhook"
# An old name anymail keeps for compatibility (Brevo), and Mandrill's
# tracking alias (its one combined address is added below).
SKIPPED = {"sendinblue", "mandrill"}


def _only_with_secret(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not get_anymail_setting("webhook_secret", default=None):
            raise Http404("Bounce webhooks are off: set ANYMAIL_WEBHOOK_SECRET.")
        return view(request, *args, **kwargs)

    return csrf_exempt(guarded)


def _providers():
    for pattern in anymail_urls.urlpatterns:
        name = pattern.name or ""
        if name.endswith(SUFFIX) and name[: -len(SUFFIX)] not in SKIPPED:
            yield name[: -len(SUFFIX)], pattern.callback
        elif name == "mandrill_webhook":
            yield "mandrill", pattern.callback


urlpatterns = [
    path(f"{esp}/", _only_with_secret(view), name=f"newsletter_tracking_{esp}")
    for esp, view in _providers()
]
