import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from scis.newsletter.importer import NewsletterImportError, import_issue
from scis.newsletter.legacy import LegacyFormatError, read_issue


class Command(BaseCommand):
    """Import one issue of the old portal's newsletter, as plain text or as
    its HTML page: items are matched to existing records or created, and the
    issue page with that number is updated or created. Rerunning updates,
    never duplicates. Ends with `created=N updated=N skipped=N`. See
    docs/newsletter.md ("Importing the old issues")."""

    help = "Import an old newsletter issue (text or HTML) into the archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", type=Path, help="the issue as a .txt file or its saved HTML page"
        )
        parser.add_argument(
            "--language",
            choices=["ko", "en"],
            help="the issue's language (default: told from the share of Hangul)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="read, match and report everything; save nothing",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="print no progress bar"
        )

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(
                f"{file}: no such file. Give the issue as a text file or as the "
                "HTML page saved from the old portal (File → Save page as)."
            )
        try:
            parsed = read_issue(file, language=options["language"])
        except LegacyFormatError as exc:
            raise CommandError(
                f"{file}: {exc}. Nothing was imported. Check that the file is one "
                "complete newsletter issue and run the command again."
            ) from exc
        bar = tqdm(
            total=len(parsed.items),
            unit=" items",
            desc=f"No. {parsed.number}",
            file=sys.stderr,
            disable=options["no_progress"] or None,  # None: only on a terminal
        )

        def progress(done: int, total: int) -> None:
            if bar.total != total:
                bar.reset(total=total)
            bar.update(done - bar.n)

        try:
            report = import_issue(
                parsed, file=str(file), dry_run=options["dry_run"], progress=progress
            )
        except NewsletterImportError as exc:
            raise CommandError(f"{file}: {exc}. Nothing was imported.") from exc
        except DatabaseError as exc:
            raise CommandError(
                f"The database could not be used ({exc}); nothing was imported. Is "
                "it set up? Run `python manage.py migrate` (and `load_demo` or "
                "`make run` on a new machine), then run this command again."
            ) from exc
        finally:
            bar.close()
        for line in report.lines():
            self.stdout.write(line)
