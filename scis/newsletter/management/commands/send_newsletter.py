import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from scis.newsletter.models import NewsletterIssuePage
from scis.newsletter.sending import (
    IssueNotSendable,
    due_count,
    plan,
    send_issue,
    source_issue,
)


class Command(BaseCommand):
    """Send a newsletter issue to every subscriber who has not had it yet,
    each in their language, and end with `sent=N failed=N skipped=N`. Safe
    to rerun after a crash or beside the task worker: nobody gets an issue
    twice. See docs/newsletter.md ("Sending")."""

    help = "Send newsletter issue NUMBER to its subscribers (safe to rerun)."

    def add_arguments(self, parser):
        parser.add_argument("number", type=int, help="the issue's number, e.g. 50")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="count the recipients and render one message per language; "
            "send nothing",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="print no progress bar"
        )

    def handle(self, *args, number: int, **options):
        issue = source_issue(number)
        if issue is None:
            raise CommandError(self._unknown(number))
        try:
            if options["dry_run"]:
                self._dry_run(issue)
                return
            bar = tqdm(
                total=due_count(issue),
                unit=" messages",
                desc=f"No. {number}",
                file=sys.stderr,
                disable=options["no_progress"] or None,  # None: only on a terminal
            )

            def progress(done: int, total: int) -> None:
                if bar.total != total:
                    bar.reset(total=total)
                bar.update(done - bar.n)

            try:
                result = send_issue(issue, progress=progress)
            finally:
                bar.close()
        except IssueNotSendable as exc:
            raise CommandError(str(exc)) from exc
        if result.bounced:
            self.stdout.write(
                f"bounced: {result.bounced} (those addresses get no more issues)"
            )
        if result.retrying or result.waiting:
            self.stdout.write(
                f"waiting for a retry: {result.waiting} (the scheduler sends them "
                "when their time comes, or run this command again then)"
            )
        self.stdout.write(result.summary())
        if result.error:
            raise CommandError(
                f"Sending stopped: {result.error}. Nothing unsent is lost; run "
                f"`python manage.py send_newsletter {number}` again to carry on."
            )

    def _unknown(self, number: int) -> str:
        numbers = list(
            NewsletterIssuePage.objects.order_by("-number")
            .values_list("number", flat=True)
            .distinct()[:5]
        )
        known = (
            "the latest are " + ", ".join(str(n) for n in numbers)
            if numbers
            else "there are none yet"
        )
        return (
            f"No newsletter issue No. {number} ({known}). Create it in the admin "
            "(Pages → Newsletter → Add child page) or import it with "
            "`python manage.py import_newsletter FILE`, publish it, and run this "
            "command again."
        )

    def _dry_run(self, issue: NewsletterIssuePage) -> None:
        result = plan(issue)
        languages = ", ".join(f"{k}={v}" for k, v in sorted(result.by_language.items()))
        self.stdout.write(
            f"dry run: would send {result.new + result.due} messages now "
            f"({languages or 'nobody'}); {result.waiting} wait for a retry; "
            f"{result.done} were handled before"
        )
        for language, message in sorted(result.samples.items()):
            self.stdout.write(f"  {language}: {message.subject}")
        self.stdout.write(f"sent=0 failed=0 skipped={result.done}")
