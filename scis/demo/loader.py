"""Turning the checked demo archive into published Korean pages and their
English translations. Rerunning creates only what is missing."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files import File
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page

from scis.about.models import DefinitionIndexPage, DefinitionPage
from scis.core.catalogue import rebuild as rebuild_catalogue
from scis.core.models import CatalogueEntry
from scis.events.models import EventPage
from scis.home.models import HomePage
from scis.home.structure import ensure_site_structure, publish, translate
from scis.library.models import DocumentPage, LiteratureAuthor, LiteraturePage
from scis.news.models import NewsPage
from scis.projects.models import PolicyPage, ProgrammePage, ProjectOutcome, ProjectPage
from scis.search.index import rebuild as rebuild_search_index
from scis.search.models import SearchDocument
from scis.search.signals import indexing_paused
from scis.taxonomy.models import Organisation, Programme, Region
from scis.taxonomy.services import load_taxonomy

from .records import (
    DATA_DIR,
    HARVEST_SOURCES_FILE,
    TAXONOMY,
    DemoDataError,
    paragraphs_html,
    read_archive,
)

PDF_DIR = Path(__file__).resolve().parent / "pdfs"
SEOUL = ZoneInfo("Asia/Seoul")


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    missing_files: int = 0


def _aware(value) -> dt.datetime:
    moment = (
        value
        if isinstance(value, dt.datetime)
        else dt.datetime.fromisoformat(str(value))
    )
    return moment if moment.tzinfo else moment.replace(tzinfo=SEOUL)


def _pdf(record: dict, lang: str, result: LoadResult):
    """The Wagtail document for a record's PDF in one language, shared by reruns."""
    path = PDF_DIR / f"{record['slug']}.{lang}.pdf"
    if not path.exists():
        result.missing_files += 1
        return None
    document_model = get_document_model()
    existing = document_model.objects.filter(title=path.name).first()
    if existing is not None:
        return existing
    with path.open("rb") as handle:
        document = document_model(title=path.name)
        document.file.save(path.name, File(handle), save=False)
        document.save()
    return document


def _language_fields(record: dict, lang: str, result: LoadResult) -> dict:
    """The fields of one language version of a record."""
    block = record[lang]
    values = {
        "title": block["title"].strip(),
        "summary": block["summary"].strip(),
        "search_description": block["summary"].strip()[:255],
        "body": paragraphs_html(block["body"]),
    }
    kind = record["type"]
    if kind == "news":
        values["photo_credit"] = block.get("photo_credit", "")
    elif kind == "literature":
        values["venue"] = block.get("venue", "")
        values["keywords"] = ", ".join(block.get("keywords") or [])
        values["authors"] = [
            LiteratureAuthor(
                name=author[f"name_{lang}"],
                affiliation=author.get(f"affiliation_{lang}", ""),
                sort_order=position,
            )
            for position, author in enumerate(record.get("authors") or [])
        ]
    elif kind == "event":
        values["venue"] = block.get("venue", "")
        values["organiser"] = block.get("organiser", "")
    elif kind == "document":
        values["file"] = _pdf(record, lang, result)
    elif kind == "definition":
        values["source_name"] = block.get("source_name", block["title"]).strip()
        values["citation"] = block.get("citation", "").strip()
    elif kind == "programme":
        values["legal_basis"] = block.get("legal_basis", "").strip()
    elif kind == "project":
        values["outcomes"] = [
            ProjectOutcome(
                indicator=outcome[lang],
                baseline=_decimal(outcome.get("baseline")),
                value=_decimal(outcome["value"]),
                unit=outcome.get(f"unit_{lang}", ""),
                measured_on=outcome.get("date"),
                sort_order=position,
            )
            for position, outcome in enumerate(record.get("outcomes") or [])
        ]
    return values


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _coordinate(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.00001"))


def _shared_fields(record: dict) -> dict:
    """Fields that are the same in both languages."""
    kind = record["type"]
    values = {
        "date": record["date"],
        "provenance": record.get("provenance", "typed"),
        "original_url": record.get("original_url", ""),
        "source_id": record.get("source_id", ""),
    }
    if kind == "news":
        values["section"] = record["section"]
        values["video_url"] = record.get("video_url", "")
    elif kind == "literature":
        values["year"] = record.get("year", record["date"].year)
        values["doi"] = record.get("doi", "")
        values["external_url"] = record.get("url", "")
    elif kind == "event":
        values["start"] = _aware(record["start"])
        values["end"] = _aware(record["end"])
        values["mode"] = record.get("mode", "offline")
        values["contact"] = record.get("contact", "")
        values["registration_url"] = record.get("registration_url", "")
        for axis in ("latitude", "longitude"):
            if record.get(axis) is not None:
                values[axis] = _coordinate(record[axis])
    elif kind == "document":
        values["kind"] = record.get("kind", "report")
        values["year"] = record.get("year", record["date"].year)
    elif kind == "definition":
        values["country_code"] = record.get("country_code", "")
        values["sort_order"] = record.get("order", 0)
    elif kind == "programme":
        values["programme"] = Programme.objects.get(slug=record["programme"])
        values["status"] = record["status"]
        values["start_date"] = record["start"]
        values["end_date"] = record.get("end")
        values["budget"] = record.get("budget")
    elif kind == "project":
        budget = record.get("budget") or {}
        values.update(
            programme=Programme.objects.get(slug=record["programme"]),
            cohort_year=record["cohort"],
            stage=record["stage"],
            city=Region.objects.filter(slug=record.get("city") or "").first(),
            lead_organisation=Organisation.objects.filter(
                slug=record.get("lead") or ""
            ).first(),
            budget_national=budget.get("national"),
            budget_local=budget.get("local"),
            budget_private=budget.get("private"),
            start_date=record["start"],
            end_date=record.get("end"),
            latitude=_coordinate(record.get("latitude")),
            longitude=_coordinate(record.get("longitude")),
            area=(
                {"type": "Polygon", "coordinates": record["area"]}
                if record.get("area")
                else None
            ),
        )
    elif kind == "policy":
        values.update(
            kind=record["kind"],
            status=record["status"],
            valid_from=record["valid_from"],
            valid_until=record.get("valid_until"),
            supersedes=PolicyPage.objects.filter(
                slug=record.get("supersedes") or "", locale__language_code="ko"
            ).first(),
        )
    return values


MODELS = {
    "news": NewsPage,
    "literature": LiteraturePage,
    "event": EventPage,
    "document": DocumentPage,
    "definition": DefinitionPage,
    "programme": ProgrammePage,
    "project": ProjectPage,
    "policy": PolicyPage,
}
# Load order: what other records point at comes first (the brochure for the
# about pages, programme pages for their projects, projects for the news).
LOAD_ORDER = ("document", "programme", "policy", "project")


def _parent(home: HomePage, record: dict) -> Page:
    if record["type"] == "project":
        projects = home.get_children().get(slug="projects")
        return ProgrammePage.objects.child_of(projects).get(
            programme__slug=record["programme"]
        )
    path = {
        "news": f"news/{record.get('section')}",
        "literature": "literature",
        "event": "events",
        "document": "documents",
        "definition": "about/what-is-a-smart-city",
        "programme": "projects",
        "policy": "policies",
    }[record["type"]]
    page: Page = home
    for slug in path.split("/"):
        page = page.get_children().get(slug=slug)
    return page


def _terms(record: dict) -> dict:
    """Many-to-many links, the same in both languages: taxonomy terms, a
    project's partners, the projects a news item is about."""
    terms = {
        name: list(model.objects.filter(slug__in=record.get(name) or []))
        for name, model in TAXONOMY.items()
    }
    if record["type"] == "project":
        terms["partners"] = list(
            Organisation.objects.filter(slug__in=record.get("partners") or [])
        )
    if record["type"] == "news":
        terms["projects"] = list(
            ProjectPage.objects.filter(
                slug__in=record.get("projects") or [], locale__language_code="ko"
            )
        )
    return terms


def load_record(home: HomePage, record: dict, en: Locale, result: LoadResult) -> None:
    parent = _parent(home, record)
    model = MODELS[record["type"]]
    shared = _shared_fields(record)
    terms = _terms(record)
    page = model.objects.child_of(parent).filter(slug=record["slug"]).first()
    created = page is None
    if created:
        page = model(slug=record["slug"], locale=home.locale, **shared)
        for name, value in _language_fields(record, "ko", result).items():
            setattr(page, name, value)
        for name, value in terms.items():
            setattr(page, name, value)
        parent.add_child(instance=page)
        publish(page)
    had_translation = page.get_translations().filter(locale=en).exists()
    if not had_translation:
        values = {**_language_fields(record, "en", result), **terms}
        translate(page, en, **values)
    if created or not had_translation:
        result.created += 1
    else:
        result.skipped += 1


def _body_stream(text: str) -> list[tuple[str, object]]:
    from django.utils.safestring import mark_safe

    return [("paragraph", mark_safe(paragraphs_html(text)))]  # noqa: S308 — escaped above


def _fill_about_page(page: Page, block: dict, extra: list | None = None) -> bool:
    """Write about-page text into an empty page; never overwrite an edited one."""
    if not block:
        return False
    if isinstance(page, DefinitionIndexPage):
        if page.introduction and page.introduction != block.get("summary"):
            return False
        intro = "\n\n".join(
            filter(None, [block.get("summary", ""), block.get("body", "")])
        )
        if page.introduction == intro:
            return False
        page.introduction = intro
    else:
        if len(page.body):
            return False
        page.introduction = block.get("summary", "")
        page.body = _body_stream(block.get("body", "")) + (extra or [])
    publish(page)
    return True


def load_about(home: HomePage, about: dict, en: Locale, result: LoadResult) -> None:
    about_page = home.get_children().get(slug="about").specific
    targets = {
        "about": about_page,
        "intro": about_page.get_children().get(slug="what-is-a-smart-city").specific,
        "history": about_page.get_children().get(slug="history").specific,
        "information_system": about_page.get_children()
        .get(slug="information-system")
        .specific,
    }
    brochure = DocumentPage.objects.filter(
        slug__contains="brochure", locale=home.locale
    ).first()
    for key, ko_page in targets.items():
        content = about.get(key) or {}
        for lang, page in (("ko", ko_page), ("en", ko_page.translation_in("en"))):
            if page is None:
                continue
            extra = []
            if key == "history" and content.get("events"):
                extra.append(
                    (
                        "timeline",
                        {
                            "heading": content[lang].get("timeline_heading", ""),
                            "events": [
                                {
                                    "year": event["year"],
                                    "title": event[lang]["title"],
                                    "text": event[lang].get("text", ""),
                                }
                                for event in content["events"]
                            ],
                        },
                    )
                )
            if key == "information_system" and brochure is not None:
                target = (
                    brochure
                    if lang == "ko"
                    else brochure.translation_in("en") or brochure
                )
                extra.append(
                    (
                        "download",
                        {
                            "title": target.title,
                            "description": target.summary,
                            "page": target,
                            "document": target.file,
                        },
                    )
                )
            if _fill_about_page(page, content.get(lang, {}), extra):
                result.updated += 1


def load_demo(
    data_dir: Path | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> LoadResult:
    """Load the whole demo archive (taxonomy, site structure, records, about
    pages). Checks every file first; writes nothing if any record is wrong."""
    load_taxonomy()
    archive = read_archive(data_dir)
    result = LoadResult()
    home = ensure_site_structure()
    en = Locale.objects.get(language_code="en")
    total = len(archive.records)
    ordered = sorted(
        archive.records,
        key=lambda r: (
            LOAD_ORDER.index(r["type"]) if r["type"] in LOAD_ORDER else len(LOAD_ORDER),
            r["date"],
        ),
    )
    # Records are indexed for search in one pass at the end, not one task each.
    with indexing_paused():
        for position, record in enumerate(ordered, start=1):
            with transaction.atomic():
                load_record(home, record, en, result)
            if progress:
                progress(position, total, record["slug"])
    with transaction.atomic():
        load_about(home, archive.about, en, result)
    from .newsletters import load_newsletters

    result.created += load_newsletters(home, en)
    from scis.editorial.services import setup_editorial

    setup_editorial()
    if not CatalogueEntry.objects.exists():  # a database older than the catalogue
        rebuild_catalogue()
    if result.created or result.updated or not SearchDocument.objects.exists():
        rebuild_search_index()
    return result


def load_harvest_sources(data_dir: Path | None = None) -> int:
    """Create the demo's harvest sources (harvest_sources.yaml) that do not
    exist yet, and return how many. The load_demo command calls it after
    load_demo(); the test suite's archive has no sources, so harvest tests
    start from an empty source list. Sources already there are left as they
    are, so an administrator's changes (a real feed switched on, a new
    schedule) survive a rerun of load_demo."""
    import yaml

    from scis.harvest.models import Source
    from scis.harvest.sources import SourceError, load_sources

    path = (data_dir or DATA_DIR) / HARVEST_SOURCES_FILE
    if not path.exists():
        return 0
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise DemoDataError([f"{path.name}: cannot be read as YAML: {exc}"]) from exc
    if not isinstance(entries, list):
        raise DemoDataError([f"{path.name}: expected a list of harvest sources"])
    existing = set(Source.objects.values_list("slug", flat=True))
    missing = [
        entry
        for entry in entries
        if not (isinstance(entry, dict) and entry.get("slug") in existing)
    ]
    if not missing:
        return 0
    try:
        created, _updated = load_sources(missing)
    except SourceError as exc:
        raise DemoDataError(
            [f"{path.name}: {problem}" for problem in exc.problems]
        ) from exc
    return created
