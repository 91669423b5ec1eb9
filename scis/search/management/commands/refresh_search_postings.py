import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from scis.search.postings import refresh_all


class Command(BaseCommand):
    """Take new snapshots of the common words' postings (see
    scis/search/postings.py). Searches are right without it; they get slower
    as more documents are indexed after the last snapshot. The scheduler runs
    it with --if-stale; rebuild_search_index does it at the end. Safe while
    the site serves."""

    help = "Refresh the kept postings of the search index's common words."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help="Only languages with no snapshot yet or a long tail since it.",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Print no progress bar."
        )

    def handle(self, *args, if_stale=False, no_progress=False, **options):
        bars: dict[str, tqdm] = {}

        def progress(language: str, done: int, total: int) -> None:
            if language not in bars:
                bars[language] = tqdm(
                    total=total,
                    unit="word",
                    desc=f"common words ({language})",
                    file=sys.stderr,
                    disable=no_progress or None,  # None: only on a terminal
                )
            bars[language].update(done - bars[language].n)

        kept = refresh_all(progress, only_stale=if_stale)
        for bar in bars.values():
            bar.close()
        for language, words in kept.items():
            self.stdout.write(f"search postings ({language}): {words} common words")
