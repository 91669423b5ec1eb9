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
    # Start from the archive pages' own (tiny) table: filtered by locale
    # first, SQLite walks every page of the language (40 ms at 100,000
    # records) on every page that shows the footer.
    archives = NewsletterIndexPage.objects.live().filter(
        pk__in=list(NewsletterIndexPage.objects.values_list("pk", flat=True))
    )
    index = archives.filter(locale__language_code=language).first() or archives.first()
    return (index.url or "") if index else ""


@register.simple_tag
def footer_subscribe_form() -> SubscribeForm:
    """An unbound sign-up form with ids of its own, so it can share a page
    with the full form."""
    return SubscribeForm(auto_id="footer-newsletter-%s")
