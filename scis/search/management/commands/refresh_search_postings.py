import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from scis.search.kept_postings import refresh_all


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
        bars = WordBars(no_progress)
        kept = refresh_all(bars.update, only_stale=if_stale)
        bars.close()
        for language, words in kept.items():
            self.stdout.write(f"search postings ({language}): {words} common words")


class WordBars:
    """A progress bar per language for a postings refresh (this command's
    and rebuild_search_index's)."""

    def __init__(self, no_progress: bool):
        self.no_progress = no_progress
        self.bars: dict[str, tqdm] = {}

    def update(self, language: str, done: int, total: int) -> None:
        if language not in self.bars:
            self.bars[language] = tqdm(
                total=total,
                unit="word",
                desc=f"common words ({language})",
                file=sys.stderr,
                disable=self.no_progress or None,  # None: only on a terminal
            )
        bar = self.bars[language]
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()
