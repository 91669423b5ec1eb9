"""Reading and checking the demo archive's YAML files."""

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scis.taxonomy.models import Organisation, Programme, Region, Topic

DATA_DIR = Path(__file__).resolve().parent / "data"
TYPES = {"news", "literature", "event", "document", "definition"}
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
    if not isinstance(date, dt.date) or not EARLIEST <= date <= LATEST:
        problems.append(f"{where}: date must be an ISO date in 2018–2026, not {date!r}")
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
    if problems:
        raise DemoDataError(problems)
    return archive


def paragraphs_html(text: str) -> str:
    """Plain text with blank-line paragraphs as rich-text HTML."""
    from django.utils.html import escape

    parts = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return "".join(f"<p>{escape(' '.join(p.split()))}</p>" for p in parts)
