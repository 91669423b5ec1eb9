"""Reading and checking the demo archive's YAML files."""

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scis.taxonomy.models import Organisation, Programme, Region, Topic

DATA_DIR = Path(__file__).resolve().parent / "data"
# Demo data that is not archive records: harvest sources (scis.harvest).
HARVEST_SOURCES_FILE = "harvest_sources.yaml"
TYPES = {
    "news",
    "literature",
    "event",
    "document",
    "definition",
    "programme",
    "project",
    "policy",
}
# The policy archive reaches back to the U-City era.
ARCHIVE_TYPES = {"programme", "project", "policy"}
ARCHIVE_EARLIEST = dt.date(2000, 1, 1)
STATUSES = {"past", "current", "planned"}
STAGES = {"preliminary", "main", "completed"}
POLICY_KINDS = {"plan", "law", "decision", "strategy"}
SECTIONS = {"issue", "policy-project", "policy-trend", "special"}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TAXONOMY: dict[str, Any] = {
    "organisations": Organisation,
    "regions": Region,
    "programmes": Programme,
    "topics": Topic,
}
EARLIEST, LATEST = dt.date(2018, 1, 1), dt.date(2026, 12, 31)


class DemoDataError(ValueError):
    """The demo files have problems; `problems` lists each one."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class DemoArchive:
    records: list[dict] = field(default_factory=list)
    about: dict = field(default_factory=dict)


def _check_record(where: str, record: dict, known: dict[str, set[str]]) -> list[str]:
    problems = []
    kind = record.get("type")
    if kind not in TYPES:
        return [f"{where}: type must be one of {sorted(TYPES)}, not {kind!r}"]
    if not SLUG.match(str(record.get("slug", ""))):
        problems.append(f"{where}: slug must be lowercase letters, digits and hyphens")
    date = record.get("date")
    earliest = ARCHIVE_EARLIEST if kind in ARCHIVE_TYPES else EARLIEST
    if not isinstance(date, dt.date) or not earliest <= date <= LATEST:
        problems.append(
            f"{where}: date must be an ISO date in {earliest.year}–{LATEST.year}, "
            f"not {date!r}"
        )
    if kind in ARCHIVE_TYPES:
        problems += _check_archive_record(where, record, known)
    if kind == "news" and record.get("section") not in SECTIONS:
        problems.append(f"{where}: news needs a section among {sorted(SECTIONS)}")
    if not record.get("organisations"):
        problems.append(f"{where}: at least one organisation is required")
    for name in TAXONOMY:
        for slug in record.get(name) or []:
            if slug not in known[name]:
                problems.append(f"{where}: unknown {name[:-1]} {slug!r}")
    for lang in ("ko", "en"):
        block = record.get(lang) or {}
        for key in ("title", "summary", "body"):
            if not str(block.get(key, "")).strip():
                problems.append(f"{where}: {lang}.{key} is missing")
    return problems


def _is_date(value) -> bool:
    return isinstance(value, dt.date)


def _check_period(where: str, start, end, names: str) -> list[str]:
    if not _is_date(start):
        return [f"{where}: {names.split('/')[0]} must be an ISO date"]
    if end is not None and (not _is_date(end) or end < start):
        return [
            f"{where}: {names.split('/')[1]} must be an ISO date not before the start"
        ]
    return []


def _check_archive_record(
    where: str, record: dict, known: dict[str, set[str]]
) -> list[str]:
    """Programme, project and policy records: their own fields."""
    kind = record["type"]
    problems = []
    if kind in ("programme", "policy") and record.get("status") not in STATUSES:
        problems.append(f"{where}: status must be one of {sorted(STATUSES)}")
    if kind in ("programme", "project"):
        if record.get("programme") not in known["programmes"]:
            problems.append(f"{where}: unknown programme {record.get('programme')!r}")
        problems += _check_period(
            where, record.get("start"), record.get("end"), "start/end"
        )
    if kind == "programme" and not isinstance(record.get("budget", 0), int):
        problems.append(f"{where}: budget must be an integer number of won")
    if kind == "project":
        if record.get("stage") not in STAGES:
            problems.append(f"{where}: stage must be one of {sorted(STAGES)}")
        if not isinstance(record.get("cohort"), int):
            problems.append(f"{where}: cohort must be a year")
        for name, value in (record.get("budget") or {}).items():
            if name not in ("national", "local", "private") or not isinstance(
                value, int
            ):
                problems.append(
                    f"{where}: budget.{name} must be an integer number of won"
                )
        city = record.get("city")
        if city is not None and city not in known["regions"]:
            problems.append(f"{where}: unknown city {city!r}")
        for slug in [record.get("lead"), *(record.get("partners") or [])]:
            if slug is not None and slug not in known["organisations"]:
                problems.append(f"{where}: unknown organisation {slug!r}")
        if ("latitude" in record) != ("longitude" in record):
            problems.append(f"{where}: give both latitude and longitude, or neither")
    if kind == "policy":
        if record.get("kind") not in POLICY_KINDS:
            problems.append(f"{where}: kind must be one of {sorted(POLICY_KINDS)}")
        problems += _check_period(
            where,
            record.get("valid_from"),
            record.get("valid_until"),
            "valid_from/valid_until",
        )
    return problems


def _check_links(records: list[dict]) -> list[str]:
    """References between records: a project's programme page, a policy's
    predecessor and the projects a news item is about must exist."""
    by_type: dict[str, set[str]] = {}
    for record in records:
        by_type.setdefault(str(record.get("type")), set()).add(str(record.get("slug")))
    described = {r.get("programme") for r in records if r.get("type") == "programme"}
    problems = []
    for record in records:
        where = f"{record.get('type')} {record.get('slug')}"
        if record.get("type") == "project" and record.get("programme") not in described:
            problems.append(f"{where}: its programme has no programme record")
        supersedes = record.get("supersedes")
        if supersedes and supersedes not in by_type.get("policy", set()):
            problems.append(f"{where}: supersedes unknown policy {supersedes!r}")
        for slug in record.get("projects") or []:
            if slug not in by_type.get("project", set()):
                problems.append(f"{where}: unknown project {slug!r}")
    return problems


def read_archive(data_dir: Path | None = None) -> DemoArchive:
    """Parse every YAML file and check it completely before anything is
    written, so a mistake in one record never leaves half an archive."""
    data_dir = data_dir or DATA_DIR
    archive = DemoArchive()
    problems: list[str] = []
    known = {
        name: set(model.objects.values_list("slug", flat=True))
        for name, model in TAXONOMY.items()
    }
    seen: dict[str, str] = {}
    for path in sorted(data_dir.glob("*.yaml")):
        if path.name == HARVEST_SOURCES_FILE:
            continue
        try:
            content = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            problems.append(f"{path.name}: cannot be read as YAML: {exc}")
            continue
        if path.stem == "about":
            archive.about = content or {}
            continue
        if not isinstance(content, list):
            problems.append(f"{path.name}: expected a list of records")
            continue
        for position, record in enumerate(content, start=1):
            where = f"{path.name} #{position} ({record.get('slug', '?')})"
            problems += _check_record(where, record, known)
            slug = record.get("slug")
            if slug in seen:
                problems.append(f"{where}: slug also used in {seen[slug]}")
            seen[slug] = where
            archive.records.append(record)
    problems += _check_links(archive.records)
    if problems:
        raise DemoDataError(problems)
    return archive


def paragraphs_html(text: str) -> str:
    """Plain text with blank-line paragraphs as rich-text HTML."""
    from django.utils.html import escape

    parts = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return "".join(f"<p>{escape(' '.join(p.split()))}</p>" for p in parts)
