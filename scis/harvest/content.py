"""An item's fields from its entry and its page: the CPU-heavy part of a
harvest (extraction, MinHash signature, classification), done by the fetch
threads or, for large runs, by a few worker processes so a run uses every
core instead of queueing on Python's global lock.

Worker processes are forked when the pool starts, before any fetch thread
exists, and inherit the loaded taxonomy; they never touch the database (see
scis/core/processes.py)."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from scis.core.processes import forked_pool

from . import classify, dedupe
from .dates import parse_date
from .extract import Extracted, extract_page
from .language import detect_language
from .sanitise import clean_html, plain_text

if TYPE_CHECKING:
    from .fetching import Response
    from .harvesters import Entry
    from .models import Source


def content_fields(entry: Entry, response: Response | None, source: Source) -> dict:
    """The item's fields from the entry and, when fetched, its page, with
    the suggested classification. The feed's title and date are the
    publisher's own and win; the page's body is the full text and wins over
    the feed's summary."""
    page = Extracted()
    url = entry.url
    if response is not None and response.status == 200:
        page = extract_page(response.text(), response.url)
        url = response.url or url
    body_html = page.body_html or (
        clean_html(entry.body_html, base_url=url) if entry.body_html else ""
    )
    text = page.text or (plain_text(body_html) if body_html else "")
    summary = (plain_text(entry.summary) if entry.summary else "") or page.summary
    title = (entry.title or page.title or "").strip()
    if not text:
        text = summary or title
    item_date = entry.date or page.date
    if item_date is None and entry.extra.get("date_text"):
        item_date = parse_date(str(entry.extra["date_text"]))
    declared = entry.language or page.language
    declared = declared[:2].lower() if declared else ""
    language = source.language or detect_language(
        f"{title}\n{text}", default=declared if declared in ("ko", "en") else "ko"
    )
    return {
        "url": dedupe.canonical_url(url)[:1000],
        "title": title[:500],
        "date": item_date,
        "language": language,
        "summary": summary,
        "body_html": body_html,
        "text": text,
        "authors": list(entry.authors),
        "images": list(page.images),
        "entry": entry.as_json(),
        "content_hash": dedupe.content_hash(text),
        "minhash": dedupe.signature(text),
        "etag": response.etag[:300] if response else "",
        "last_modified": response.last_modified[:100] if response else "",
        "fetched_at": timezone.now() if response else None,
        "suggestion": classify.suggest(source, title, text),
    }


class ContentPool:
    """Where `content_fields` runs: in the calling thread, or — for runs of
    at least HARVEST_PROCESS_MIN_ITEMS items when HARVEST_CONTENT_PROCESSES
    is above 0 — in that many forked worker processes."""

    def __init__(self, source: Source, items: int):
        self.source = source
        processes = settings.HARVEST_CONTENT_PROCESSES
        use_processes = processes > 0 and items >= settings.HARVEST_PROCESS_MIN_ITEMS
        self.processes = processes if use_processes else 0
        self.executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> ContentPool:
        # Loaded here, in the parent: the children inherit it and need no
        # database.
        classify.term_index()
        if self.processes:
            # Forked now, while this is the only thread.
            self.executor = forked_pool(self.processes)
        return self

    def fields(self, entry: Entry, response: Response | None) -> dict:
        if self.executor is None:
            return content_fields(entry, response, self.source)
        return self.executor.submit(
            content_fields, entry, response, self.source
        ).result()

    def __exit__(self, *exc) -> None:
        if self.executor is not None:
            self.executor.shutdown(cancel_futures=True)
