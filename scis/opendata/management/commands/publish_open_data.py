import sys
import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from scis.core.models import CatalogueEntry
from scis.opendata import publish


class Command(BaseCommand):
    """Export the archive into OPEN_DATA_ROOT, zip it and switch /data/ to it
    at once. The scheduler runs it when the archive changed and the dump is
    older than OPEN_DATA_INTERVAL_HOURS; run it by hand after bulk work."""

    help = "Publish the open data dump shown at /data/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help="Only when the archive changed and the dump is old enough.",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Print no progress bar."
        )

    def handle(self, *args, if_stale=False, no_progress=False, **options):
        if if_stale and not publish.stale():
            if options["verbosity"] > 1:
                self.stdout.write("open data: up to date")
            return
        bar = tqdm(
            total=CatalogueEntry.objects.count(),
            unit="record",
            desc="open data",
            file=sys.stderr,
            disable=no_progress or None,
        )
        started = time.monotonic()
        result = publish.publish(progress=bar.update)
        bar.close()
        if options["verbosity"] == 0:
            return
        self.stdout.write(
            f"open data: published {result.records} records in "
            f"{time.monotonic() - started:.1f} s to {publish.root() / publish.CURRENT}"
        )
