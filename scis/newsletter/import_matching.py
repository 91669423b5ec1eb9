"""Finding the existing record an item of an old issue stands for, and the
taxonomy organisation a source name stands for.

An item is matched, in this order, to a record of its type in the file's
language: one imported from the same issue (provenance source id
`newsletter-<number>`) with a similar title; one with the same normalised
title; one of the same date with a title at least 90 % similar."""

import re
import unicodedata

from rapidfuzz import fuzz
from wagtail.models import Locale

from scis.core.models import RecordPage
from scis.events.models import EventPage
from scis.library.models import LiteraturePage
from scis.news.models import NewsPage
from scis.taxonomy.models import Organisation

from .legacy import Item

# Within the records of the same issue a looser title match is safe: there
# are a dozen candidates, not the whole archive.
SAME_ISSUE_SCORE = 80
SAME_ISSUE_SAME_DATE_SCORE = 50
SIMILAR_TITLE_SCORE = 90
_JUNK = re.compile(r"[\W_]+")


def source_id(number: int) -> str:
    """The provenance source id of the records of issue `number`."""
    return f"newsletter-{number}"


def normalise_title(title: str) -> str:
    """A title without case, punctuation or spacing differences."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(_JUNK.sub(" ", folded).split())


def _words(title: str) -> int:
    return len(normalise_title(title).split())


def record_model(section: str) -> type[RecordPage]:
    if section == "literature":
        return LiteraturePage
    if section == "news":
        return EventPage
    return NewsPage


class Organisations:
    """Source organisations named in an issue, found in the taxonomy by their
    Korean or English name or abbreviation."""

    def __init__(self) -> None:
        self._names: dict[str, Organisation] = {}
        for organisation in Organisation.objects.all():
            for name in (
                organisation.name_ko,
                organisation.name_en,
                organisation.abbreviation,
            ):
                if name:
                    self._names.setdefault(normalise_title(name), organisation)

    def find(self, text: str) -> Organisation | None:
        if not text.strip():
            return None
        # "Korea Agency for Infrastructure Technology Advancement (KAIA)"
        found = re.fullmatch(r"(.+?)\s*[(（]([^()（）]+)[)）]\s*", text)
        for name in [text, *(found.groups() if found else ())]:
            organisation = self._names.get(normalise_title(name))
            if organisation is not None:
                return organisation
        return None


class RecordMatcher:
    """Finds the existing record an item stands for; never the same record
    for two items."""

    def __init__(self, locale: Locale, number: int):
        self.locale = locale
        self.source_id = source_id(number)
        self.used: set[int] = set()
        self._titles: dict[type, dict[str, list[int]]] = {}

    def _records(self, model: type[RecordPage]):
        return model.objects.filter(locale=self.locale).exclude(pk__in=self.used)

    @staticmethod
    def _score(item: Item, title: str) -> float:
        wanted = normalise_title(title)
        return max(
            fuzz.token_set_ratio(normalise_title(name), wanted)
            for name in (item.title, item.event_name)
            if name
        )

    def _by_title(self, model: type[RecordPage]) -> dict[str, list[int]]:
        if model not in self._titles:
            index: dict[str, list[int]] = {}
            rows = model.objects.filter(locale=self.locale).values_list("pk", "title")
            for pk, title in rows.iterator():
                index.setdefault(normalise_title(title), []).append(pk)
            self._titles[model] = index
        return self._titles[model]

    def match(self, item: Item) -> tuple[RecordPage | None, str]:
        model = record_model(item.section)
        best, best_score = None, 0.0
        for page in self._records(model).filter(source_id=self.source_id):
            score = self._score(item, page.title)
            same_date = item.date is not None and page.date == item.date
            if score >= SAME_ISSUE_SCORE or (
                same_date and score >= SAME_ISSUE_SAME_DATE_SCORE
            ):
                score += 100 * same_date  # the same day breaks ties
                if score > best_score:
                    best, best_score = page, score
        if best is not None:
            return self._use(best), "same issue, similar title"
        for name in (item.title, item.event_name):
            candidates = (
                [
                    pk
                    for pk in self._by_title(model).get(normalise_title(name), [])
                    if pk not in self.used
                ]
                if name
                else []
            )
            if candidates:
                pages = model.objects.filter(pk__in=candidates).order_by("pk")
                page = next(
                    (p for p in pages if item.date and p.date == item.date),
                    pages.first(),
                )
                if page is not None:
                    return self._use(page), "same title"
        if item.date is not None:
            scored = [
                (self._score(item, page.title), page)
                for page in self._records(model).filter(date=item.date)
            ]
            # A title of one or two words is "similar" to any title holding
            # them: too little to go on across the archive.
            scored = [
                entry
                for entry in scored
                if entry[0] >= SIMILAR_TITLE_SCORE
                and min(_words(item.title), _words(entry[1].title)) >= 3
            ]
            if scored:
                page = max(scored, key=lambda entry: (entry[0], -entry[1].pk))[1]
                return self._use(page), "similar title, same date"
        return None, ""

    def _use(self, page: RecordPage) -> RecordPage:
        self.used.add(page.pk)
        return page
