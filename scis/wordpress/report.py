"""What one import run did, in the words an editor reads at the end."""

from collections import Counter
from dataclasses import dataclass, field

from .media import MediaCounts

# How many skipped posts and conflicts the report lists one by one.
LISTED = 50


@dataclass
class Skip:
    reason: str
    post_id: int | None
    title: str
    line: int


@dataclass
class ImportReport:
    file: str = ""
    site: str = ""
    wxr_version: str = ""
    dry_run: bool = False
    items: Counter = field(default_factory=Counter)  # post type → items read
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Skip] = field(default_factory=list)
    languages: Counter = field(default_factory=Counter)  # of created/updated
    drafts: Counter = field(default_factory=Counter)  # WordPress status → drafts
    unmapped: Counter = field(default_factory=Counter)  # (kind, name, slug) → posts
    authors: Counter = field(default_factory=Counter)  # "name (login)" → posts
    unmapped_authors: set[str] = field(default_factory=set)
    media: MediaCounts = field(default_factory=MediaCounts)
    unattached: int = 0  # attachments whose post was not imported
    redirects_created: int = 0
    redirects_kept: int = 0
    redirect_conflicts: list[tuple[str, str]] = field(default_factory=list)
    comments: int = 0
    seconds: float = 0.0
    loop_seconds: float = 0.0  # the posts themselves
    index_seconds: float = 0.0  # queueing (or, inline, doing) search indexing
    error: str = ""  # set when the file broke off
    error_line: int = 0

    @property
    def skipped_total(self) -> int:
        return self.unchanged + len(self.skipped)

    def skip(
        self,
        reason: str,
        item=None,
        title: str = "",
        *,
        post_id: int | None = None,
        line: int = 0,
    ) -> None:
        self.skipped.append(
            Skip(
                reason=reason,
                post_id=getattr(item, "post_id", post_id),
                title=title or getattr(item, "title", "") or "",
                line=getattr(item, "line", line),
            )
        )

    def summary_line(self) -> str:
        return (
            f"created={self.created} updated={self.updated} "
            f"skipped={self.skipped_total}"
        )

    def lines(self) -> list[str]:
        """The report, ending with the summary line (DESIGN.md §6)."""
        out = []
        head = f"WordPress import of {self.file}"
        if self.site:
            head += f" ({self.site}, WXR {self.wxr_version or '?'})"
        if self.dry_run:
            head += " — dry run, nothing was saved"
        out.append(head)
        read = ", ".join(f"{kind} {n}" for kind, n in sorted(self.items.items()))
        out.append(f"  items read: {sum(self.items.values())} ({read})")
        languages = ", ".join(
            f"{lang} {n}" for lang, n in sorted(self.languages.items())
        )
        out.append(f"  created: {self.created}, updated: {self.updated} ({languages})")
        if self.drafts:
            statuses = ", ".join(f"{s} {n}" for s, n in sorted(self.drafts.items()))
            out.append(
                f"  kept as drafts, not live: {sum(self.drafts.values())} ({statuses})"
            )
        out.append(f"  skipped: {self.skipped_total}")
        if self.unchanged:
            out.append(f"    unchanged since the last import: {self.unchanged}")
        reasons = Counter(skip.reason for skip in self.skipped)
        for reason, count in reasons.most_common():
            out.append(f"    {reason}: {count}")
        for skip in self.skipped[:LISTED]:
            out.append(
                f"      - post {skip.post_id if skip.post_id is not None else '?'} "
                f"(line {skip.line}) {skip.title[:60]!r}: {skip.reason}"
            )
        if len(self.skipped) > LISTED:
            out.append(f"      … and {len(self.skipped) - LISTED} more")
        if self.unmapped:
            out.append(
                "  unmapped categories and tags (add them to the mapping file): "
                f"{len(self.unmapped)}"
            )
            for (kind, name, slug), count in sorted(
                self.unmapped.items(), key=lambda entry: (-entry[1], entry[0])
            ):
                label = f"{kind} {name!r}" + (
                    f" [{slug}]" if slug and slug != name else ""
                )
                out.append(f"    {label}: {count} post{'s' if count != 1 else ''}")
        else:
            out.append("  unmapped categories and tags: none")
        if self.authors:
            out.append("  authors:")
            for author, count in self.authors.most_common():
                note = (
                    " (not in the mapping)" if author in self.unmapped_authors else ""
                )
                out.append(f"    {author}: {count}{note}")
        media = self.media
        linked = sum(media.linked.values())
        out.append(
            f"  attachments: downloaded {media.images + media.documents} "
            f"(images {media.images}, documents {media.documents}), "
            f"already in the library {media.reused}, kept as links {linked}"
        )
        for reason, count in media.linked.most_common():
            out.append(f"    kept as a link, {reason}: {count}")
        if self.unattached:
            out.append(
                f"    not imported (their post was not imported): {self.unattached}"
            )
        out.append(
            f"  redirects from old links: created {self.redirects_created}, "
            f"already there {self.redirects_kept}, "
            f"conflicts {len(self.redirect_conflicts)}"
        )
        for path, reason in self.redirect_conflicts[:LISTED]:
            out.append(f"    {path}: {reason}")
        if self.comments:
            out.append(f"  comments not imported: {self.comments}")
        if self.seconds:
            posts = self.created + self.updated + self.skipped_total
            out.append(
                f"  time: {self.seconds:.1f} s ({posts / self.seconds:.0f} posts/s)"
            )
        if self.error:
            out.append(f"  STOPPED EARLY: {self.error}")
        out.append(self.summary_line())
        return out
