"""Building the synthetic archive: N published Korean record pages (half of
them with an English translation) inserted in bulk, straight into the tables.

Wagtail's add_child + publish costs tens of milliseconds a page, far too slow
for 100,000 records, so this module writes what those calls would leave
behind: treebeard paths computed here, `wagtailcore_page` rows through
`bulk_create`, the specific model's own table through Django's insert query
(bulk_create refuses multi-table inheritance), and the taxonomy links as
plain multi-row inserts. No revisions, search index or reference index are
written: the bench measures pages as readers get them.
"""

import datetime as dt
import itertools
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from wagtail.models import Locale, Page

from scis.events.models import EventMode, EventPage
from scis.home.models import HomePage
from scis.library.models import (
    DocumentKind,
    DocumentPage,
    LiteratureAuthor,
    LiteraturePage,
)
from scis.news.models import NewsPage, Section
from scis.taxonomy.models import Organisation, Programme, Region, Topic

from .text import JOURNALS, VENUES, ProseGenerator

SEOUL = ZoneInfo("Asia/Seoul")
MODELS = {
    "news": NewsPage,
    "literature": LiteraturePage,
    "event": EventPage,
    "document": DocumentPage,
}
RECORD_MODELS = tuple(MODELS.values())
KIND_SHARES = {"news": 0.60, "literature": 0.15, "event": 0.15, "document": 0.10}
# Parent index pages, by slug path below the Korean home page.
PARENTS = {
    **{f"news/{s}": f"news/{s}" for s in Section.values},
    "literature": "literature",
    "event": "events",
    "document": "documents",
}
TAXONOMY = {
    "regions": Region,
    "programmes": Programme,
    "topics": Topic,
    "organisations": Organisation,
}
FIRST_DAY = dt.date(2018, 1, 1)
LAST_DAY = dt.date(2026, 12, 31)
TRANSLATED_SHARE = 0.5
PROVENANCE = (("imported", 0.5), ("harvested", 0.3), ("typed", 0.2))

Progress = Callable[[int, int], None]


@dataclass
class Spec:
    """What one record will be, decided before any text is made."""

    index: int
    kind: str
    parent: str
    date: dt.date
    translated: bool


@dataclass
class Slot:
    """An index page receiving new children, and the next free tree step."""

    page: Page
    next_step: int
    added: int = 0


@dataclass
class Terms:
    """One taxonomy's term ids with skewed weights: a few terms are popular."""

    ids: list[int]
    cum_weights: list[float] = field(default_factory=list)

    @classmethod
    def load(cls, model, rng: random.Random) -> "Terms":
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
        rng.shuffle(ids)
        weights = [1 / (rank + 1) ** 0.8 for rank in range(len(ids))]
        return cls(ids, list(itertools.accumulate(weights)))

    def pick(self, rng: random.Random) -> list[int]:
        """One to three distinct terms."""
        wanted = min(rng.randint(1, 3), len(self.ids))
        chosen: list[int] = []
        for _attempt in range(wanted * 8):
            term = rng.choices(self.ids, cum_weights=self.cum_weights)[0]
            if term not in chosen:
                chosen.append(term)
            if len(chosen) == wanted:
                break
        return chosen


def _step_key(step: int) -> str:
    """Treebeard's step: `step` in base 36 (Page.alphabet), Page.steplen wide."""
    alphabet, width = Page.alphabet, Page.steplen
    if step >= len(alphabet) ** width:
        raise ValueError(f"Too many children for one parent page ({step}).")
    digits = []
    for _position in range(width):
        step, digit = divmod(step, len(alphabet))
        digits.append(alphabet[digit])
    return "".join(reversed(digits))


def _slot(page: Page) -> Slot:
    last = page.get_children().order_by("-path").values_list("path", flat=True).first()
    next_step = int(last[-Page.steplen :], len(Page.alphabet)) + 1 if last else 1
    return Slot(page=page, next_step=next_step)


def _plan(records: int, rng: random.Random) -> list[Spec]:
    """Kinds in the target mix, dates spread over 2018–2026, oldest first (the
    order an archive fills up in, so page ids grow with dates)."""
    counts = {kind: int(records * share) for kind, share in KIND_SHARES.items()}
    counts["news"] += records - sum(counts.values())
    kinds = [kind for kind, n in counts.items() for _ in range(n)]
    rng.shuffle(kinds)
    today = min(dt.date.today(), LAST_DAY)
    specs = []
    for index, kind in enumerate(kinds):
        # Events may lie ahead; other records are dated no later than today.
        last = LAST_DAY if kind == "event" else today
        day = FIRST_DAY + dt.timedelta(days=rng.randint(0, (last - FIRST_DAY).days))
        parent = f"news/{rng.choice(Section.values)}" if kind == "news" else kind
        translated = rng.random() < TRANSLATED_SHARE
        specs.append(Spec(index, kind, parent, day, translated))
    specs.sort(key=lambda s: (s.date, s.index))
    return specs


class ArchiveBuilder:
    """Adds `records` synthetic records under the site's index pages."""

    def __init__(self, records: int, seed: int, progress: Progress | None = None):
        self.records = records
        self.rng = random.Random(seed)
        self.progress = progress
        self.prose = ProseGenerator(self.rng)
        self.terms = {name: Terms.load(m, self.rng) for name, m in TAXONOMY.items()}
        self.region_coords = {
            pk: (lat, lon)
            for pk, lat, lon in Region.objects.values_list(
                "pk", "latitude", "longitude"
            )
        }
        self.organisation_names = {
            pk: (ko, en)
            for pk, ko, en in Organisation.objects.values_list(
                "pk", "name_ko", "name_en"
            )
        }
        self.content_types = {
            kind: ContentType.objects.get_for_model(model).pk
            for kind, model in MODELS.items()
        }
        self.locales = (
            Locale.objects.get(language_code="ko"),
            Locale.objects.get(language_code="en"),
        )
        self.slots = self._slots()
        self.page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]

    def _slots(self) -> dict[str, tuple[Slot, Slot]]:
        ko, en = self.locales
        home = HomePage.objects.get(locale=ko, depth=2)
        slots = {}
        for key, slug_path in PARENTS.items():
            page: Page = home
            for slug in slug_path.split("/"):
                page = page.get_children().get(slug=slug)
            translation = Page.objects.get(
                translation_key=page.translation_key, locale=en
            )
            slots[key] = (_slot(page), _slot(translation))
        return slots

    @transaction.atomic
    def build(self) -> None:
        specs = _plan(self.records, self.rng)
        chunk = max(1, min(1000, self.records // 20))
        for start in range(0, len(specs), chunk):
            self._insert(specs[start : start + chunk])
            if self.progress:
                self.progress(min(start + chunk, len(specs)), len(specs))
        for ko_slot, en_slot in self.slots.values():
            for slot in (ko_slot, en_slot):
                Page.objects.filter(pk=slot.page.pk).update(
                    numchild=F("numchild") + slot.added
                )

    # One chunk --------------------------------------------------------------

    def _insert(self, specs: list[Spec]) -> None:
        objects: list[Page] = []
        links: list[tuple[Page, dict[str, list[int]]]] = []
        authors: list[tuple[Page, list]] = []
        for spec in specs:
            terms = {name: t.pick(self.rng) for name, t in self.terms.items()}
            for page, people in self._pages(spec, terms):
                objects.append(page)
                links.append((page, terms))
                if people:
                    authors.append((page, people))
        rows = Page.objects.bulk_create(
            [
                Page(**{f.attname: getattr(obj, f.attname) for f in self.page_fields})
                for obj in objects
            ]
        )
        for obj, row in zip(objects, rows, strict=True):
            assert row.pk is not None, "the database did not return new page ids"
            obj.pk = obj.id = row.pk
        for model in RECORD_MODELS:
            self._insert_specific(model, [o for o in objects if type(o) is model])
        self._insert_links(links)
        LiteratureAuthor.objects.bulk_create(
            LiteratureAuthor(page_id=page.pk, name=name, affiliation=aff, sort_order=i)
            for page, people in authors
            for i, (name, aff) in enumerate(people)
        )

    def _insert_specific(self, model, objects: list[Page]) -> None:
        """The model's own table row for each page (page_ptr_id = the new id)."""
        if not objects:
            return
        fields = model._meta.local_concrete_fields
        batch = max(1, connection.ops.bulk_batch_size(fields, objects))
        for start in range(0, len(objects), batch):
            model._base_manager._insert(
                objects[start : start + batch], fields=fields, using=connection.alias
            )

    def _insert_links(self, links: list[tuple[Page, dict[str, list[int]]]]) -> None:
        rows: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
        for page, terms in links:
            for name, ids in terms.items():
                relation = type(page)._meta.get_field(name)
                key = (
                    relation.m2m_db_table(),
                    relation.m2m_column_name(),
                    relation.m2m_reverse_name(),
                )
                rows.setdefault(key, []).extend((page.pk, term) for term in ids)
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            for (table, page_col, term_col), values in rows.items():
                # Names from the models' own meta, quoted; values are parameters.
                sql = (
                    f"INSERT INTO {qn(table)} ({qn(page_col)}, {qn(term_col)}) "  # noqa: S608
                    "VALUES (%s, %s)"
                )
                for start in range(0, len(values), 5000):
                    cursor.executemany(sql, values[start : start + 5000])

    # One record in both languages -------------------------------------------

    def _pages(self, spec: Spec, terms: dict[str, list[int]]):
        """The Korean page and, when translated, its English twin (unsaved),
        each with its authors as (name, affiliation) pairs."""
        rng = self.rng
        texts = self.prose.record(spec.kind)
        slug = f"{spec.date.year}-{_slugify(texts.title[1])}-{spec.index}"
        shared = self._shared_fields(spec, terms)
        people = [self.prose.person() for _ in range(rng.randint(1, 3))]
        extracted = self.prose.extracted_text() if spec.kind == "document" else None
        hour, minute = rng.randint(8, 19), rng.randint(0, 59)
        published = dt.datetime.combine(spec.date, dt.time(hour, minute), SEOUL)
        translation_key = _uuid(rng)
        languages = (0, 1) if spec.translated else (0,)
        for lang in languages:
            slot = self.slots[spec.parent][lang]
            path = slot.page.path + _step_key(slot.next_step)
            slot.next_step += 1
            slot.added += 1
            values = {
                "title": texts.title[lang],
                "draft_title": texts.title[lang],
                "slug": slug,
                "path": path,
                "depth": slot.page.depth + 1,
                "numchild": 0,
                "url_path": f"{slot.page.url_path}{slug}/",
                "locale_id": self.locales[lang].pk,
                "translation_key": translation_key,
                "content_type_id": self.content_types[spec.kind],
                "live": True,
                "has_unpublished_changes": False,
                "first_published_at": published,
                "last_published_at": published,
                "latest_revision_created_at": published,
                "show_in_menus": False,
                "search_description": texts.summary[lang][:255],
                "summary": texts.summary[lang],
                "body": texts.body[lang],
                **shared,
                **self._language_fields(spec, lang, terms),
            }
            if extracted is not None:
                values["extracted_text"] = extracted[lang]
            page = MODELS[spec.kind](**values)
            names = (
                [(name[lang], aff[lang]) for name, aff in people]
                if spec.kind == "literature"
                else []
            )
            yield page, names

    def _shared_fields(self, spec: Spec, terms: dict[str, list[int]]) -> dict:
        rng = self.rng
        provenance = rng.choices(
            [p for p, _w in PROVENANCE], weights=[w for _p, w in PROVENANCE]
        )[0]
        values: dict = {
            "date": spec.date,
            "provenance": provenance,
            "original_url": (
                f"https://www.molit.go.kr/USR/NEWS/m_71/dtl.jsp?id={spec.index}"
                if provenance != "typed"
                else ""
            ),
            "source_id": f"bench-{spec.index}" if provenance != "typed" else "",
        }
        if spec.kind == "news":
            values["section"] = spec.parent.split("/")[1]
            if rng.random() < 0.05:
                values["video_url"] = f"https://www.youtube.com/watch?v=b{spec.index}"
        elif spec.kind == "literature":
            values["year"] = spec.date.year
            values["doi"] = f"10.5555/scis.bench.{spec.index}"
            values["external_url"] = f"https://doi.org/10.5555/scis.bench.{spec.index}"
        elif spec.kind == "event":
            start = dt.datetime.combine(
                spec.date, dt.time(rng.choice((9, 10, 13, 14))), SEOUL
            )
            values["start"] = start
            values["end"] = start + dt.timedelta(hours=rng.choice((2, 4, 8, 32, 56)))
            values["mode"] = rng.choice(EventMode.values)
            region = terms["regions"][0]
            lat, lon = self.region_coords[region]
            values["latitude"] = _jitter(lat, rng)
            values["longitude"] = _jitter(lon, rng)
            values["contact"] = f"smartcity{spec.index % 97}@example.go.kr"
            values["registration_url"] = f"https://example.go.kr/events/{spec.index}"
        elif spec.kind == "document":
            values["kind"] = rng.choice(DocumentKind.values)
            values["year"] = spec.date.year
        return values

    def _language_fields(
        self, spec: Spec, lang: int, terms: dict[str, list[int]]
    ) -> dict:
        # Seeded by the record, so both language versions pick the same venue.
        pick = random.Random(spec.index)
        if spec.kind == "news":
            return {"photo_credit": ("사진: 국토교통부", "Photo: MOLIT")[lang]}
        if spec.kind == "literature":
            return {
                "venue": pick.choice(JOURNALS)[lang],
                "keywords": "스마트도시, 데이터, 거버넌스"
                if lang == 0
                else "smart city, data, governance",
            }
        if spec.kind == "event":
            organiser = self.organisation_names[terms["organisations"][0]][lang]
            return {"venue": pick.choice(VENUES)[lang], "organiser": organiser}
        return {}


def _slugify(text: str) -> str:
    words = "".join(c if c.isascii() and c.isalnum() else " " for c in text.lower())
    return "-".join(words.split())[:60].strip("-")


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _jitter(value: Decimal, rng: random.Random) -> Decimal:
    return (value + Decimal(rng.uniform(-0.05, 0.05))).quantize(Decimal("0.00001"))
