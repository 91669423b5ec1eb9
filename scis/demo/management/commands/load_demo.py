import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from scis.demo.loader import load_demo, load_harvest_sources
from scis.demo.records import DemoDataError


class Command(BaseCommand):
    """Load the bilingual demo archive: taxonomy, site structure, 150+ records
    in Korean and English, and the about pages. Rerunning changes nothing."""

    help = "Create the demo archive (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="Folder of demo YAML files (default: scis/demo/data).",
        )

    def handle(self, *args, data_dir=None, **options):
        interactive = sys.stdout.isatty()

        def progress(done: int, total: int, slug: str) -> None:
            if interactive:
                self.stdout.write(
                    f"\r  demo: {done}/{total} {slug[:50]:<50}", ending=""
                )
            elif done == total or done % 25 == 0:
                self.stdout.write(f"  demo: {done}/{total} records")

        try:
            result = load_demo(data_dir, progress=progress)
            # The example harvest sources (those not created yet), so the
            # editor's inbox fills from the bundled demo site under make run.
            sources = load_harvest_sources(data_dir)
        except DemoDataError as exc:
            raise CommandError(
                "The demo files have problems; nothing was loaded. Fix these in "
                "scis/demo/data/ and run load_demo again:\n  - "
                + "\n  - ".join(exc.problems)
            ) from exc
        if interactive:
            self.stdout.write("")
        if sources:
            self.stdout.write(
                f"  demo: {sources} harvest sources added (docs/harvest.md)"
            )
        if result.missing_files:
            self.stderr.write(
                f"{result.missing_files} document file(s) were missing from "
                "scis/demo/pdfs/; those documents have no download. Run "
                "`python -m scis.demo.make_pdfs` to create them."
            )
        self.stdout.write(
            f"created={result.created} updated={result.updated} skipped={result.skipped}"
        )
