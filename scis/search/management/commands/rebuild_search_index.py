import sys
import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from scis.search.index import rebuild
from scis.search.management.commands.refresh_search_postings import WordBars


class Command(BaseCommand):
    """Index every published record again. Publishing keeps the index up to
    date through the task queue; run this after bulk changes made outside
    Wagtail, after changing the analyzer's dictionary or synonyms, or to
    repair the index. Safe while the site serves: records are replaced batch
    by batch, never removed first."""

    help = "Rebuild the search index from the listing catalogue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-progress", action="store_true", help="Print no progress bar."
        )

    def handle(self, *args, no_progress=False, **options):
        bar = tqdm(
            total=0,
            unit="doc",
            desc="search index",
            file=sys.stderr,
            disable=no_progress or None,  # None: only on a terminal
        )

        indexed = [0.0]

        def progress(done: int, total: int) -> None:
            indexed[0] = time.monotonic()
            bar.total = total
            bar.update(done - bar.n)

        words = WordBars(no_progress)

        def refreshing(language: str, done: int, total: int) -> None:
            bar.close()  # the documents are written
            words.update(language, done, total)

        started = time.monotonic()
        documents = rebuild(progress=progress, refreshing=refreshing)
        bar.close()
        words.close()
        ended = time.monotonic()
        indexing = (indexed[0] or ended) - started
        rate = documents / max(indexing, 1e-6)
        self.stdout.write(
            f"search index: {documents} documents ({rate:.0f}/s); "
            f"common words' postings: {ended - started - indexing:.1f} s"
        )
