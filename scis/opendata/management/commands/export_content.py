import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from scis.core.models import CatalogueEntry
from scis.opendata.export import export_content


class Command(BaseCommand):
    """Write every live, public record (both languages, taxonomy links,
    provenance) with the taxonomy, the site structure and the media as JSONL
    and CSV plus a manifest: the open data dump that `import_content`
    restores. See docs/opendata.md."""

    help = "Export the published archive as JSONL, CSV and a manifest into DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="Where to write the dump.")
        parser.add_argument(
            "--no-progress", action="store_true", help="Print no progress bar."
        )

    def handle(self, *args, directory: Path, no_progress=False, **options):
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} is a file: name a directory.")
        if directory.is_dir() and any(directory.iterdir()):
            raise CommandError(
                f"{directory} is not empty: name a new or empty directory, so "
                "no file of an older dump is mixed into this one."
            )
        bar = tqdm(
            total=CatalogueEntry.objects.count(),
            unit="record",
            desc="export",
            file=sys.stderr,
            disable=no_progress or None,
        )
        started = time.monotonic()
        result = export_content(directory, progress=bar.update)
        bar.close()
        seconds = time.monotonic() - started
        for written in result.files:
            self.stdout.write(f"  {written.path}: {written.records}")
        self.stdout.write(
            f"exported: records={result.records} pages={result.pages} "
            f"files={len(result.files)} seconds={seconds:.1f} into {directory}"
        )
