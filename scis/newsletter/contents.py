"""What an issue shows in one reading language: its sections, and for each
item the record in that language — the translation when it is live, or else
the original, flagged as a fallback. The web archive and the e-mail edition
both read this, so a reader sees the same items on the web and in the mail."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils import translation
from wagtail.models import Page

from .models import NewsletterSection

if TYPE_CHECKING:
    from scis.core.models import RecordPage

    from .models import NewsletterIssuePage


@dataclass(frozen=True)
class ItemContent:
    """One item as a reader of one language sees it."""

    page: RecordPage
    title: str
    url: str  # site-relative path, e.g. /en/news/…
    date: datetime.date
    organisations: list[str]
    summary: str
    # True when the record is shown in a language other than the reader's.
    fallback: bool
    # The language of `summary`: the issue's own shorter summary is written
    # in the edition's language, the record's summary in the record's.
    summary_language: str = ""

    @property
    def language(self) -> str:
        """The language the record itself is written in (for lang="…")."""
        return self.page.locale.language_code

    @property
    def absolute_url(self) -> str:
        """The link for an e-mail, on the public address of the site."""
        return settings.PUBLIC_BASE_URL + self.url


@dataclass(frozen=True)
class SectionContent:
    section: str  # a NewsletterSection value
    label: str  # its heading in the reading language
    items: list[ItemContent] = field(default_factory=list)


def edition_of(issue: NewsletterIssuePage, language: str) -> NewsletterIssuePage:
    """The issue as written in `language`: itself, its live translation, or
    (no translation yet) the issue as it is."""
    if issue.locale.language_code == language:
        return issue
    return issue.translation_in(language) or issue


def _choose(versions: list[Page], wanted: Page, language: str) -> Page | None:
    """The version of a record to show: the reader's language, else the page
    the editor chose, else the portal's original language."""
    by_language = {p.locale.language_code: p for p in versions}
    if language in by_language:
        return by_language[language]
    for page in versions:
        if page.pk == wanted.pk:
            return page
    return by_language.get(settings.LANGUAGE_CODE) or (
        versions[0] if versions else None
    )


def issue_contents(issue: NewsletterIssuePage, language: str) -> list[SectionContent]:
    """The sections and items of `issue` for readers of `language` ("ko" or
    "en"), in the editor's order. Items whose record is no longer live and
    public are left out, so neither the archive nor a mail links to a page
    that answers 404; sections left empty are dropped."""
    edition = edition_of(issue, language)
    blocks = [block.value for block in edition.sections]
    chosen: list[Page] = [
        item["record"]
        for value in blocks
        for item in value["items"]
        if item["record"] is not None
    ]
    keys = {page.translation_key for page in chosen}
    versions: dict = {}
    candidates = (
        Page.objects.filter(translation_key__in=keys)
        .live()
        .public()
        .select_related("locale")
        .specific()
    )
    for page in candidates:
        versions.setdefault(page.translation_key, []).append(page)
    by_model: dict[type, list[Page]] = {}
    for pages in versions.values():
        for page in pages:
            by_model.setdefault(type(page), []).append(page)
    for pages in by_model.values():
        prefetch_related_objects(pages, "organisations")

    sections: list[SectionContent] = []
    with translation.override(language):
        for value in blocks:
            items = []
            for item in value["items"]:
                wanted = item["record"]
                if wanted is None:
                    continue
                shown = _choose(
                    versions.get(wanted.translation_key, []), wanted, language
                )
                parts = shown.get_url_parts() if shown else None
                if shown is None or parts is None:
                    continue
                own_summary = (item["summary"] or "").strip()
                items.append(
                    ItemContent(
                        page=shown,  # type: ignore[arg-type]
                        title=shown.title,
                        url=parts[2],
                        date=shown.date,  # type: ignore[attr-defined]
                        organisations=[
                            o.name
                            for o in shown.organisations.all()  # type: ignore[attr-defined]
                        ],
                        summary=own_summary or shown.summary,  # type: ignore[attr-defined]
                        fallback=shown.locale.language_code != language,
                        summary_language=(
                            edition.locale.language_code
                            if own_summary
                            else shown.locale.language_code
                        ),
                    )
                )
            if items:
                section = value["section"]
                sections.append(
                    SectionContent(
                        section=section,
                        label=str(_section_label(section)),
                        items=items,
                    )
                )
    return sections


def _section_label(section: str) -> str:
    try:
        return str(NewsletterSection(section).label)
    except ValueError:
        return section


@dataclass(frozen=True)
class IssueEntry:
    """One issue in the archive list of a reading language."""

    page: NewsletterIssuePage
    fallback: bool  # not translated yet: shown in the language it was written in

    @property
    def language(self) -> str:
        return self.page.locale.language_code


def archive_issues(language: str) -> list[IssueEntry]:
    """Every published issue, newest first, each in `language` where it has
    been translated and otherwise as written."""
    from .models import NewsletterIssuePage

    issues: dict = {}
    for page in (
        NewsletterIssuePage.objects.live()
        .public()
        .select_related("locale")
        .order_by("-number", "pk")
    ):
        issues.setdefault(page.translation_key, []).append(page)
    entries = []
    for versions in issues.values():
        shown = _choose(versions, versions[0], language)
        if shown is not None:
            entries.append(
                IssueEntry(page=shown, fallback=shown.locale.language_code != language)
            )  # type: ignore[arg-type]
    entries.sort(key=lambda e: (e.page.number, e.page.issue_date), reverse=True)
    return entries
