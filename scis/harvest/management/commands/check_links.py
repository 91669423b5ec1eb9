import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from scis.harvest.linkcheck import check_links


class Command(BaseCommand):
    """Check that the originals of accepted items are still online; marks
    those gone after repeated 404/410 answers. Ends with
    `checked=N gone=N errors=N`. The scheduler runs it once a day."""

    help = "Check that the originals of accepted harvested items still exist."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-progress", action="store_true", help="print no progress bar"
        )

    def handle(self, *args, **options):
        bar = tqdm(
            total=0,
            unit=" links",
            desc="links",
            file=sys.stderr,
            disable=options["no_progress"] or None,
        )

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            result = check_links(progress=progress)
        finally:
            bar.close()
        self.stdout.write(result.summary_line())
