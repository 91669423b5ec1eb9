"""Scheduling harvest runs: the scheduler queues due sources, the task
worker runs them, and no job stays "running" or "queued" forever (the top
complaint of CKAN's harvester users). After a failed run the source is
retried with backoff; after repeated failures the administrators get one
e-mail (alerts.py)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Job, Source

logger = logging.getLogger(__name__)

OPEN = (Job.Status.QUEUED, Job.Status.RUNNING)


def enqueue_due_sources(now: datetime | None = None) -> list[Job]:
    """Queue a run of every active source that is due and has no run
    queued or running; push its next run one schedule interval on."""
    now = now or timezone.now()
    due = (
        Source.objects.filter(active=True)
        .filter(Q(next_run_at__isnull=True) | Q(next_run_at__lte=now))
        .exclude(jobs__status__in=OPEN)
        .order_by("next_run_at", "pk")
    )
    queued = []
    for source in due:
        with transaction.atomic():
            source.schedule_next_run(now)
            source.save(update_fields=["next_run_at"])
            job = Job.objects.create(source=source, trigger="schedule")
        _enqueue(job)
        queued.append(job)
    return queued


def run_now(source: Source, user=None) -> Job:
    """Queue one run of `source` at once (the admin's "Run now"), unless
    one is already queued or running: then that job is returned."""
    open_job = source.jobs.filter(status__in=OPEN).first()
    if open_job is not None:
        return open_job
    trigger = "manual"
    if user is not None and getattr(user, "pk", None):
        trigger = f"manual:{user.pk}"[:20]
    job = Job.objects.create(source=source, trigger=trigger)
    _enqueue(job)
    job.refresh_from_db()
    return job


def reap_stale_jobs(now: datetime | None = None) -> int:
    """End jobs that can no longer finish: running jobs whose heartbeat is
    older than HARVEST_JOB_TIMEOUT_SECONDS (the worker died) become timed
    out; queued jobs nobody started in that time become failed. Each counts
    as a failed run of its source. Returns how many were ended."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.HARVEST_JOB_TIMEOUT_SECONDS)
    ended = 0
    stale_running = Job.objects.filter(status=Job.Status.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )
    for job in stale_running.select_related("source"):
        _end(
            job,
            Job.Status.TIMED_OUT,
            "No sign of life for "
            f"{settings.HARVEST_JOB_TIMEOUT_SECONDS} seconds: the worker running "
            "this job stopped or hung. The next run starts afresh.",
            now,
        )
        ended += 1
    never_started = Job.objects.filter(
        status=Job.Status.QUEUED, started_at__isnull=True, created_at__lt=cutoff
    )
    for job in never_started.select_related("source"):
        _end(
            job,
            Job.Status.FAILED,
            "No task worker picked it up; start `manage.py db_worker`.",
            now,
        )
        ended += 1
    return ended


def record_run(source: Source, job: Job, now: datetime | None = None) -> None:
    """Update the source's health after `job` ended: success resets the
    failure count and schedules the next run; a failure is retried with
    backoff and, after HARVEST_ALERT_AFTER in a row, alerts the
    administrators once."""
    now = now or timezone.now()
    source.refresh_from_db()
    source.last_run_at = job.finished_at or now
    if job.status == Job.Status.SUCCEEDED:
        source.consecutive_failures = 0
        source.alerted_at = None
        source.last_error = ""
        source.last_success_at = job.finished_at or now
        source.schedule_next_run(now)
    else:
        source.consecutive_failures += 1
        source.last_error = job.message
        failures = source.consecutive_failures
        if failures <= settings.HARVEST_MAX_RETRIES:
            delay = settings.HARVEST_RETRY_SECONDS * 2 ** (failures - 1)
            source.schedule_next_run(now, timedelta(seconds=delay))
        else:
            source.schedule_next_run(now)
        if failures >= settings.HARVEST_ALERT_AFTER and source.alerted_at is None:
            from .alerts import send_failure_alert

            try:
                sent = send_failure_alert(source)
            except Exception:  # a mail server down must not break the run
                logger.exception("failure alert for %s not sent", source.slug)
                sent = False
            if sent:
                source.alerted_at = now
    source.save(
        update_fields=[
            "last_run_at",
            "last_success_at",
            "consecutive_failures",
            "alerted_at",
            "last_error",
            "next_run_at",
        ]
    )


def _end(job: Job, status: str, message: str, now: datetime) -> None:
    job.status = status
    job.message = message
    job.finished_at = now
    job.save(update_fields=["status", "message", "finished_at"])
    record_run(job.source, job, now)


def _enqueue(job: Job) -> None:
    from .tasks import harvest_source_task

    # The database backend stores the task in the same database, so a worker
    # sees it once the job row is committed too.
    harvest_source_task.enqueue(job.source_id, job.pk)
