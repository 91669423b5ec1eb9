"""Scheduled runs: due sources are queued (and, with the test settings'
immediate task backend, run at once), stuck jobs are ended, failing sources
are retried with backoff and the administrators told once."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from scis.editorial.management.commands.run_scheduler import (
    Command as SchedulerCommand,
)
from scis.harvest import jobs
from scis.harvest.local_site import Reply
from scis.harvest.models import Item, Job, Source
from scis.harvest.tasks import harvest_source_task

from .test_pipeline import make_source, serve

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _only_this_tests_sources(db):
    """Demo sources (if the demo data has any) stay out of the schedule."""
    Source.objects.update(active=False)


@pytest.fixture
def broken(site, warc_root):
    site.route("/gone.rss", Reply(404, b"not found", {"Content-Type": "text/plain"}))
    return make_source(site, "/gone.rss", name="Gone feed")


def test_due_sources_are_queued_and_run_and_their_next_run_set(site, warc_root):
    serve(site, "/molit.rss", "molit.rss")
    now = timezone.now()
    due = make_source(site, name="Due feed", schedule_minutes=60)
    later = make_source(
        site, name="Later feed", next_run_at=now + timedelta(minutes=30)
    )
    off = make_source(site, name="Inactive feed", active=False)

    queued = jobs.enqueue_due_sources(now)

    assert [job.source for job in queued] == [due]
    job = Job.objects.get(source=due)
    assert job.trigger == "schedule"
    assert job.status == Job.Status.SUCCEEDED
    assert Item.objects.filter(source=due).count() == 4
    due.refresh_from_db()
    # One schedule interval after the run.
    assert timedelta(minutes=60) <= due.next_run_at - now < timedelta(minutes=61)
    assert due.last_success_at is not None
    assert not Job.objects.filter(source__in=[later, off]).exists()


def test_a_source_with_a_run_in_progress_is_not_queued_twice(site, warc_root):
    source = make_source(site, name="Busy feed")
    Job.objects.create(source=source, status=Job.Status.RUNNING)

    assert jobs.enqueue_due_sources() == []
    assert source.jobs.count() == 1


def test_run_now_runs_the_source_once(site, warc_root):
    serve(site, "/molit.rss", "molit.rss")
    source = make_source(site, name="Manual feed", active=False)
    user = get_user_model().objects.create_user("editor", "editor@example.org")

    job = jobs.run_now(source, user=user)

    assert job.status == Job.Status.SUCCEEDED
    assert job.trigger.startswith("manual")
    assert job.new == 4


def test_stale_jobs_are_ended_with_a_message(site, settings):
    settings.HARVEST_JOB_TIMEOUT_SECONDS = 600
    source = make_source(site, name="Stuck feed")
    now = timezone.now()
    long_ago = now - timedelta(seconds=601)
    hung = Job.objects.create(
        source=source,
        status=Job.Status.RUNNING,
        started_at=long_ago,
        heartbeat_at=long_ago,
    )
    alive = Job.objects.create(
        source=source, status=Job.Status.RUNNING, heartbeat_at=now
    )
    never_started = Job.objects.create(source=source)
    Job.objects.filter(pk=never_started.pk).update(created_at=long_ago)

    assert jobs.reap_stale_jobs(now) == 2

    hung.refresh_from_db()
    assert hung.status == Job.Status.TIMED_OUT
    assert hung.finished_at == now
    assert "600 seconds" in hung.message
    never_started.refresh_from_db()
    assert never_started.status == Job.Status.FAILED
    assert "db_worker" in never_started.message
    alive.refresh_from_db()
    assert alive.status == Job.Status.RUNNING
    source.refresh_from_db()
    assert source.consecutive_failures == 2


def test_failures_back_off_and_alert_the_administrators_once(broken, settings, site):
    from scis.harvest.pipeline import harvest_source

    settings.HARVEST_RETRY_SECONDS = 300
    settings.HARVEST_MAX_RETRIES = 3
    settings.HARVEST_ALERT_AFTER = 3
    settings.ADMINS = [("Ops", "ops@scis.example")]
    get_user_model().objects.create_superuser(
        "chief", "chief@scis.example", "pw-for-tests"
    )
    delays = []
    for _ in range(4):
        before = timezone.now()
        harvest_source(broken, trigger="schedule")
        broken.refresh_from_db()
        delays.append((broken.next_run_at - before).total_seconds())
        if broken.consecutive_failures < 3:
            assert mail.outbox == []

    # 5, 10, 20 minutes, then back to the normal schedule (6 hours).
    assert [round(delay, -1) for delay in delays] == [300, 600, 1200, 21600]
    assert broken.consecutive_failures == 4
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert {"ops@scis.example", "chief@scis.example"} <= set(message.to)
    assert "Gone feed" in message.subject
    assert "404" in message.body
    assert settings.PUBLIC_BASE_URL + "/admin/harvest/health/" in message.body

    # The feed is back: the count and the alert are reset.
    serve(site, "/gone.rss", "molit.rss")
    harvest_source(broken)
    broken.refresh_from_db()
    assert broken.consecutive_failures == 0
    assert broken.alerted_at is None
    assert broken.last_error == ""
    assert broken.last_success_at is not None
    assert Source.objects.get(pk=broken.pk).next_run_at > timezone.now()


def test_the_worker_does_not_run_a_job_the_reaper_already_ended(site):
    source = make_source(site, name="Late feed")
    job = Job.objects.create(
        source=source, status=Job.Status.FAILED, message="no task worker"
    )

    outcome = harvest_source_task.call(source.pk, job.pk)

    assert "already ended" in outcome["error"]
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.started_at is None


def test_the_scheduler_reaps_and_queues_harvests(site, warc_root):
    serve(site, "/molit.rss", "molit.rss")
    source = make_source(site, name="Scheduled feed")
    stuck = Job.objects.create(
        source=make_source(site, name="Stuck feed", active=False),
        status=Job.Status.RUNNING,
        heartbeat_at=timezone.now() - timedelta(days=1),
    )
    # Items already in the database (demo data) need no link check now.
    Item.objects.update(link_checked_at=timezone.now())
    scheduler = SchedulerCommand(stdout=StringIO(), stderr=StringIO())

    scheduler.run_harvest_work()

    stuck.refresh_from_db()
    assert stuck.status == Job.Status.TIMED_OUT
    assert source.jobs.get().status == Job.Status.SUCCEEDED
    assert Item.objects.filter(source=source).count() == 4
