"""The e-mail of an issue: one edition per reading language, as an HTML part
that survives common mail clients and a plain-text part.

An edition is rendered once per language and choice of sections; a message
for one subscriber is that edition with the subscriber's own links put in.
That keeps a send to many thousands of readers cheap: the templates and the
CSS inliner run a handful of times, not once per address."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import css_inline
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import links
from .contents import SectionContent, edition_of, issue_contents
from .models import Subscriber

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .models import NewsletterIssuePage

HTML_TEMPLATE = "newsletter/email/issue.html"
TEXT_TEMPLATE = "newsletter/email/issue.txt"

# Stand-ins for what differs per subscriber. Plain ASCII words survive the
# templates' escaping and the CSS inliner untouched; they are swapped for the
# real values after rendering.
RECIPIENT = "SCISNEWSLETTERRECIPIENT"
PREFERENCES = "SCISNEWSLETTERPREFERENCESURL"
UNSUBSCRIBE = "SCISNEWSLETTERUNSUBSCRIBEURL"
SIGNED = "SCISNEWSLETTERSIGNEDVALUE"

TEXT_WIDTH = 72  # display columns; a Hangul syllable takes two

# Inline every rule; keep the @media rule (phones) in a <style> tag, since it
# cannot be inlined. Nothing is fetched: the e-mail has no external CSS.
_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


@dataclass(frozen=True)
class RenderedMessage:
    """One message ready to send: subject, HTML part and plain-text part."""

    subject: str
    html: str
    text: str
    # The reader's unsubscribe link, for the List-Unsubscribe header too
    # (signing it once per message is a measurable part of a send).
    unsubscribe_url: str = ""


@dataclass(frozen=True)
class Edition:
    """An issue rendered for one language and choice of sections, with
    stand-ins where each subscriber's address and links go."""

    language: str
    subject: str
    html: str
    text: str

    def personalise(self, recipient: str, preferences: str, unsubscribe: str):
        """The message for one reader."""
        html = (
            self.html.replace(RECIPIENT, escape(recipient))
            .replace(PREFERENCES, escape(preferences))
            .replace(UNSUBSCRIBE, escape(unsubscribe))
        )
        text = (
            self.text.replace(RECIPIENT, recipient)
            .replace(PREFERENCES, preferences)
            .replace(UNSUBSCRIBE, unsubscribe)
        )
        return RenderedMessage(
            subject=self.subject, html=html, text=text, unsubscribe_url=unsubscribe
        )


def message_for(
    issue: NewsletterIssuePage, subscriber: Subscriber, cache: dict | None = None
) -> RenderedMessage:
    """The message `subscriber` receives for `issue` (the Korean source page):
    the edition in their language, limited to their sections of interest
    (none chosen: every section), with their own preferences and unsubscribe
    links. Pass the same `cache` dict for every subscriber of one send so
    each edition is rendered only once."""
    sections = tuple(sorted(subscriber.sections or ()))
    key = (issue.pk, subscriber.language, sections)
    edition = cache.get(key) if cache is not None else None
    if edition is None:
        edition = render_edition(issue, subscriber.language, sections)
        if cache is not None:
            cache[key] = edition
    if cache is None:
        return edition.personalise(
            subscriber.email,
            links.preferences_url(subscriber),
            links.unsubscribe_url(subscriber),
        )
    return edition.personalise(
        subscriber.email,
        _link(cache, "newsletter_preferences", subscriber, links.Purpose.PREFERENCES),
        _link(cache, "newsletter_unsubscribe", subscriber, links.Purpose.UNSUBSCRIBE),
    )


def _link(cache: dict, name: str, subscriber: Subscriber, purpose: str) -> str:
    """What `links.preferences_url` / `unsubscribe_url` return, with the URL
    resolved once per send and language instead of per message (resolving
    costs more than signing). Tokens are URL-safe, so reverse() would put
    them in unchanged."""
    key = ("link", name, subscriber.language)
    around = cache.get(key)
    if around is None:
        with translation.override(subscriber.language):
            path = reverse(name, kwargs={"token": SIGNED})
        around = cache[key] = path.split(SIGNED)
    token = links.make_token(subscriber, purpose)
    return links.absolute(around[0] + token + around[1])


def sample_message(
    issue: NewsletterIssuePage, language: str, email: str
) -> RenderedMessage:
    """The edition in `language` as an editor sees it in a preview or a test
    send. The links in its footer name no subscriber, so they open the
    "link not valid" page instead of changing anybody's subscription."""
    reader = Subscriber(email=email, language=language)
    return render_edition(issue, language).personalise(
        email, links.preferences_url(reader), links.unsubscribe_url(reader)
    )


def render_edition(
    issue: NewsletterIssuePage, language: str, sections: Iterable[str] = ()
) -> Edition:
    """Render `issue` in `language`. The English edition reads the English
    translation of the issue when it is live; without one it shows the Korean
    text, marked as such, with English headings and links. `sections` limits
    the edition to those sections (empty: all)."""
    wanted = set(sections)
    page = edition_of(issue, language)
    contents = issue_contents(page, language)
    if wanted:
        contents = [s for s in contents if s.section in wanted]
    with translation.override(language):
        context = _context(page, language, contents)
        html = render_to_string(HTML_TEMPLATE, context)
        text = render_to_string(TEXT_TEMPLATE, context)
    return Edition(
        language=language,
        subject=context["subject"],
        html=_INLINER.inline(html),
        text=_tidy_text(text),
    )


def _context(
    page: NewsletterIssuePage, language: str, contents: list[SectionContent]
) -> dict[str, Any]:
    page_language = page.locale.language_code
    translated = page_language == language
    site_name = _("Smart City Information System")
    # The context "newsletter e-mail" keeps the e-mail's words apart from the
    # same words on the site's pages; it must be a literal for makemessages.
    number_line = pgettext("newsletter e-mail", "Newsletter No. %(number)s") % {
        "number": page.number
    }
    date = formats.date_format(page.issue_date, "DATE_FORMAT")
    heading = page.title if translated else number_line
    introduction = [p.strip() for p in page.introduction.split("\n\n") if p.strip()]
    sections: list[dict[str, Any]] = [
        {
            "section": section.section,
            "title": section.label,
            "rule": "-" * _width(section.label),
            "items": [_item(item, language) for item in section.items],
        }
        for section in contents
    ]
    titles = [item.title for s in contents for item in s.items]
    preheader = " · ".join(titles[:3]) or " ".join(introduction)[:140]
    reason = _(
        "You receive this newsletter because %(email)s subscribed to it on "
        "the %(site)s website and confirmed the subscription."
    ) % {"email": RECIPIENT, "site": site_name}
    sender = _(
        "%(site)s, run by the Ministry of Land, Infrastructure and Transport "
        "with the Architecture & Urban Research Institute · %(address)s"
    ) % {"site": site_name, "address": _sender_address()}
    return {
        "language": language,
        "direction": "rtl" if translation.get_language_bidi() else "ltr",
        "site_name": site_name,
        "subject": _subject(site_name, number_line, heading, page.number),
        "issue_line": f"{number_line} · {date}",
        "heading": heading,
        "heading_language": language,
        "heading_rule": "=" * _width(heading),
        "introduction": introduction,
        "introduction_text": [_wrap(p) for p in introduction],
        "introduction_language": page_language,
        "introduction_note": (
            ""
            if translated or not introduction
            else _("This introduction has not been translated yet.")
        ),
        "sections": sections,
        "no_items_note": _(
            "This issue has no items in the sections you chose. "
            "Read the whole issue on the web."
        ),
        "preheader": preheader,
        # Keeps mail clients from filling the inbox preview with body text.
        "preheader_padding": "\u034f\u00a0" * 40,
        "web_url": _web_url(page),
        "web_link_text": pgettext("newsletter e-mail", "Read this issue on the web"),
        "reason": reason,
        "reason_text": _wrap(reason),
        "preferences_url": PREFERENCES,
        "preferences_text": pgettext("newsletter e-mail", "Change your preferences"),
        "unsubscribe_url": UNSUBSCRIBE,
        "unsubscribe_text": pgettext("newsletter e-mail", "Unsubscribe"),
        "sender": sender,
        "sender_text": _wrap(sender),
    }


def _subject(site_name: str, number_line: str, heading: str, number: int) -> str:
    # Readers find an issue in their inbox by its number: name it unless the
    # title already does.
    if str(number) in heading:
        return f"[{site_name}] {heading}"
    return f"[{site_name}] {number_line} · {heading}"


def _web_url(page: NewsletterIssuePage) -> str:
    # A page not yet placed in the tree (a preview of a new issue) has no
    # address of its own yet: point at the site.
    parts = page.get_url_parts()
    return links.absolute(parts[2] if parts else "/")


def _item(item, language: str) -> dict[str, Any]:
    meta = " · ".join(
        [formats.date_format(item.date, "DATE_FORMAT"), *item.organisations]
    )
    label = ""
    if item.fallback:
        # The same words as the label on the issue's web page.
        label = _("Korean only") if item.language == "ko" else _("English only")
    return {
        "title": item.title,
        "url": item.absolute_url,
        "language": item.language,
        "label": label,
        "meta": meta,
        "summary": item.summary,
        "summary_language": item.summary_language or item.language,
        "title_text": _wrap(
            f"{item.title} [{label}]" if label else item.title, "  ", first="* "
        ),
        "meta_text": _wrap(meta, "  "),
        "summary_text": _wrap(item.summary, "  "),
    }


def _sender_address() -> str:
    from email.utils import parseaddr

    return parseaddr(settings.NEWSLETTER_FROM_EMAIL)[1]


def _width(text: str) -> int:
    """Display columns of `text` in a monospaced mail reader."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wrap(text: str, indent: str = "", first: str | None = None) -> str:
    """Wrap at spaces to TEXT_WIDTH display columns, each line starting with
    `indent` (the first with `first` when given). Korean is written with
    spaces between words, so this never splits a word; a word longer than a
    line (a URL) gets a line of its own."""
    lines: list[str] = []
    prefix = indent if first is None else first
    for paragraph in text.splitlines():
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if line and _width(prefix + candidate) > TEXT_WIDTH:
                lines.append(prefix + line)
                prefix, line = indent, word
            else:
                line = candidate
        lines.append(prefix + line)
        prefix = indent
    return "\n".join(lines)


def _tidy_text(text: str) -> str:
    # Template tags leave runs of blank lines; one blank line is enough.
    out: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        if not line and out and not out[-1]:
            continue
        out.append(line)
    return "\n".join(out).strip() + "\n"
