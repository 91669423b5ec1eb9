"""One harvest run of one source, in CKAN's three stages (STYLE.md):
gather the item identifiers, fetch the pages that may have changed (in
parallel, conditionally), import them as Items for the editor's inbox.

What a run promises: one bad item never stops the run and is never lost
(it is kept as a FAILED item and retried next run); items the source no
longer publishes are flagged, not deleted; rejected items never come back;
a run that takes too long stops cleanly and the rest is done next time.
Pages are fetched in threads, but every database write happens in the
calling thread (SQLite has one writer), in a transaction per batch."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from . import dedupe
from .content import ContentPool
from .fetching import Fetcher, FetchError
from .harvesters import Entry, Gathered, GatherError, harvester_for
from .models import Item, Job, JobError, Source
from .report import ItemReport, RunResult
from .snapshots import WarcWriter

if TYPE_CHECKING:
    from .fetching import Response
    from .harvesters import Harvester

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
BATCH_SIZE = 50  # items written per transaction
HEARTBEAT_EVERY = 25  # items between heartbeats
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
# Fields of an item a run rewrites when the source's content changed.
CONTENT_FIELDS = [
    "url",
    "title",
    "date",
    "language",
    "summary",
    "body_html",
    "text",
    "authors",
    "images",
    "entry",
    "content_hash",
    "minhash",
    "suggestion",
    "etag",
    "last_modified",
    "fetched_at",
    "last_seen_at",
    "removed_at",
]


class JobTimedOut(Exception):
    """The run went past HARVEST_JOB_TIMEOUT_SECONDS."""


def harvest_source(
    source: Source,
    *,
    trigger: str = "command",
    progress: Progress | None = None,
    job: Job | None = None,
) -> RunResult:
    """Run `source` once (in `job` when the task queue made one) and return
    the saved Job with its counts and a report per item. Never raises for
    a broken source: the job is failed, the error recorded on the source,
    and the next run scheduled with backoff (jobs.record_run)."""
    from .jobs import record_run

    job = _start_job(source, trigger, job)
    run = _Run(source, job, progress)
    try:
        run.execute()
    except Exception as exc:  # a bug or a database error: record, never hide
        logger.exception("harvest of %s failed", source.slug)
        run.fail(f"The run stopped unexpectedly: {exc!r}. Please report this.")
    record_run(source, job)
    return RunResult(job=job, items=run.reports)


def _start_job(source: Source, trigger: str, job: Job | None) -> Job:
    now = timezone.now()
    if job is None:
        job = Job(source=source, trigger=trigger)
    job.status = Job.Status.RUNNING
    job.started_at = job.heartbeat_at = now
    job.finished_at = None
    job.save()
    return job


@dataclass
class _Work:
    """One entry that needs importing, and its item if already known."""

    entry: Entry
    item: Item | None
    fetch: bool


class _Run:
    def __init__(self, source: Source, job: Job, progress: Progress | None):
        self.source = source
        self.job = job
        self.progress = progress
        self.reports: list[ItemReport] = []
        self.started = time.monotonic()
        self.timeout = settings.HARVEST_JOB_TIMEOUT_SECONDS
        self.done = 0
        self.total = 0
        self.seen_ids: list[int] = []
        self.writer: WarcWriter | None = None
        self.records = dedupe.ExistingRecords([], [])

    # The run's stages ------------------------------------------------------

    def execute(self) -> None:
        # Every suggestion starts from the source's default topics.
        prefetch_related_objects([self.source], "topics")
        with Fetcher(allow_private=self.source.allow_private) as fetcher:
            gather = self._gather(fetcher)
            if gather is None:
                return
            harvester, gathered = gather
            try:
                with WarcWriter(self.job) as self.writer:
                    self._process(gathered, harvester, fetcher)
            except JobTimedOut:
                self._finish(
                    Job.Status.TIMED_OUT,
                    f"Stopped after {self.timeout} seconds with {self.done} of "
                    f"{self.total} items done; the rest is done next run. Raise "
                    "HARVEST_JOB_TIMEOUT_SECONDS if this source is that large.",
                )
                return
        source = self.source
        if not gathered.not_modified or gathered.etag or gathered.last_modified:
            # A 304 may come without validators: keep the ones we sent.
            source.etag = gathered.etag[:300]
            source.last_modified = gathered.last_modified[:100]
        source.last_success_at = timezone.now()
        source.save(update_fields=["etag", "last_modified", "last_success_at"])
        self._finish(Job.Status.SUCCEEDED, self._summary(gathered))

    def _gather(self, fetcher: Fetcher) -> tuple[Harvester, Gathered] | None:
        """The source's harvester and what it gathered; None (and the job
        failed) when the source cannot be read at all."""
        try:
            harvester = harvester_for(self.source, fetcher)
            gathered = harvester.gather()
        except Exception as exc:  # GatherError, FetchError, a harvester bug
            message = str(exc) or repr(exc)
            if not isinstance(exc, FetchError | GatherError):
                logger.exception("gather of %s failed", self.source.slug)
            JobError.objects.create(
                source=self.source,
                job=self.job,
                stage=JobError.Stage.GATHER,
                url=self.source.url[:1000],
                message=message,
            )
            self.job.errors += 1
            self._finish(Job.Status.FAILED, f"The source could not be read: {message}")
            return None
        if gathered.errors:
            JobError.objects.bulk_create(
                JobError(
                    source=self.source,
                    job=self.job,
                    stage=JobError.Stage.GATHER,
                    url=url[:1000],
                    message=message,
                )
                for url, message in gathered.errors
            )
            self.job.errors += len(gathered.errors)
        return harvester, gathered

    def _process(
        self, gathered: Gathered, harvester: Harvester, fetcher: Fetcher
    ) -> None:
        existing = {
            item.guid: item
            for item in Item.objects.filter(source=self.source).defer(
                "body_html", "text", "minhash", "summary"
            )
        }
        if gathered.not_modified:
            # Nothing changed at the source; only items that failed before
            # are tried again, from what gather saw last time.
            entries = [
                Entry.from_json(item.entry)
                for item in existing.values()
                if item.state == Item.State.FAILED and item.entry.get("guid")
            ]
        else:
            entries = _unique(gathered.entries)
        self.total = len(entries)
        if gathered.not_modified:
            guids = {entry.guid for entry in entries}
            self.total += sum(
                1
                for item in existing.values()
                if item.guid not in guids and item.removed_at is None
            )
        self._report_progress()

        work: list[_Work] = []
        seen_guids: set[str] = set()
        reappeared: list[int] = []
        for entry in entries:
            seen_guids.add(entry.guid)
            item = existing.get(entry.guid)
            if item is not None and item.removed_at and not _deleted(entry):
                reappeared.append(item.pk)
                item.removed_at = None
            if _deleted(entry):
                self._removed_at_source(item, entry)
            elif item is not None and item.state == Item.State.REJECTED:
                # An editor said no: it stays out of the inbox for good.
                self._unchanged(item)
            elif item is not None and _same_as_before(item, entry):
                self._unchanged(item)
            else:
                work.append(_Work(entry, item, harvester.needs_page(entry)))
        if reappeared:
            _update_in_chunks(reappeared, removed_at=None)

        if gathered.not_modified:
            for item in existing.values():
                if item.guid not in seen_guids and item.removed_at is None:
                    self._unchanged(item)

        self._import_all(work, fetcher)

        if gathered.complete and not gathered.errors and not gathered.not_modified:
            gone = [
                item
                for guid, item in existing.items()
                if guid not in seen_guids and item.removed_at is None
            ]
            for item in gone:
                self._report(item, "removed")
            _update_in_chunks([item.pk for item in gone], removed_at=timezone.now())
            self.job.removed += len(gone)
        _update_in_chunks(self.seen_ids, last_seen_at=timezone.now())

    def _import_all(self, work: list[_Work], fetcher: Fetcher) -> None:
        """Fetch and extract in threads; store each result here, in batches,
        oldest entry first: when a release was republished, the earlier one
        stays the original and the later one is marked its duplicate."""
        workers = max(1, settings.HARVEST_FETCH_WORKERS)
        work = _oldest_first(work)
        self.records = dedupe.ExistingRecords(
            [w.entry.url for w in work], [w.entry.guid for w in work]
        )
        # The content pool starts (and forks, if it uses processes) before
        # any fetch thread exists.
        with (
            ContentPool(self.source, len(work)) as content,
            ThreadPoolExecutor(workers, thread_name_prefix="harvest") as pool,
        ):
            futures = [pool.submit(_prepare, fetcher, w, content) for w in work]
            try:
                # In submission order: the pool runs ahead while we store.
                results = (future.result() for future in futures)
                self._check_time()
                while self._import_batch(results):
                    self._check_time()
            finally:
                for future in futures:
                    future.cancel()
        self._heartbeat()

    def _import_batch(self, results: Iterator[_Prepared]) -> bool:
        """Store up to BATCH_SIZE results in one transaction; False when
        there were no more."""
        with transaction.atomic():
            for count, prepared in enumerate(results, start=1):
                self._import_one(prepared)
                if count >= BATCH_SIZE:
                    return True
        return False

    # One item ----------------------------------------------------------------

    def _import_one(self, prepared: _Prepared) -> None:
        w, response = prepared.work, prepared.response
        if prepared.error:
            self._failed(w, prepared.stage, prepared.error)
        elif response is not None and response.not_modified and w.item is not None:
            self._unchanged(w.item)
            return  # _unchanged counted the step
        else:
            try:
                with transaction.atomic():
                    self._store(w, response, prepared.fields)
            except Exception as exc:  # one bad page never stops the run
                logger.debug("import of %s failed", w.entry.url, exc_info=True)
                self._failed(w, JobError.Stage.IMPORT, _describe(exc))
        self._step()

    def _store(self, w: _Work, response: Response | None, fields: dict) -> None:
        now = timezone.now()
        item = w.item
        if item is None or item.state == Item.State.FAILED:
            item = item or Item(source=self.source, guid=w.entry.guid[:500])
            _assign(item, fields, now)
            item.state = Item.State.NEW
            item.duplicate_of = None
            item.save()
            dedupe.store_bands(item)
            self._classify_new(item, w.entry.url)
            outcome = str(item.state)
        elif (
            item.content_hash != fields["content_hash"] or item.title != fields["title"]
        ):
            # Changed at the source. An item already accepted or merged keeps
            # its state and its record; changed_at tells the editor.
            _assign(item, fields, now)
            item.changed_at = now
            item.save(update_fields=[*CONTENT_FIELDS, "changed_at"])
            dedupe.store_bands(item)
            self.job.updated += 1
            outcome = "updated"
        else:
            item.etag = fields["etag"]
            item.last_modified = fields["last_modified"]
            item.entry = fields["entry"]
            item.fetched_at = fields["fetched_at"]
            item.save(update_fields=["etag", "last_modified", "entry", "fetched_at"])
            self.job.unchanged += 1
            outcome = "unchanged"
        if response is not None and response.status == 200 and self.writer:
            self.writer.write(response, item)
        self.seen_ids.append(item.pk)
        self._report(item, outcome)

    def _classify_new(self, item: Item, entry_url: str) -> None:
        record_id = self.records.find(entry_url, item.guid)
        if record_id is None and item.url != dedupe.canonical_url(entry_url):
            # Redirected: the final address was not part of the batch lookup.
            record = dedupe.find_existing_record(item.url, "")
            record_id = record.pk if record else None
        if record_id is not None:
            item.state = Item.State.DUPLICATE
            item.page_id = record_id
            item.similarity = 1.0
        else:
            original, similarity = dedupe.find_duplicate(item)
            if original is None:
                self.job.new += 1
                return
            item.state = Item.State.DUPLICATE
            item.duplicate_of = original
            item.page = original.page
            item.similarity = similarity
        item.save(update_fields=["state", "duplicate_of", "page", "similarity"])
        self.job.duplicates += 1

    def _failed(self, w: _Work, stage: str, message: str) -> None:
        """Record the error; keep a new entry as a FAILED item (retried next
        run) so nothing the source published is lost."""
        entry, item = w.entry, w.item
        if item is None:
            item = Item.objects.create(
                source=self.source,
                guid=entry.guid[:500],
                url=entry.url[:1000],
                title=entry.title[:500],
                date=entry.date,
                entry=entry.as_json(),
                state=Item.State.FAILED,
                suggestion={},
            )
        elif item.state == Item.State.FAILED:
            item.entry = entry.as_json()
            item.save(update_fields=["entry"])
        JobError.objects.create(
            source=self.source,
            job=self.job,
            item=item,
            stage=stage,
            url=entry.url[:1000],
            message=message,
        )
        self.job.errors += 1
        self.seen_ids.append(item.pk)
        self._report(item, item.state, error=message)

    def _unchanged(self, item: Item) -> None:
        self.job.unchanged += 1
        self.seen_ids.append(item.pk)
        self._report(item, "unchanged")
        self._step()

    def _removed_at_source(self, item: Item | None, entry: Entry) -> None:
        """An entry the source marks deleted (an OAI record's status)."""
        if item is not None:
            if item.removed_at is None:
                item.removed_at = timezone.now()
                item.save(update_fields=["removed_at"])
                self.job.removed += 1
            self._report(item, "removed")
        self._step()

    # Book-keeping ---------------------------------------------------------

    def _report(self, item: Item, state: str, error: str = "") -> None:
        duplicate_of = ""
        if item.state == Item.State.DUPLICATE:
            if item.duplicate_of_id and item.duplicate_of:
                duplicate_of = item.duplicate_of.url
            elif item.page_id and item.page:
                duplicate_of = item.page.full_url or ""
        self.reports.append(
            ItemReport(
                url=item.url,
                title=item.title,
                date=item.date,
                language=item.language,
                state=state,
                duplicate_of=duplicate_of,
                error=error,
            )
        )

    def _step(self) -> None:
        self.done += 1
        self._report_progress()
        if self.done % HEARTBEAT_EVERY == 0:
            self._heartbeat()

    def _report_progress(self) -> None:
        if self.progress is not None:
            self.progress(self.done, self.total)

    def _heartbeat(self) -> None:
        self.job.heartbeat_at = timezone.now()
        self.job.save(
            update_fields=[
                "heartbeat_at",
                "new",
                "updated",
                "unchanged",
                "duplicates",
                "errors",
                "removed",
            ]
        )

    def _check_time(self) -> None:
        if time.monotonic() - self.started > self.timeout:
            raise JobTimedOut

    def fail(self, message: str) -> None:
        self.job.errors += 1
        JobError.objects.create(
            source=self.source,
            job=self.job,
            stage=JobError.Stage.IMPORT,
            message=message,
        )
        self._finish(Job.Status.FAILED, message)

    def _finish(self, status: str, message: str) -> None:
        job = self.job
        job.status = status
        job.message = message
        job.finished_at = job.heartbeat_at = timezone.now()
        job.save()

    def _summary(self, gathered: Gathered) -> str:
        if gathered.not_modified:
            return "The source has not changed since the last run."
        return f"{len(gathered.entries)} entries read."


# Helpers ---------------------------------------------------------------------


@dataclass
class _Prepared:
    """What a worker thread made of one entry, without the database."""

    work: _Work
    response: Response | None = None
    fields: dict = field(default_factory=dict)
    stage: str = ""  # where it failed, with `error`
    error: str = ""


def _prepare(fetcher: Fetcher, w: _Work, content: ContentPool) -> _Prepared:
    """Runs in a worker thread: fetch the page (conditionally) if the entry
    needs it and extract the item's fields (in `content`, which may hand the
    work to another process). Network and CPU only."""
    prepared = _Prepared(w)
    if w.fetch:
        try:
            prepared.response = _fetch_page(fetcher, w)
        except FetchError as exc:
            prepared.stage, prepared.error = JobError.Stage.FETCH, str(exc)
            return prepared
        except Exception as exc:  # a fetcher bug must not stop the run
            prepared.stage = JobError.Stage.FETCH
            prepared.error = f"Unexpected error while fetching: {exc!r}"
            return prepared
        if prepared.response.not_modified:
            return prepared
    try:
        prepared.fields = content.fields(w.entry, prepared.response)
    except Exception as exc:  # bad bytes, a parser bug: this item only
        prepared.stage, prepared.error = JobError.Stage.IMPORT, _describe(exc)
    return prepared


def _fetch_page(fetcher: Fetcher, w: _Work) -> Response:
    item = w.item
    conditional = item is not None and item.state != Item.State.FAILED
    return fetcher.get(
        w.entry.url,
        etag=item.etag if conditional and item else "",
        last_modified=item.last_modified if conditional and item else "",
        accept=PAGE_TYPES,
    )


def _oldest_first(work: list[_Work]) -> list[_Work]:
    """Entries by date, oldest first; undated ones after, in reverse listing
    order (listings show the newest first)."""
    positions = {id(w): n for n, w in enumerate(work)}
    return sorted(
        work,
        key=lambda w: (
            w.entry.date is None,
            w.entry.date or date.min,
            -positions[id(w)],
        ),
    )


def _unique(entries: list[Entry]) -> list[Entry]:
    """The first entry of each GUID (a feed may repeat one); an entry
    without a GUID is known by its URL."""
    seen: set[str] = set()
    unique = []
    for entry in entries:
        entry.guid = (entry.guid or entry.url)[:500]
        if entry.guid and entry.guid not in seen:
            seen.add(entry.guid)
            unique.append(entry)
    return unique


def _deleted(entry: Entry) -> bool:
    return bool(entry.extra.get("deleted"))


def _same_as_before(item: Item, entry: Entry) -> bool:
    """The source's change marker is unchanged and the content is in."""
    return bool(
        item.state != Item.State.FAILED
        and item.content_hash
        and entry.updated
        and entry.updated == item.entry.get("updated")
    )


def _assign(item: Item, fields: dict, now: datetime) -> None:
    for name, value in fields.items():
        setattr(item, name, value)
    item.last_seen_at = now
    item.removed_at = None


def _update_in_chunks(ids: list[int], **values) -> None:
    for start in range(0, len(ids), 500):
        Item.objects.filter(pk__in=ids[start : start + 500]).update(**values)


def _describe(exc: Exception) -> str:
    name = type(exc).__name__
    text = str(exc)
    return f"{name}: {text}" if text else name
