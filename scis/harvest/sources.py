"""Adding sources from code, the command line and a YAML/JSON list: every
field is checked first and each problem is named, so a bad list writes
nothing and says what to fix."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from scis.taxonomy.models import Organisation, Programme, Region, Topic

from .classify import rule_problems
from .models import Source

MIN_SCHEDULE_MINUTES = 5
# What a classification rule may say (classify.py, docs/harvest.md).
RULE_KEYS = {
    "contains",
    "pattern",
    "in",
    "section",
    "organisation",
    "region",
    "programme",
    "topic",
}
SECTIONS = Source._meta.get_field("section").flatchoices
TAXONOMY: dict[str, type[Organisation | Region | Programme]] = {
    "organisation": Organisation,
    "region": Region,
    "programme": Programme,
}
FIELDS = {
    "name",
    "slug",
    "kind",
    "url",
    "language",
    "active",
    "allow_private",
    "schedule_minutes",
    "schedule",
    "config",
    "target",
    "section",
    "organisation",
    "region",
    "programme",
    "topics",
    "rules",
}


class SourceError(ValueError):
    """Source fields that cannot be saved; `problems` lists each one."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class _Checked:
    """Validated fields, ready to save."""

    fields: dict[str, Any]
    topics: list[Topic] | None
    slug: str


def create_source(**fields: Any) -> Source:
    """Check `fields` and save a new Source with a unique slug (from the
    slug given, the name, or the address). Taxonomy defaults are given by
    slug: organisation, region, programme, topics (a list). Raises
    SourceError naming every problem."""
    checked = _check(fields)
    with transaction.atomic():
        return _save(None, checked, unique_slug(checked.slug))


def load_sources(entries: Iterable[Mapping[str, Any]]) -> tuple[int, int]:
    """Create or update (by slug) each source of a list read from YAML or
    JSON. Every entry is checked before anything is written: one bad entry
    means nothing changes and SourceError lists the problems as
    "entry 3 (name): url: …". Returns (created, updated)."""
    if not isinstance(entries, list | tuple):
        raise SourceError(
            ["the file must hold a list of sources (one mapping per source)"]
        )
    problems: list[str] = []
    planned: list[tuple[Source | None, _Checked]] = []
    seen: dict[str, int] = {}
    for position, entry in enumerate(entries, start=1):
        label = f"entry {position}"
        if not isinstance(entry, Mapping):
            problems.append(f"{label}: must be a mapping of fields, not {entry!r}")
            continue
        if entry.get("name"):
            label += f" ({entry['name']})"
        try:
            checked = _check(dict(entry))
        except SourceError as exc:
            problems.extend(f"{label}: {problem}" for problem in exc.problems)
            continue
        if checked.slug in seen:
            problems.append(
                f"{label}: slug {checked.slug!r} is also used by entry "
                f"{seen[checked.slug]}; give each source its own slug"
            )
            continue
        seen[checked.slug] = position
        planned.append((Source.objects.filter(slug=checked.slug).first(), checked))
    if problems:
        raise SourceError(problems)
    created = updated = 0
    with transaction.atomic():
        for existing, checked in planned:
            _save(existing, checked, checked.slug)
            if existing is None:
                created += 1
            else:
                updated += 1
    return created, updated


def unique_slug(base: str) -> str:
    """`base`, or `base-2`, `base-3`… whichever no source uses yet."""
    base = base[:90].strip("-") or "source"
    taken = set(
        Source.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def slug_for(name: str, url: str) -> str:
    """A slug from the name; for a name slugify cannot spell in ASCII (a
    Korean name), from the address's host and path words instead."""
    slug = slugify(name or "")
    if slug and re.search(r"[a-z0-9]", slug):
        return slug[:90].strip("-")
    parts = urlsplit(url or "")
    host = (parts.hostname or "").removeprefix("www.")
    words = [host.replace(".", "-")]
    words += [word for word in re.split(r"[^A-Za-z0-9]+", parts.path) if word]
    return slugify(" ".join(words))[:90].strip("-") or "source"


def _check(fields: dict[str, Any]) -> _Checked:
    problems: list[str] = []
    unknown = sorted(set(fields) - FIELDS)
    if unknown:
        problems.append(
            f"unknown field(s) {', '.join(unknown)}; known fields: "
            f"{', '.join(sorted(FIELDS))}"
        )
    values: dict[str, Any] = {}

    kind = str(fields.get("kind") or "")
    if kind not in Source.Kind.values:
        problems.append(
            f"kind: {kind!r} is not a source kind; choose one of "
            f"{', '.join(Source.Kind.values)}"
        )
    values["kind"] = kind

    url = str(fields.get("url") or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        problems.append(
            f"url: {url!r} is not an http(s) address with a host, "
            "e.g. https://www.molit.go.kr/rss/news.xml"
        )
    values["url"] = url

    name = str(fields.get("name") or "").strip()
    values["name"] = (name or parts.hostname or url)[:200]

    language = fields.get("language") or ""
    if language not in ("", "ko", "en"):
        problems.append(
            f"language: {language!r} must be ko, en, or empty (detect per item)"
        )
    values["language"] = language

    schedule = fields.get("schedule_minutes", fields.get("schedule", 360))
    if isinstance(schedule, bool) or not isinstance(schedule, int | str):
        schedule = None
    try:
        schedule = int(schedule) if schedule is not None else None
    except ValueError:
        schedule = None
    if schedule is None or schedule < MIN_SCHEDULE_MINUTES:
        problems.append(
            f"schedule: must be a whole number of minutes, at least "
            f"{MIN_SCHEDULE_MINUTES} (got {fields.get('schedule_minutes', fields.get('schedule'))!r})"
        )
    values["schedule_minutes"] = schedule

    config = fields.get("config", {}) or {}
    if not isinstance(config, dict):
        problems.append("config: must be a mapping (a JSON object), e.g. {}")
    values["config"] = config

    rules = fields.get("rules", []) or []
    problems += _check_rules(rules)
    values["rules"] = rules

    target = fields.get("target") or Source.Target.NEWS
    if target not in Source.Target.values:
        problems.append(
            f"target: {target!r} must be one of {', '.join(Source.Target.values)}"
        )
    values["target"] = target

    sections = [str(value) for value, _label in SECTIONS]
    section = fields.get("section") or ""
    if section and section not in sections:
        problems.append(f"section: {section!r} must be one of {', '.join(sections)}")
    values["section"] = section

    for flag, default in (("active", True), ("allow_private", False)):
        value = fields.get(flag, default)
        if not isinstance(value, bool):
            problems.append(f"{flag}: must be true or false (got {value!r})")
        values[flag] = value

    for key, model in TAXONOMY.items():
        slug = fields.get(key)
        values[key] = None
        if slug:
            term = model._default_manager.filter(slug=slug).first()
            if term is None:
                problems.append(f"{key}: no {key} with slug {slug!r}")
            values[key] = term

    topics: list[Topic] | None = None
    if "topics" in fields:
        wanted = fields.get("topics") or []
        if isinstance(wanted, str):
            wanted = [wanted]
        if not isinstance(wanted, list):
            problems.append("topics: must be a list of topic slugs")
            wanted = []
        topics = list(Topic.objects.filter(slug__in=wanted))
        missing = sorted(set(wanted) - {topic.slug for topic in topics})
        if missing:
            problems.append(f"topics: no topic with slug {', '.join(missing)}")

    slug = str(fields.get("slug") or "")
    if slug and slugify(slug) != slug:
        problems.append(
            f"slug: {slug!r} may hold only lower-case letters, digits and hyphens"
        )
    if not problems:
        problems += _model_problems(values)
    if problems:
        raise SourceError(problems)
    return _Checked(values, topics, slug or slug_for(name, url))


def _model_problems(values: dict[str, Any]) -> list[str]:
    """What the model's own field checks say (lengths, the URL's form)."""
    try:
        Source(slug="checking", **values).clean_fields(exclude=["slug"])
    except ValidationError as exc:
        return [
            f"{field}: {' '.join(str(message) for message in messages)}"
            for field, messages in exc.message_dict.items()
        ]
    return []


def _check_rules(rules: Any) -> list[str]:
    problems = [f"rules: {problem}" for problem in rule_problems(rules)]
    if isinstance(rules, list):
        for number, rule in enumerate(rules, start=1):
            unknown = sorted(set(rule) - RULE_KEYS) if isinstance(rule, dict) else []
            if unknown:
                problems.append(
                    f"rules: rule {number} has unknown key(s) "
                    f"{', '.join(unknown)}; known keys: {', '.join(sorted(RULE_KEYS))}"
                )
    return problems


def _save(existing: Source | None, checked: _Checked, slug: str) -> Source:
    source = existing or Source(slug=slug)
    for name, value in checked.fields.items():
        setattr(source, name, value)
    source.save()
    if checked.topics is not None:
        source.topics.set(checked.topics)
    return source
