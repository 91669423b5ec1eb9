"""Bringing one old issue (read by scis/newsletter/legacy/) into the portal.

Each item is matched to a record that already exists (import_matching.py)
and a record is created only where none matches. The issue page with that
number is updated, or created under the newsletter archive of the file's
language. Everything is decided before anything is written, and written in
one transaction: a failure leaves the database as it was.

A matched record is never changed: its own text, often cleaner than the
issue's (the old English issues are raw machine translation), stays, and
only the issue's sections point at it."""

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.models import Locale, Page

from scis.core.models import Provenance, RecordPage
from scis.events.models import EventIndexPage, EventPage
from scis.library.models import LiteratureAuthor, LiteratureIndexPage, LiteraturePage
from scis.news.models import NewsIndexPage, NewsPage
from scis.taxonomy.models import Organisation

from .import_matching import Organisations, RecordMatcher, source_id
from .import_report import ImportReport, Outcome
from .legacy import NEWS_SECTIONS, Item, ParsedIssue
from .models import NewsletterIndexPage, NewsletterIssuePage

ISSUE_TITLE = {
    "ko": "스마트도시 뉴스레터 제{number}호",
    "en": "Smart City Newsletter No. {number}",
}
_VIDEO = re.compile(r"https?://(?:www\.|m\.)?(?:youtube\.com|youtu\.be|vimeo\.com)/")


class NewsletterImportError(Exception):
    """The issue cannot be imported as it stands; nothing was written."""


# -- writing ---------------------------------------------------------------


def _paragraphs(*texts: str) -> str:
    return "".join(
        f"<p>{escape(part.strip())}</p>"
        for text in texts
        for part in text.split("\n\n")
        if part.strip()
    )


def _is_url(link: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError:
        return False
    return len(link) <= 200  # what a video or registration URL field holds


def _free_slug(parent: Page, title: str, fallback: str) -> str:
    wanted = (slugify(title, allow_unicode=True)[:80].strip("-")) or fallback
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, counter = wanted, 1
    while slug in taken:
        counter += 1
        slug = f"{wanted}-{counter}"
    return slug


class _Writer:
    def __init__(self, parsed: ParsedIssue, locale: Locale, report: ImportReport):
        self.parsed = parsed
        self.locale = locale
        self.report = report
        self.organisations = Organisations()
        self.zone = ZoneInfo(settings.TIME_ZONE)

    def parent_for(self, section: str) -> Page:
        if section in NEWS_SECTIONS:
            parent = NewsIndexPage.objects.filter(
                locale=self.locale, section=section
            ).first()
        elif section == "literature":
            parent = LiteratureIndexPage.objects.filter(locale=self.locale).first()
        else:
            parent = EventIndexPage.objects.filter(locale=self.locale).first()
        if parent is None:
            raise NewsletterImportError(
                f"there is no {self.locale.language_code} index page to file "
                f"{section} records under; run `python manage.py migrate` and "
                "`python manage.py load_demo` (or create the site's pages) first"
            )
        return parent

    def _organisations(self, names: list[str]) -> list[Organisation]:
        found = []
        for name in names:
            organisation = self.organisations.find(name)
            if organisation is None:
                if name and name not in self.report.unknown_organisations:
                    self.report.unknown_organisations.append(name)
            elif organisation not in found:
                found.append(organisation)
        return found

    def create(self, item: Item) -> RecordPage:
        """A new published record for an item no existing record matched."""
        parent = self.parent_for(item.section)
        date = item.date or self.parsed.date
        common = {
            "title": item.title[:255],
            "locale": self.locale,
            "date": date,
            "summary": item.summary,
            "search_description": item.summary,
            "provenance": Provenance.IMPORTED,
            "source_id": source_id(self.parsed.number),
        }
        links = [link for link in item.links if _is_url(link)]
        video = next((link for link in links if _VIDEO.match(link)), "")
        original = next((link for link in links if link != video), "")
        page: RecordPage
        if item.section == "literature":
            page = LiteraturePage(
                **common,
                year=date.year,
                body=_paragraphs(item.summary),
                venue=item.organisation[:300],
                external_url=original[:1000],
            )
            page.authors = [
                LiteratureAuthor(
                    name=author.name[:200],
                    affiliation=author.affiliation[:300],
                    sort_order=position,
                )
                for position, author in enumerate(item.authors)
            ]
            names = [author.affiliation for author in item.authors]
        elif item.section == "news":
            end = item.end_date or date
            page = EventPage(
                **common,
                start=dt.datetime.combine(date, dt.time(0, 0), self.zone),
                end=dt.datetime.combine(end, dt.time(23, 59), self.zone),
                venue=item.venue[:300],
                organiser=item.organisation[:300],
                contact=item.contact[:200],
                body=_paragraphs(item.summary, "\n\n".join(item.notes)),
            )
            names = [item.organisation]
        else:
            page = NewsPage(
                **common,
                section=item.section,
                body=_paragraphs(item.summary),
                video_url=video[:200],
                original_url=original[:1000],
            )
            names = [item.organisation]
        page.slug = _free_slug(
            parent, item.title, f"{source_id(self.parsed.number)}-{item.line}"
        )
        page.organisations = self._organisations(names)
        parent.add_child(instance=page)
        page.save_revision(log_action=True).publish()
        return page

    def write_issue(
        self, sections: list[dict], existing: NewsletterIssuePage | None
    ) -> NewsletterIssuePage:
        """Update the issue with this number, or create it: as the
        translation of the same issue in the other language where there is
        one, else new in the archive. Only the date and the sections come
        from the file; an editor's title, introduction and send time stay."""
        parsed, language = self.parsed, self.locale.language_code
        issue: NewsletterIssuePage | None = existing
        if issue is None:
            other = (
                NewsletterIssuePage.objects.filter(number=parsed.number)
                .exclude(locale=self.locale)
                .order_by("pk")
                .first()
            )
            if other is not None:
                issue = other.copy_for_translation(self.locale)
                issue.introduction = ""
                issue.send_at = None
            else:
                issue = NewsletterIssuePage(
                    slug=str(parsed.number), locale=self.locale, number=parsed.number
                )
            issue.title = ISSUE_TITLE[language].format(number=parsed.number)
            issue.draft_title = issue.title
        issue.issue_date = parsed.date
        issue.sections = json.dumps(_keep_summaries(sections, issue))
        if issue.pk is None:
            index = NewsletterIndexPage.objects.filter(locale=self.locale).first()
            if index is None:  # checked before writing began
                raise NewsletterImportError("the newsletter archive page is gone")
            index.add_child(instance=issue)
        revision = issue.save_revision(log_action=True)
        # An issue an editor unpublished stays unpublished.
        if existing is None or existing.live:
            revision.publish()
        self.report.issue_page_id = issue.pk
        return issue


def _keep_summaries(sections: list[dict], issue: NewsletterIssuePage) -> list[dict]:
    """Keep the shorter summaries an editor wrote for records the issue
    already lists: an import replaces the list, not the editor's words."""
    kept: dict[int, str] = {}
    for block in issue.sections.raw_data if issue.pk else []:
        for entry in (block.get("value") or {}).get("items") or []:
            value = entry.get("value", entry) if isinstance(entry, dict) else {}
            if value.get("record") and value.get("summary"):
                kept.setdefault(value["record"], value["summary"])
    for block in sections:
        for entry in block["value"]["items"]:
            entry["value"]["summary"] = kept.get(entry["value"]["record"], "")
    return sections


def _sections(outcomes: list[Outcome]) -> list[dict]:
    """The issue's sections in the file's order, as StreamField data."""
    stream: list[dict] = []
    for outcome in outcomes:
        section = outcome.item.section
        if not stream or stream[-1]["value"]["section"] != section:
            stream.append(
                {
                    "type": "section",
                    "id": str(uuid.uuid4()),
                    "value": {"section": section, "items": []},
                }
            )
        assert outcome.page is not None  # noqa: S101 — every item has its page
        stream[-1]["value"]["items"].append(
            {
                "type": "item",
                "id": str(uuid.uuid4()),
                "value": {"record": outcome.page.pk, "summary": ""},
            }
        )
    return stream


def import_issue(
    parsed: ParsedIssue,
    *,
    file: str = "",
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import a parsed issue: match or create its records and create or update
    the issue page, in one transaction. With `dry_run`, decide and report
    everything and write nothing."""
    report = ImportReport(
        file=file,
        format=parsed.format,
        language=parsed.language,
        number=parsed.number,
        date=parsed.date,
        dry_run=dry_run,
        skipped=list(parsed.skipped),
    )
    locale = Locale.objects.filter(language_code=parsed.language).first()
    if locale is None:
        raise NewsletterImportError(
            f"the portal has no {parsed.language!r} locale; run `python manage.py "
            "migrate` and `python manage.py load_demo` (or create the site's pages)"
        )
    if not NewsletterIndexPage.objects.filter(locale=locale).exists():
        from scis.home.structure import ensure_site_structure

        if not dry_run:
            ensure_site_structure()
        if not NewsletterIndexPage.objects.filter(locale=locale).exists():
            raise NewsletterImportError(
                f"there is no {parsed.language} newsletter archive page to file the "
                "issue under; run the command without --dry-run (it creates the "
                "site's pages) or `python manage.py load_demo`"
            )
    existing = NewsletterIssuePage.objects.filter(
        locale=locale, number=parsed.number
    ).first()
    if existing is not None:
        report.issue_action = "updated"
        report.issue_page_id = existing.pk
    elif NewsletterIssuePage.objects.filter(number=parsed.number).exists():
        report.issue_action = "translated"
    else:
        report.issue_action = "created"
    matcher = RecordMatcher(locale, parsed.number)
    items = parsed.items
    for position, item in enumerate(items, start=1):
        page, how = matcher.match(item)
        report.outcomes.append(
            Outcome(item, "matched" if page else "created", how, page)
        )
        if progress:
            progress(position, len(items) * (1 if dry_run else 2))
    if dry_run:
        return report
    writer = _Writer(parsed, locale, report)
    with transaction.atomic():
        for position, outcome in enumerate(report.outcomes, start=1):
            if outcome.page is None:
                item = outcome.item
                try:
                    outcome.page = writer.create(item)
                except ValidationError as exc:
                    raise NewsletterImportError(
                        f"the item on line {item.line} ({item.title[:60]!r}) cannot "
                        f"be saved: {_problems(exc)}; correct it in the file"
                    ) from exc
            if progress:
                progress(len(items) + position, len(items) * 2)
        try:
            writer.write_issue(_sections(report.outcomes), existing)
        except ValidationError as exc:
            raise NewsletterImportError(
                f"issue No. {parsed.number} cannot be saved: {_problems(exc)}"
            ) from exc
    return report


def _problems(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
