"""What one newsletter import did, in the words an editor reads: every
item matched (and how) or created, what was skipped and why, and the
closing line `created=N updated=N skipped=N`."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import translation
from wagtail.models import Page

from .legacy import Item, Skipped
from .models import NewsletterSection


@dataclass
class Outcome:
    """What happens to one item: matched to a record (and how) or created."""

    item: Item
    action: str  # "matched" or "created" ("would create" in a dry run)
    how: str = ""
    page: Page | None = None


@dataclass
class ImportReport:
    file: str = ""
    format: str = ""
    language: str = ""
    number: int = 0
    date: dt.date | None = None
    dry_run: bool = False
    issue_action: str = ""  # "created", "updated" or "translated"
    issue_page_id: int | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    unknown_organisations: list[str] = field(default_factory=list)

    @property
    def created(self) -> int:
        records = sum(1 for outcome in self.outcomes if outcome.action == "created")
        return records + (self.issue_action in ("created", "translated"))

    @property
    def updated(self) -> int:
        return int(self.issue_action == "updated")

    def summary_line(self) -> str:
        return (
            f"created={self.created} updated={self.updated} skipped={len(self.skipped)}"
        )

    def lines(self) -> list[str]:
        """The report an editor reads, ending with the summary line."""
        head = f"Newsletter import of {self.file} ({self.format}, {self.language})"
        if self.dry_run:
            head += " — dry run, nothing was saved"
        out = [head]
        sections = {outcome.item.section for outcome in self.outcomes}
        out.append(
            f"  issue No. {self.number} of {self.date}: {len(sections)} sections, "
            f"{len(self.outcomes)} items"
        )
        issue_page = f" (page {self.issue_page_id})" if self.issue_page_id else ""
        verb = f"would be {self.issue_action}" if self.dry_run else self.issue_action
        out.append(f"  issue page: {verb}{issue_page}")
        with translation.override("en"):  # the command speaks English
            labels = {key: str(label) for key, label in NewsletterSection.choices}
        current = None
        for outcome in self.outcomes:
            item = outcome.item
            if item.section != current:
                current = item.section
                out.append(f"  {labels.get(current, current)}")
            action = outcome.action
            if self.dry_run and action == "created":
                action = "would create"
            how = f" ({outcome.how})" if outcome.how else ""
            out.append(f"    line {item.line}: {action}{how}: {item.title[:70]!r}")
            page = outcome.page
            if page is not None and page.pk:
                shown = f" {page.title[:70]!r}" if action == "matched" else ""
                out.append(f"      → page {page.pk}{shown}")
        matched = sum(1 for outcome in self.outcomes if outcome.action == "matched")
        created = len(self.outcomes) - matched
        out.append(f"  records: matched {matched}, created {created}")
        if self.unknown_organisations:
            out.append(
                "  source organisations not in the taxonomy (add them, then import "
                "again to link new records): " + ", ".join(self.unknown_organisations)
            )
        out.append(f"  skipped: {len(self.skipped)}")
        out += [f"    {entry}" for entry in self.skipped]
        out.append(self.summary_line())
        return out
