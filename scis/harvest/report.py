"""The run report `harvest --json FILE` writes (DESIGN.md §6): per source
its status and counts, per item url, title, date, language, state,
duplicate_of and error."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from .models import Job

COUNTS = ("new", "updated", "unchanged", "duplicates", "errors", "removed")


@dataclass
class ItemReport:
    """What one run did with one item."""

    url: str
    title: str = ""
    date: date | None = None
    language: str = ""
    # The item's state after the run (new, duplicate, accepted…), or what
    # the run saw: "unchanged", "updated", "removed".
    state: str = ""
    # URL of the original item or archive record this one repeats.
    duplicate_of: str = ""
    error: str = ""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data


@dataclass
class RunResult:
    """One source's run: its saved Job (with counts) and the items seen."""

    job: Job
    items: list[ItemReport] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        job = self.job
        return {
            "slug": job.source.slug,
            "name": job.source.name,
            "status": job.status,
            "message": job.message,
            "counts": {name: getattr(job, name) for name in COUNTS},
            "items": [item.as_json() for item in self.items],
        }


def write_report(
    path: str | Path,
    results: list[RunResult],
    started: datetime | None = None,
    finished: datetime | None = None,
) -> None:
    """Write the JSON run report of `results` to `path` (UTF-8, Korean kept
    readable)."""
    report = {
        "started": (started or _first_start(results) or timezone.now()).isoformat(),
        "finished": (finished or timezone.now()).isoformat(),
        "sources": [result.as_json() for result in results],
    }
    Path(path).write_text(
        json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def _first_start(results: list[RunResult]) -> datetime | None:
    starts = [r.job.started_at for r in results if r.job.started_at is not None]
    return min(starts) if starts else None
