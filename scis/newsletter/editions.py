"""What an editor sees of the e-mail before subscribers do: the e-mail
previews in the page editor and "send a test to me".

Neither touches the send log: a preview or a test is not a delivery, and
both render with links that name no subscriber."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.utils import make_msgid, parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from .rendering import sample_message

if TYPE_CHECKING:
    from .models import NewsletterIssuePage

# Preview modes of an issue page in the editor ("" is the web page).
EMAIL_HTML = "email"
EMAIL_TEXT = "email-text"
LANGUAGES = ("ko", "en")


def preview_email(
    issue: NewsletterIssuePage, mode: str, email: str = ""
) -> HttpResponse:
    """The e-mail edition of the page being edited, in the page's language:
    the HTML message as a mail client would show it, or the plain-text part."""
    language = issue.locale.language_code
    message = sample_message(issue, language, email or "editor@example.org")
    if mode == EMAIL_TEXT:
        # A page of its own, so the browser shows the text as the mail reader
        # would: monospaced, lines as wrapped.
        return HttpResponse(message.text, content_type="text/plain; charset=utf-8")
    return HttpResponse(message.html, content_type="text/html; charset=utf-8")


@dataclass
class TestSend:
    """The outcome of a test send: the editions sent, or why none was."""

    address: str
    languages: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def sent(self) -> bool:
        return bool(self.languages) and not self.error


def send_test(issue: NewsletterIssuePage, address: str) -> TestSend:
    """Send every edition of `issue` (Korean and English) to `address` only,
    through the site's mail server. Nothing is recorded as a delivery and no
    subscriber receives anything."""
    result = TestSend(address=address)
    if not address or "@" not in parseaddr(address)[1]:
        result.error = _(
            "Your account has no e-mail address. Add one under Account "
            "settings, then send the test again."
        )
        return result
    messages = []
    for language in LANGUAGES:
        rendered = sample_message(issue, language, address)
        with translation.override(language):
            subject = _("[Test] %(subject)s") % {"subject": rendered.subject}
        message = EmailMultiAlternatives(
            subject=subject,
            body=rendered.text,
            from_email=settings.NEWSLETTER_FROM_EMAIL,
            to=[address],
            headers={"Message-ID": make_msgid(), "Content-Language": language},
        )
        message.attach_alternative(rendered.html, "text/html")
        messages.append((language, message))
    try:
        with get_connection() as connection:
            for language, message in messages:
                message.connection = connection
                message.send()
                result.languages.append(language)
    except (OSError, ValueError) as error:
        # smtplib's errors are OSErrors; the editor needs the server's words.
        result.error = _(
            "The mail server at %(host)s:%(port)s did not accept the test "
            "(%(error)s). Check EMAIL_HOST and EMAIL_PORT, then try again."
        ) % {
            "host": settings.EMAIL_HOST,
            "port": settings.EMAIL_PORT,
            "error": error,
        }
    return result
