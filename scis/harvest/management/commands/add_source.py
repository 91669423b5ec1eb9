import json

from django.core.management.base import BaseCommand, CommandError

from scis.harvest.models import Source
from scis.harvest.sources import SourceError, create_source


class Command(BaseCommand):
    """Add a harvest source and print its slug (DESIGN.md §6), the name
    `harvest --source` takes."""

    help = "Add a harvest source; prints the new source's slug."

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind", required=True, choices=Source.Kind.values, help="source kind"
        )
        parser.add_argument("--url", required=True, help="the feed, sitemap, listing…")
        parser.add_argument("--name", default="", help="a name editors recognise")
        parser.add_argument(
            "--allow-private",
            action="store_true",
            help="allow loopback and private addresses (an intranet server)",
        )
        parser.add_argument(
            "--language",
            default="",
            help="ko or en (default: detect the language of each item)",
        )
        parser.add_argument("--section", default="", help="default news section")
        parser.add_argument(
            "--schedule",
            type=int,
            default=360,
            metavar="MINUTES",
            help="minutes between runs (default 360, at least 5)",
        )
        parser.add_argument(
            "--config",
            default="",
            metavar="JSON",
            help='settings for the kind, e.g. \'{"item": "td.subject a"}\'',
        )
        parser.add_argument(
            "--inactive", action="store_true", help="add it switched off"
        )

    def handle(self, *args, **options):
        config = {}
        if options["config"]:
            try:
                config = json.loads(options["config"])
            except json.JSONDecodeError as exc:
                raise CommandError(
                    f"--config is not valid JSON ({exc}); give an object such "
                    "as '{\"fetch_pages\": false}'."
                ) from exc
        try:
            source = create_source(
                kind=options["kind"],
                url=options["url"],
                name=options["name"],
                allow_private=options["allow_private"],
                language=options["language"],
                section=options["section"],
                schedule_minutes=options["schedule"],
                config=config,
                active=not options["inactive"],
            )
        except SourceError as exc:
            raise CommandError(
                "The source was not added:\n  " + "\n  ".join(exc.problems)
            ) from exc
        self.stdout.write(source.slug)
