"""Template helpers for the newsletter pages and the footer sign-up form."""

from django import template
from django.utils.translation import get_language

from scis.newsletter.forms import SubscribeForm
from scis.newsletter.models import NewsletterIndexPage

register = template.Library()


@register.simple_tag
def newsletter_archive_url() -> str:
    """The archive page (/newsletter/ or /en/newsletter/) in the reading
    language, or "" before the site structure exists."""
    language = (get_language() or "ko")[:2]
    index = (
        NewsletterIndexPage.objects.live()
        .filter(locale__language_code=language)
        .first()
        or NewsletterIndexPage.objects.live().first()
    )
    return (index.url or "") if index else ""


@register.simple_tag
def footer_subscribe_form() -> SubscribeForm:
    """An unbound sign-up form with ids of its own, so it can share a page
    with the full form."""
    return SubscribeForm(auto_id="footer-newsletter-%s")
