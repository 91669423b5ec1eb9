"""Compose an issue from the month: fill its sections with the records
published since the previous issue, for the editor to reorder and trim.

Composing only ever adds: items the editor already placed stay where they
are, and a record that an earlier issue carried is not offered again."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wagtail.models import Page

from scis.events.models import EventPage
from scis.library.models import LiteraturePage
from scis.news.models import NewsPage

from .models import NewsletterIssuePage, NewsletterSection

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

PER_SECTION = 8
# Without a previous issue, an issue gathers the last month.
DEFAULT_WINDOW = dt.timedelta(days=31)
# Events are announced ahead: an issue lists those starting up to a month on.
EVENTS_AHEAD = dt.timedelta(days=31)
SOURCE_LANGUAGE = "ko"


@dataclass
class Composition:
    """What composing added: the items per section and the period read."""

    since: dt.date
    until: dt.date
    added: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.added.values())


def previous_issue(issue: NewsletterIssuePage) -> NewsletterIssuePage | None:
    """The live issue published before `issue` (the highest lower number)."""
    return (
        NewsletterIssuePage.objects.live()
        .filter(locale__language_code=SOURCE_LANGUAGE, number__lt=issue.number)
        .exclude(translation_key=issue.translation_key)
        .order_by("-number")
        .first()
    )


def period_of(issue: NewsletterIssuePage) -> tuple[dt.date, dt.date]:
    """The dates whose records the issue gathers: from the previous issue's
    date (or 31 days back) to the issue's own date, both included."""
    previous = previous_issue(issue)
    since = previous.issue_date if previous else issue.issue_date - DEFAULT_WINDOW
    return since, issue.issue_date


def records_in_earlier_issues(issue: NewsletterIssuePage) -> set[Any]:
    """Translation keys of every record an earlier issue carries, in either
    language."""
    earlier = NewsletterIssuePage.objects.filter(number__lt=issue.number).exclude(
        translation_key=issue.translation_key
    )
    page_ids: set[int] = set()
    for other in earlier.only("pk", "sections"):
        page_ids |= record_ids(other.sections.raw_data)
    return set(
        Page.objects.filter(pk__in=page_ids).values_list("translation_key", flat=True)
    )


def record_ids(raw_sections) -> set[int]:
    """The record page ids in an issue's raw `sections` stream."""
    ids = set()
    for block in raw_sections or ():
        for item in (block.get("value") or {}).get("items") or ():
            # A ListBlock item is stored as {"type": "item", "value": …}
            # since Wagtail 2.16, as the bare value before.
            value = item.get("value", item) if isinstance(item, dict) else {}
            if isinstance(value, dict) and isinstance(value.get("record"), int):
                ids.add(value["record"])
    return ids


def candidates(since: dt.date, until: dt.date) -> dict[str, list[Page]]:
    """Live, public Korean records of the period by newsletter section,
    newest first: news by its own section, literature into literature,
    events (starting in the period or the month after it) into news."""
    by_section: dict[str, list[Page]] = {s.value: [] for s in NewsletterSection}
    news = _live_korean(NewsPage, "section").filter(date__gte=since, date__lte=until)
    for page in news.order_by("-date", "-pk"):
        if page.section in by_section:
            by_section[page.section].append(page)
    literature = _live_korean(LiteraturePage).filter(date__gte=since, date__lte=until)
    by_section[NewsletterSection.LITERATURE] = list(literature.order_by("-date", "-pk"))
    events = _live_korean(EventPage).filter(
        date__gte=since, date__lte=until + EVENTS_AHEAD
    )
    by_section[NewsletterSection.NEWS] += list(events.order_by("-date", "-pk"))
    return by_section


def _live_korean(model, *fields: str):
    return (
        model.objects.live()
        .public()
        .filter(locale__language_code=SOURCE_LANGUAGE)
        .only("pk", "date", "translation_key", *fields)
    )


def compose(issue: NewsletterIssuePage, per_section: int = PER_SECTION) -> Composition:
    """Add the period's records to `issue.sections` (in memory; the caller
    saves). Each section holds at most `per_section` items after composing;
    records already in this issue or an earlier one are skipped."""
    since, until = period_of(issue)
    result = Composition(since=since, until=until)
    raw = [dict(block) for block in issue.sections.raw_data]
    present = set(
        Page.objects.filter(pk__in=record_ids(raw)).values_list(
            "translation_key", flat=True
        )
    )
    skip = present | records_in_earlier_issues(issue)
    # Items go into the first block of their section; a section the issue
    # does not have yet gets a new block at the end, in the usual order.
    for section, pages in candidates(since, until).items():
        fresh = [p for p in pages if p.translation_key not in skip]
        block = next(
            (
                b
                for b in raw
                if b.get("type") == "section"
                and (b.get("value") or {}).get("section") == section
            ),
            None,
        )
        items = list((block or {}).get("value", {}).get("items") or [])
        room = max(per_section - len(items), 0)
        chosen = fresh[:room]
        if not chosen:
            continue
        items += [
            {
                "type": "item",
                "value": {"record": page.pk, "summary": ""},
                "id": str(uuid.uuid4()),
            }
            for page in chosen
        ]
        if block is None:
            raw.append(
                {
                    "type": "section",
                    "value": {"section": section, "items": items},
                    "id": str(uuid.uuid4()),
                }
            )
        else:
            block["value"] = {**block["value"], "items": items}
        skip |= {page.translation_key for page in chosen}
        result.added[section] = len(chosen)
    issue.sections = raw  # type: ignore[assignment]
    return result


def compose_draft(
    issue: NewsletterIssuePage, user: AbstractBaseUser | None = None
) -> Composition:
    """Compose the issue's latest draft and save it as a new revision. The
    issue is never published by this: the editor reviews it first."""
    draft = issue.get_latest_revision_as_object()
    result = compose(draft)
    if result.total:
        draft.save_revision(user=user, log_action=True)
    return result
