"""The policy archive's timeline: policies and programmes in the reader's
language, in the order they began, from the U-City era to plans ahead."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.http import QueryDict
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from scis.core.catalogue import version
from scis.core.listing import records_for
from scis.core.models import CatalogueEntry

from .models import PolicyPage, ProgrammePage, Status

# The Smart City Act (2017) replaced the U-City Act: the archive's two eras.
SMART_CITY_ACT_YEAR = 2017
ERAS = (
    ("u-city", gettext_lazy("U-City era"), None, SMART_CITY_ACT_YEAR - 1),
    ("smart-city", gettext_lazy("Smart city era"), SMART_CITY_ACT_YEAR, None),
)


@dataclass
class TimelineEntry:
    title: str
    url: str
    type_label: str
    status: str
    status_label: str
    start: dt.date
    end: dt.date | None
    summary: str
    fallback: bool
    successor_title: str = ""
    successor_url: str = ""


@dataclass
class Era:
    slug: str
    label: str
    entries: list[TimelineEntry]


@dataclass
class Timeline:
    eras: list[Era]
    status: str = ""
    notices: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(era.entries) for era in self.eras)

    @property
    def all_count(self) -> int:
        return sum(self.counts.values())

    @property
    def statuses(self) -> list[tuple[str, str, int]]:
        return [
            (value, str(label), self.counts.get(value, 0))
            for value, label in Status.choices
        ]


def _entry(page, language: str) -> TimelineEntry:
    if isinstance(page, PolicyPage):
        start, end = page.valid_from, page.valid_until
        type_label = page.get_kind_display()
        successor = page.successor() if page.is_archived else None
    else:
        start, end = page.start_date, page.end_date
        type_label = str(page.record_type_label)
        successor = None
    return TimelineEntry(
        title=page.title,
        url=page.url,
        type_label=type_label,
        status=page.status,
        status_label=page.get_status_display(),
        start=start,
        end=end,
        summary=page.summary,
        fallback=page.locale.language_code != language,
        successor_title=successor.title if successor else "",
        successor_url=successor.url if successor else "",
    )


def _entries(language: str) -> list[TimelineEntry]:
    key = f"scis:timeline:{version()}:{language}"
    entries = cache.get(key)
    if entries is None:
        rows = CatalogueEntry.objects.filter(
            language=language, record_type__in=["policy", "programme"]
        ).order_by("date", "id")
        pages = [
            p
            for p in records_for(list(rows))
            if isinstance(p, PolicyPage | ProgrammePage)
        ]
        entries = sorted(
            (_entry(page, language) for page in pages),
            key=lambda e: (e.start, e.title),
        )
        cache.set(key, entries, 3600)
    return entries


def build_timeline(params: QueryDict) -> Timeline:
    language = get_language() or "ko"
    entries = _entries(language)
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry.status] = counts.get(entry.status, 0) + 1
    status = params.get("status", "").strip()
    notices = []
    if status and status not in Status.values:
        notices.append(
            _("There is no status “%(value)s”; every policy is shown.")
            % {"value": status[:60]}
        )
        status = ""
    if status:
        entries = [e for e in entries if e.status == status]
    eras = []
    for slug, label, first, last in ERAS:
        inside = [
            e
            for e in entries
            if (first is None or e.start.year >= first)
            and (last is None or e.start.year <= last)
        ]
        if inside:
            eras.append(Era(slug=slug, label=str(label), entries=inside))
    return Timeline(eras=eras, status=status, notices=notices, counts=counts)
