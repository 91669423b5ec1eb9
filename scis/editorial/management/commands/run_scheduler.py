import signal
import time
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from scis.harvest import jobs, linkcheck
from scis.newsletter.tasks import enqueue_due_sends
from scis.search.tasks import queue_due_refreshes


class Command(BaseCommand):
    """Run due periodic work in a loop: publish pages whose scheduled time has
    come and unpublish expired ones, refresh the open data dump when due, and
    queue for the task worker the newsletter issues whose send time has come
    and the refreshes of the search index's common-word postings that are
    due. `make run` starts it beside the server; in production run it once
    per deployment (or call it with --once from cron or a systemd timer)."""

    help = "Run scheduled publishing (and other periodic work) every interval."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run due work once and exit."
        )
        parser.add_argument(
            "--interval",
            type=int,
            default=settings.SCHEDULER_INTERVAL_SECONDS,
            help="Seconds between runs (default: SCHEDULER_INTERVAL_SECONDS).",
        )

    def handle(self, *args, once=False, interval=60, **options):
        self.running = True
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        while self.running:
            if once:
                self.run_due_work()
                break
            # A long-lived loop must not keep a stale database connection.
            close_old_connections()
            self.run_due_work()
            deadline = time.monotonic() + interval
            while self.running and time.monotonic() < deadline:
                time.sleep(0.5)

    def _stop(self, *_args):
        self.running = False

    def run_due_work(self):
        try:
            call_command("publish_scheduled", verbosity=0)
        except Exception as exc:  # keep the loop alive; report and retry next tick
            self.stderr.write(
                f"scheduler: scheduled publishing failed: {exc}; "
                "it will be retried at the next run."
            )
        try:
            call_command(
                "publish_open_data", if_stale=True, no_progress=True, verbosity=0
            )
        except Exception as exc:
            self.stderr.write(
                f"scheduler: publishing the open data failed: {exc}; it will be "
                "retried at the next run (or run publish_open_data by hand)."
            )
        try:
            # Newsletter issues whose send time has come, and retries.
            enqueue_due_sends()
        except Exception as exc:
            self.stderr.write(
                f"scheduler: queueing newsletter sends failed: {exc}; it will be "
                "retried at the next run (or run send_newsletter NUMBER by hand)."
            )
        try:
            # The task worker takes the snapshot: minutes on a large archive.
            queue_due_refreshes()
        except Exception as exc:
            self.stderr.write(
                f"scheduler: queueing the search postings refresh failed: {exc}; it "
                "will be retried at the next run (or run refresh_search_postings "
                "by hand)."
            )
        self.run_harvest_work()

    def run_harvest_work(self):
        """Harvesting: end stuck jobs, queue due sources for the task
        worker, and check accepted items' originals once a day."""
        try:
            jobs.reap_stale_jobs()
            jobs.enqueue_due_sources()
        except Exception as exc:
            self.stderr.write(
                f"scheduler: queueing harvest runs failed: {exc}; it will be "
                "retried at the next run (or run `manage.py harvest` by hand)."
            )
        now = timezone.now()
        last = getattr(self, "links_checked_at", None)
        if last is not None and now - last < timedelta(days=1):
            return
        self.links_checked_at = now
        try:
            linkcheck.check_links()
        except Exception as exc:
            self.stderr.write(
                f"scheduler: checking harvested links failed: {exc}; it will be "
                "retried tomorrow (or run `manage.py check_links` by hand)."
            )
