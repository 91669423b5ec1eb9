import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from scis.harvest.models import Job, Source
from scis.harvest.pipeline import harvest_source
from scis.harvest.report import COUNTS, RunResult, write_report

TOTALS = ("new", "updated", "unchanged", "duplicates", "errors")


class Command(BaseCommand):
    """Run every active source once (or the one named), one after another:
    a broken source is reported and the others still run. Ends with
    `harvested: new=N updated=N unchanged=N duplicates=N errors=N`
    (DESIGN.md §6); `--json FILE` writes the run report."""

    help = "Harvest every active source once (or --source SLUG)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", metavar="SLUG", help="run only this source (even inactive)"
        )
        parser.add_argument(
            "--json", metavar="FILE", help="write a JSON run report to FILE"
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="print no progress bars"
        )

    def handle(self, *args, **options):
        sources = self._sources(options["source"])
        started = timezone.now()
        results: list[RunResult] = []
        crashed = 0  # runs that stopped on an unexpected error: one error each
        for source in sources:
            try:
                result = self._run(source, no_progress=options["no_progress"])
            except Exception as exc:  # e.g. the database went away mid-run
                self.stderr.write(
                    f"{source.slug}: the run stopped unexpectedly: {exc!r}; the "
                    "other sources still run."
                )
                crashed += 1
                continue
            results.append(result)
            job = result.job
            counts = " ".join(f"{name}={getattr(job, name)}" for name in COUNTS)
            line = f"{source.slug}: {job.status} {counts}"
            if job.status != Job.Status.SUCCEEDED:
                line += f" ({job.message})"
            self.stdout.write(line)
        if options["json"]:
            write_report(options["json"], results, started=started)
        totals = {
            name: sum(getattr(result.job, name) for result in results)
            for name in TOTALS
        }
        totals["errors"] += crashed
        self.stdout.write(
            "harvested: " + " ".join(f"{name}={totals[name]}" for name in TOTALS)
        )

    def _sources(self, slug: str | None) -> list[Source]:
        if not slug:
            return list(Source.objects.filter(active=True).order_by("name", "pk"))
        source = Source.objects.filter(slug=slug).first()
        if source is None:
            known = ", ".join(Source.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(
                f"No harvest source with slug {slug!r}. Known slugs: {known}. "
                "Add one with `manage.py add_source`."
            )
        return [source]

    def _run(self, source: Source, *, no_progress: bool) -> RunResult:
        bar = tqdm(
            total=0,
            unit=" items",
            desc=source.slug,
            file=sys.stderr,
            disable=no_progress or None,  # None: only on a terminal
        )

        def progress(done: int, total: int) -> None:
            if bar.total != total:
                bar.total = total
                bar.refresh()
            bar.update(done - bar.n)

        try:
            return harvest_source(source, trigger="command", progress=progress)
        finally:
            bar.close()
