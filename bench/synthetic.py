"""Building the synthetic archive: N published Korean record pages (half of
them with an English translation) inserted in bulk, straight into the tables.
Projects are filed under one programme page per taxonomy programme, which
the builder adds first (the demo loader, which normally writes them, is not
used by the bench).

Wagtail's add_child + publish costs tens of milliseconds a page, far too slow
for 100,000 records, so this module writes what those calls would leave
behind: treebeard paths computed here, `wagtailcore_page` rows through
`bulk_create`, the specific model's own table through Django's insert query
(bulk_create refuses multi-table inheritance), and the taxonomy links as
plain multi-row inserts. No revisions, search index or reference index are
written: the bench measures pages as readers get them.
"""

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils.html import escape
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
from scis.projects.models import (
    ProgrammePage,
    ProjectOutcome,
    ProjectPage,
    Status,
)
from scis.taxonomy.models import Organisation, Programme, Region, Topic

from .phrases import JOURNALS, VENUES
from .projects import ProjectFacts, ProjectMaker, selection_day
from .spread import Terms, jitter
from .text import ProseGenerator

SEOUL = ZoneInfo("Asia/Seoul")
MODELS = {
    "news": NewsPage,
    "literature": LiteraturePage,
    "event": EventPage,
    "document": DocumentPage,
    "project": ProjectPage,
}
# The records --records counts; the programme pages are structure around them.
RECORD_MODELS = tuple(MODELS.values())
STRUCTURE_MODELS = (ProgrammePage,)
KIND_SHARES = {
    "news": 0.55,
    "literature": 0.15,
    "event": 0.15,
    "document": 0.10,
    "project": 0.05,
}
# Parent index pages, by slug path below the Korean home page. Projects go
# under their programme's page ("programme:<pk>" slots, added by the builder).
PARENTS = {
    **{f"news/{s}": f"news/{s}" for s in Section.values},
    "literature": "literature",
    "event": "events",
    "document": "documents",
    "projects": "projects",
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


def planned_counts(records: int) -> dict[str, int]:
    """How many records of each kind an archive of `records` holds."""
    counts = {kind: int(records * share) for kind, share in KIND_SHARES.items()}
    counts["news"] += records - sum(counts.values())
    return counts


def _plan(records: int, rng: random.Random) -> list[Spec]:
    """Kinds in the target mix, dates spread over 2018–2026 (projects over
    their cohort years), oldest first (the order an archive fills up in, so
    page ids grow with dates)."""
    kinds = [kind for kind, n in planned_counts(records).items() for _ in range(n)]
    rng.shuffle(kinds)
    today = min(dt.date.today(), LAST_DAY)
    specs = []
    for index, kind in enumerate(kinds):
        if kind == "project":
            day = selection_day(rng, today)
        else:
            # Events may lie ahead; other records are dated no later than today.
            last = LAST_DAY if kind == "event" else today
            span = (last - FIRST_DAY).days
            day = FIRST_DAY + dt.timedelta(days=rng.randint(0, span))
        # A project's programme page is chosen with its other facts (_project).
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
        self.terms = {
            name: Terms.load(m.objects.all(), self.rng) for name, m in TAXONOMY.items()
        }
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
            for kind, model in {**MODELS, "programme": ProgrammePage}.items()
        }
        self.locales = (
            Locale.objects.get(language_code="ko"),
            Locale.objects.get(language_code="en"),
        )
        self.slots = self._slots()
        self.page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
        self.today = min(dt.date.today(), LAST_DAY)
        self.projects = ProjectMaker(self.rng, self.today)

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
        self._add_programme_pages()
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

    # Programme pages ------------------------------------------------------

    def _add_programme_pages(self) -> None:
        """One programme page per taxonomy programme under the projects index,
        in both languages (those already there are reused), and a slot for
        each to receive its projects."""
        ko_index = self.slots["projects"][0].page
        existing = {
            page.programme_id: page
            for page in ProgrammePage.objects.child_of(ko_index).filter(
                locale=self.locales[0]
            )
        }
        objects: list[Page] = []
        links: list[tuple[Page, dict[str, list[int]]]] = []
        for programme in self.projects.programmes:
            key = f"programme:{programme.pk}"
            if programme.pk in existing:
                ko_page = existing[programme.pk]
                en_page = Page.objects.get(
                    translation_key=ko_page.translation_key, locale=self.locales[1]
                )
                self.slots[key] = (_slot(ko_page), _slot(en_page))
                continue
            terms = {
                "programmes": [programme.pk],
                "organisations": [programme.lead_id] if programme.lead_id else [],
            }
            pages = list(self._programme_pages(programme))
            for page in pages:
                objects.append(page)
                links.append((page, terms))
            self.slots[key] = (Slot(pages[0], 1), Slot(pages[1], 1))
        self._write(objects, links)

    def _programme_pages(self, programme: Programme):
        """A programme's page in Korean and English (unsaved)."""
        start = dt.date(programme.start_year or FIRST_DAY.year, 1, 1)
        end = dt.date(programme.end_year, 12, 31) if programme.end_year else None
        published = dt.datetime.combine(start, dt.time(9), SEOUL)
        translation_key = _uuid(self.rng)
        budget = self.rng.randint(200, 30_000) * 10**8  # 200억 – 3조 원
        for lang in (0, 1):
            slot = self.slots["projects"][lang]
            names = (programme.name_ko, programme.name_en)
            descriptions = (programme.description_ko, programme.description_en)
            yield ProgrammePage(
                **self._tree_fields(slot, programme.slug, lang, translation_key),
                title=names[lang],
                draft_title=names[lang],
                content_type_id=self.content_types["programme"],
                first_published_at=published,
                last_published_at=published,
                latest_revision_created_at=published,
                search_description=descriptions[lang][:255],
                summary=descriptions[lang],
                body=f"<p>{escape(descriptions[lang])}</p>"
                if descriptions[lang]
                else "",
                date=start,
                provenance="typed",
                programme_id=programme.pk,
                status=(
                    Status.PAST
                    if end is not None and end < self.today
                    else Status.CURRENT
                ),
                start_date=start,
                end_date=end,
                budget=budget,
            )

    def _tree_fields(self, slot: Slot, slug: str, lang: int, translation_key) -> dict:
        """Where a new child of `slot` goes, and the page fields every
        published synthetic page shares."""
        path = slot.page.path + _step_key(slot.next_step)
        slot.next_step += 1
        slot.added += 1
        return {
            "slug": slug,
            "path": path,
            "depth": slot.page.depth + 1,
            "numchild": 0,
            "url_path": f"{slot.page.url_path}{slug}/",
            "locale_id": self.locales[lang].pk,
            "translation_key": translation_key,
            "live": True,
            "has_unpublished_changes": False,
            "show_in_menus": False,
        }

    # One chunk --------------------------------------------------------------

    def _insert(self, specs: list[Spec]) -> None:
        objects: list[Page] = []
        links: list[tuple[Page, dict[str, list[int]]]] = []
        authors: list[tuple[Page, list]] = []
        outcomes: list[ProjectOutcome] = []
        for spec in specs:
            terms = {name: t.pick(self.rng) for name, t in self.terms.items()}
            project = (
                self.projects.facts(spec.date, terms)
                if spec.kind == "project"
                else None
            )
            for page, people, results in self._pages(spec, terms, project):
                objects.append(page)
                links.append((page, terms))
                if people:
                    authors.append((page, people))
                outcomes += results
        self._write(objects, links)
        LiteratureAuthor.objects.bulk_create(
            LiteratureAuthor(page_id=page.pk, name=name, affiliation=aff, sort_order=i)
            for page, people in authors
            for i, (name, aff) in enumerate(people)
        )
        for outcome in outcomes:
            outcome.page_id = outcome.page.pk
        ProjectOutcome.objects.bulk_create(outcomes, batch_size=2000)

    def _write(
        self, objects: list[Page], links: list[tuple[Page, dict[str, list[int]]]]
    ) -> None:
        """The pages' wagtailcore_page rows, their own tables' rows and their
        taxonomy links; sets each object's new id."""
        if not objects:
            return
        rows = Page.objects.bulk_create(
            [
                Page(**{f.attname: getattr(obj, f.attname) for f in self.page_fields})
                for obj in objects
            ]
        )
        for obj, row in zip(objects, rows, strict=True):
            assert row.pk is not None, "the database did not return new page ids"
            obj.pk = obj.id = row.pk
        for model in RECORD_MODELS + STRUCTURE_MODELS:
            self._insert_specific(model, [o for o in objects if type(o) is model])
        self._insert_links(links)

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

    def _pages(
        self,
        spec: Spec,
        terms: dict[str, list[int]],
        project: ProjectFacts | None = None,
    ):
        """The Korean page and, when translated, its English twin (unsaved),
        each with its authors as (name, affiliation) pairs and its project
        outcomes (unsaved rows)."""
        rng = self.rng
        texts = self.prose.record(spec.kind, project.place if project else None)
        slug = f"{spec.date.year}-{_slugify(texts.title[1])}-{spec.index}"
        shared = self._shared_fields(spec, terms)
        if project is not None:
            shared.update(project.fields)
        people = [self.prose.person() for _ in range(rng.randint(1, 3))]
        extracted = (
            self.prose.extracted_text(texts.focus) if spec.kind == "document" else None
        )
        hour, minute = rng.randint(8, 19), rng.randint(0, 59)
        published = dt.datetime.combine(spec.date, dt.time(hour, minute), SEOUL)
        translation_key = _uuid(rng)
        languages = (0, 1) if spec.translated else (0,)
        parent = project.parent if project is not None else spec.parent
        for lang in languages:
            slot = self.slots[parent][lang]
            values = {
                **self._tree_fields(slot, slug, lang, translation_key),
                "title": texts.title[lang],
                "draft_title": texts.title[lang],
                "content_type_id": self.content_types[spec.kind],
                "first_published_at": published,
                "last_published_at": published,
                "latest_revision_created_at": published,
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
            results = (
                [
                    ProjectOutcome(
                        page=page,
                        indicator=indicator[lang],
                        baseline=baseline,
                        value=value,
                        unit=unit[lang],
                        measured_on=project.measured_on,
                        sort_order=position,
                    )
                    for position, (indicator, unit, baseline, value) in enumerate(
                        project.outcomes
                    )
                ]
                if project is not None
                else []
            )
            yield page, names, results

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
            values["latitude"] = jitter(lat, rng)
            values["longitude"] = jitter(lon, rng)
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
