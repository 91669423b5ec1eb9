import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from scis.wordpress.importer import (
    BATCH_SIZE,
    NoSiteStructure,
    Options,
    import_wordpress,
)
from scis.wordpress.mapping import MappingError


class Command(BaseCommand):
    """Import a WordPress export (WXR): posts and pages become news items in
    the Korean or English tree, drafts stay drafts, attachments go to the
    image and document libraries, and every old permalink answers with a
    301 to the new page. Rerunning updates what changed and never
    duplicates. See docs/wordpress.md."""

    help = "Import a WordPress WXR export as news items (safe to rerun)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the WXR file WordPress exported")
        parser.add_argument(
            "--language",
            choices=["ko", "en"],
            help="put every post in this language's tree (default: detect per post)",
        )
        parser.add_argument(
            "--mapping",
            type=Path,
            help="YAML mapping of categories, tags and authors "
            "(default: scis/wordpress/default_mapping.yaml)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="read, map and report everything, save nothing, download nothing",
        )
        parser.add_argument(
            "--no-download",
            action="store_true",
            help="keep attachments as links to the old site instead of fetching them",
        )
        parser.add_argument(
            "--allow-private",
            action="store_true",
            help="allow fetching attachments from private or loopback addresses",
        )
        parser.add_argument(
            "--max-download-mb",
            type=int,
            default=25,
            help="largest attachment to fetch, in MB (default 25)",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=10.0,
            help="seconds to wait for an attachment's server (default 10)",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help="new posts written per transaction (default %(default)s; 1: one "
            "transaction per post). A batch that fails is written again post by post.",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="print no progress bar"
        )

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(
                f"{file}: no such file. Export the site in WordPress "
                "(Tools → Export → All content) and give the downloaded .xml file."
            )
        bar = tqdm(
            total=0,
            unit=" items",
            desc="reading",
            file=sys.stderr,
            disable=options["no_progress"] or None,  # None: only on a terminal
        )
        phases = {"scan": ("reading", " items"), "import": ("importing", " posts")}
        current: list[str] = ["scan"]

        def progress(phase: str, done: int, total: int) -> None:
            if phase != current[0]:
                current[0] = phase
                bar.set_description(phases[phase][0])
                bar.unit = phases[phase][1]
                bar.reset(total=total or None)
            if phase == "scan":
                bar.update(1)
            else:
                bar.update(done - bar.n)

        try:
            report = import_wordpress(
                file,
                Options(
                    language=options["language"],
                    mapping=options["mapping"],
                    dry_run=options["dry_run"],
                    download=not options["no_download"],
                    allow_private=options["allow_private"],
                    max_download_bytes=options["max_download_mb"] * 1_000_000,
                    timeout=options["timeout"],
                    batch_size=max(options["batch_size"], 1),
                ),
                progress=progress,
            )
        except MappingError as exc:
            raise CommandError(
                f"The mapping file {exc.path} cannot be used; nothing was imported. "
                "Fix these and run the command again:\n  - "
                + "\n  - ".join(exc.problems)
            ) from exc
        except NoSiteStructure as exc:
            raise CommandError(
                f"Nowhere to file the posts: {exc}. Run the command without "
                "--dry-run once (it creates the site's pages) or `python manage.py "
                "load_demo`."
            ) from exc
        finally:
            bar.close()
        if not report.items and not report.error:
            raise CommandError(
                f"{file} holds no WordPress items: is it a WordPress export (WXR)? "
                "Export it again from WordPress (Tools → Export → All content)."
            )
        for line in report.lines():
            self.stdout.write(line)
        if report.error:
            raise CommandError(
                f"{file}: {report.error}. The file is truncated or damaged; the "
                f"posts before line {report.error_line} were imported. Export the "
                "site again from WordPress (Tools → Export → All content) and run "
                "this command with the new file: it completes the import without "
                "duplicating what is already there."
            )
