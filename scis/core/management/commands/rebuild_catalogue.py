import sys

from django.core.management.base import BaseCommand

from scis.core.catalogue import rebuild


class Command(BaseCommand):
    """Recreate the listing catalogue from the live record pages. Publishing
    keeps it up to date; run this after bulk changes made outside Wagtail
    (imports straight into the database, restores)."""

    help = "Rebuild the listing catalogue from the live records."

    def handle(self, *args, **options):
        interactive = sys.stdout.isatty()

        def progress(rows: int) -> None:
            if interactive:
                self.stdout.write(f"\r  catalogue: {rows} rows", ending="")

        rows = rebuild(progress=progress)
        if interactive:
            self.stdout.write("")
        self.stdout.write(f"catalogue: {rows} rows")
