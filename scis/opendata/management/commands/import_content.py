import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from scis.opendata.restore import DumpError, import_content


class Command(BaseCommand):
    """Restore a dump written by `export_content` (or the unpacked open data
    download) into an empty database, or into the one it came from. Every
    file is checked before anything is written; rerunning is safe."""

    help = "Import an open data dump from DIR; ends with created=N updated=N skipped=N."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="A dump directory.")
        parser.add_argument(
            "--no-progress", action="store_true", help="Print no progress bar."
        )

    def handle(self, *args, directory: Path, no_progress=False, **options):
        if not directory.is_dir():
            raise CommandError(
                f"{directory} is not a directory: name a dump directory."
            )
        bar = tqdm(
            total=0,
            unit="page",
            desc="import",
            file=sys.stderr,
            disable=no_progress or None,
        )

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            result = import_content(directory, progress=progress)
        except DumpError as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        finally:
            bar.close()
        for part, counts in sorted(result.parts.items()):
            self.stdout.write(
                f"  {part}: created={counts.created} updated={counts.updated} "
                f"skipped={counts.skipped}"
            )
        total = result.total
        self.stdout.write(
            f"created={total.created} updated={total.updated} skipped={total.skipped}"
        )
