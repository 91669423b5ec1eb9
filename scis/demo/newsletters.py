"""Demo newsletter issues (data/newsletters/issues.yaml): published Korean
issues with their English translations, whose items are demo records.
Rerunning creates only the issues that are missing."""

import json
import uuid
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from wagtail.models import Locale, Page

from scis.core.models import RecordPage
from scis.home.models import HomePage
from scis.home.structure import publish, translate
from scis.newsletter.models import (
    NewsletterIndexPage,
    NewsletterIssuePage,
    NewsletterSection,
)

from .records import DATA_DIR, DemoDataError

ISSUES_FILE = DATA_DIR / "newsletters" / "issues.yaml"


def read_issues(path: Path | None = None) -> list[dict]:
    """The issues of the file, checked completely before anything is written:
    numbers, dates, both languages, known sections and existing records."""
    path = path or ISSUES_FILE
    try:
        issues = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as exc:
        raise DemoDataError([f"{path.name}: cannot be read as YAML: {exc}"]) from exc
    problems = []
    sections = set(NewsletterSection.values)
    for position, issue in enumerate(issues, start=1):
        where = f"{path.name} #{position} (No. {issue.get('number', '?')})"
        if not isinstance(issue.get("number"), int):
            problems.append(f"{where}: number must be a whole number")
        for lang in ("ko", "en"):
            if not str((issue.get(lang) or {}).get("title", "")).strip():
                problems.append(f"{where}: {lang}.title is missing")
        for section in issue.get("sections") or []:
            if section.get("section") not in sections:
                problems.append(
                    f"{where}: section must be one of {sorted(sections)}, "
                    f"not {section.get('section')!r}"
                )
            for item in section.get("items") or []:
                if _record(item.get("record", "")) is None:
                    problems.append(
                        f"{where}: no record with slug {item.get('record')!r}"
                    )
    if problems:
        raise DemoDataError(problems)
    return issues


def _record(slug: str) -> Page | None:
    """The Korean page of a demo record (slugs are unique among records)."""
    for page in Page.objects.filter(slug=slug, locale__language_code="ko").specific():
        if isinstance(page, RecordPage):
            return page
    return None


def _sections(issue: dict, lang: str) -> str:
    """The issue's sections as StreamField JSON, records in `lang` where
    they are translated."""
    stream = []
    for section in issue.get("sections") or []:
        items = []
        for item in section.get("items") or []:
            record: Any = _record(item["record"])  # checked by read_issues
            shown = record.translation_in(lang) or record
            items.append(
                {
                    "type": "item",
                    "id": str(uuid.uuid4()),
                    "value": {
                        "record": shown.pk,
                        "summary": " ".join(str(item.get(lang, "")).split()),
                    },
                }
            )
        stream.append(
            {
                "type": "section",
                "id": str(uuid.uuid4()),
                "value": {"section": section["section"], "items": items},
            }
        )
    return json.dumps(stream)


def _text(issue: dict, lang: str, key: str) -> str:
    return " ".join(str(issue[lang].get(key, "")).split())


@transaction.atomic
def load_newsletters(home: HomePage, en: Locale, path: Path | None = None) -> int:
    """Create the missing demo issues in Korean and English; returns how many
    were created."""
    issues = read_issues(path)
    index = NewsletterIndexPage.objects.child_of(home).get()
    created = 0
    for issue in issues:
        page = (
            NewsletterIssuePage.objects.child_of(index)
            .filter(number=issue["number"])
            .first()
        )
        if page is None:
            page = NewsletterIssuePage(
                title=_text(issue, "ko", "title"),
                slug=str(issue["number"]),
                locale=home.locale,
                number=issue["number"],
                issue_date=issue["date"],
                introduction=_text(issue, "ko", "introduction"),
                sections=_sections(issue, "ko"),
            )
            index.add_child(instance=page)
            publish(page)
            created += 1
        if not page.get_translations().filter(locale=en).exists():
            translate(
                page,
                en,
                title=_text(issue, "en", "title"),
                introduction=_text(issue, "en", "introduction"),
                sections=_sections(issue, "en"),
            )
    return created
