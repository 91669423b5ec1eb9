"""Sending an issue to its subscribers, exactly once each.

The send log is `Delivery`, one row per issue and subscriber. A run makes the
missing rows, then claims pending rows in batches (so two workers never hold
the same row), sends each batch over one SMTP connection and records every
answer of the mail server on its row at once. A rerun after a crash carries on
with what is left; docs/decisions/0016-newsletter-send-log.md explains what
happens to the one message that was in flight."""

from __future__ import annotations

import logging
import re
import smtplib
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import sanitize_address
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from . import links
from .bounces import suppress
from .mime import CHARSET, PreparedEmail
from .models import Delivery, NewsletterIssuePage, Subscriber
from .rendering import RenderedMessage, message_for

logger = logging.getLogger(__name__)

Renderer = Callable[[NewsletterIssuePage, Subscriber, dict], RenderedMessage]
Progress = Callable[[int, int], None]

State = Delivery.State
# Rows a run never touches again: they count as "skipped" in its summary.
DONE = [State.SENT, State.BOUNCED, State.FAILED, State.SKIPPED]
# A running batch refreshes its claim this often, so a rerun elsewhere can
# tell a slow batch from a dead one (NEWSLETTER_CLAIM_TIMEOUT_SECONDS).
HEARTBEAT_SECONDS = 60

IN_FLIGHT = (
    "The send stopped while this message was being handed to the mail server, "
    "so it may have arrived. It is not sent again, so that nobody receives the "
    "issue twice."
)


class IssueNotSendable(Exception):
    """The page cannot be sent (not live, or not the Korean source page)."""


class MailServerUnavailable(Exception):
    """The mail server could not be reached or refused the sender: the run
    stops, and what it had claimed goes back to pending untouched."""


@dataclass
class SendResult:
    """What one run did. `failed` counts every delivery that failed in this
    run, including the ones that will be retried (`retrying`) and the bounces;
    `skipped` counts deliveries finished before this run and subscribers who
    stopped receiving issues after their row was made."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    bounced: int = 0
    retrying: int = 0
    waiting: int = 0
    error: str = ""

    def summary(self) -> str:
        """The last line of `send_newsletter` (DESIGN.md §6)."""
        return f"sent={self.sent} failed={self.failed} skipped={self.skipped}"

    def as_dict(self) -> dict:
        return asdict(self)


class Pacer:
    """Keeps a run at NEWSLETTER_RATE_PER_MINUTE (0: no limit)."""

    def __init__(
        self,
        per_minute: int,
        sleep: Callable[[float], object] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self.sleep = sleep
        self.clock = clock
        self.next_at: float | None = None

    def wait(self) -> None:
        """Return when the next message may go."""
        if not self.interval:
            return
        now = self.clock()
        if self.next_at is not None and self.next_at > now:
            self.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = now + self.interval


def source_issue(number: int) -> NewsletterIssuePage | None:
    """The issue with this number as written in the portal's own language
    (Korean): the page whose deliveries are the send log."""
    return (
        NewsletterIssuePage.objects.filter(
            number=number, locale__language_code=settings.LANGUAGE_CODE
        )
        .order_by("pk")
        .first()
    )


def check_sendable(issue: NewsletterIssuePage) -> None:
    """Raise IssueNotSendable, saying what to do, unless `issue` can be sent."""
    if issue.locale.language_code != settings.LANGUAGE_CODE:
        raise IssueNotSendable(
            f"Issue No. {issue.number} ({issue.locale.language_code}) is a "
            "translation: send the Korean issue, which sends every subscriber "
            "the edition in their language."
        )
    if not issue.live:
        raise IssueNotSendable(
            f"Issue No. {issue.number} is not published. Publish it in the admin "
            "(Pages → Newsletter), then send it again."
        )


def _due(now: datetime) -> Q:
    return Q(state=State.PENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def receivers() -> QuerySet[Subscriber, tuple[int, str]]:
    """(id, language) of every subscriber who receives issues now."""
    return Subscriber.objects.filter(
        status=Subscriber.Status.ACTIVE, suppressed_at__isnull=True
    ).values_list("pk", "language")


def create_deliveries(issue: NewsletterIssuePage, chunk: int = 1000) -> int:
    """Add a pending row for every subscriber who receives issues and has no
    row for `issue` yet; rows that exist stay as they are, also when another
    worker adds them at the same moment. Returns the rows offered."""
    missing = receivers().exclude(deliveries__issue=issue).order_by("pk")
    offered = 0
    after = 0
    while True:
        # A page at a time by id, with no cursor left open while inserting:
        # on SQLite a reader still open when another sender has written
        # cannot start writing itself ("database is locked", not waited on).
        page = list(missing.filter(pk__gt=after)[:chunk])
        if not page:
            return offered
        Delivery.objects.bulk_create(
            [
                Delivery(issue=issue, subscriber_id=pk, language=lang)
                for pk, lang in page
            ],
            ignore_conflicts=True,
        )
        offered += len(page)
        after = page[-1][0]


def recover_stale(issue: NewsletterIssuePage, now: datetime | None = None) -> int:
    """Take back the rows of batches whose sender stopped (crashed, killed)
    longer than NEWSLETTER_CLAIM_TIMEOUT_SECONDS ago. A batch is sent in row
    order and every answer is recorded at once, so only its first row still
    "sending" may have reached the mail server: that one is marked failed
    (at most once, see IN_FLIGHT); the rest were never handed over and go
    back to pending. Returns the rows made pending again."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT_SECONDS)
    stale = Delivery.objects.filter(
        issue=issue, state=State.SENDING, claimed_at__lt=cutoff
    )
    released = 0
    for claim in set(stale.values_list("claim", flat=True)):
        with transaction.atomic():
            batch = stale.filter(claim=claim)
            first = batch.order_by("pk").values_list("pk", flat=True).first()
            if first is None:
                continue  # another run recovered it a moment ago
            batch.filter(pk=first).update(
                state=State.FAILED,
                claim="",
                attempts=F("attempts") + 1,
                last_error=IN_FLIGHT,
            )
            released += batch.update(state=State.PENDING, claim="", claimed_at=None)
    return released


def claim_batch(
    issue: NewsletterIssuePage, size: int, claim: str, now: datetime | None = None
) -> list[Delivery]:
    """Mark up to `size` due pending rows of `issue` as sending under `claim`
    and return them in row order, with their subscribers. A row another
    worker holds or has just taken is never returned."""
    now = now or timezone.now()
    due = Delivery.objects.filter(issue=issue).filter(_due(now)).order_by("pk")
    taken = {"state": State.SENDING, "claim": claim, "claimed_at": now}
    if db_connection.vendor == "postgresql":
        # Workers skip each other's locked rows instead of waiting for them.
        with transaction.atomic():
            ids = list(
                due.select_for_update(skip_locked=True).values_list("pk", flat=True)[
                    :size
                ]
            )
            Delivery.objects.filter(pk__in=ids).filter(_due(now)).update(**taken)
    else:
        # SQLite has no row locks, but one statement holds the database's
        # write lock from start to end: an UPDATE that picks the next due
        # rows in its own subquery takes only rows nobody holds, and two
        # workers get alternate batches rather than the same rows.
        Delivery.objects.filter(pk__in=due.values("pk")[:size]).update(**taken)
    return list(
        Delivery.objects.filter(issue=issue, state=State.SENDING, claim=claim)
        .select_related("subscriber")
        .order_by("pk")
    )


def delivery_counts(issue: NewsletterIssuePage) -> dict[str, int]:
    """Rows of `issue` per state, every state present (0 when none)."""
    counts = dict.fromkeys(State.values, 0)
    for row in (
        Delivery.objects.filter(issue=issue).values("state").annotate(n=Count("pk"))
    ):
        counts[row["state"]] = row["n"]
    return counts


def _domain() -> str:
    address = parseaddr(settings.NEWSLETTER_FROM_EMAIL)[1]
    if "@" in address:
        return address.rsplit("@", 1)[1]
    return urlsplit(settings.PUBLIC_BASE_URL).hostname or "localhost"


def build_message(
    issue: NewsletterIssuePage,
    subscriber: Subscriber,
    rendered: RenderedMessage,
    message_id: str,
    connection=None,
) -> PreparedEmail:
    """The MIME message for one subscriber: text and HTML parts, our own
    Message-ID, and one-click unsubscribe headers (RFC 2369 and RFC 8058).
    Its bytes are written by `mime.PreparedEmail`, a send's largest saving."""
    message = PreparedEmail(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.NEWSLETTER_FROM_EMAIL,
        to=[subscriber.email],
        connection=connection,
        headers={
            "Message-ID": message_id,
            "List-Id": f"SCIS newsletter <newsletter.{_domain()}>",
            "List-Unsubscribe": (
                f"<{rendered.unsubscribe_url or links.unsubscribe_url(subscriber)}>"
            ),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Content-Language": subscriber.language,
        },
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return re.sub(r"\s+", " ", f"{code} {text}").strip()


def _permanent(code: int) -> bool:
    # RFC 5321 §4.5.3.1.10: a 552 "mailbox full" at RCPT is to be treated as
    # the temporary 452.
    return 500 <= code < 600 and code != 552


class _Batch:
    """One claimed batch over one SMTP connection."""

    def __init__(self, issue, rows, claim, renderer, cache, pacer, result):
        self.issue = issue
        self.rows = rows
        self.claim = claim
        self.renderer = renderer
        self.cache = cache
        self.pacer = pacer
        self.result = result
        self.connection = get_connection(
            fail_silently=False, timeout=settings.EMAIL_TIMEOUT
        )
        self.open = False
        self.beat = time.monotonic()
        self.sender: str | None = None

    def release(self, rows: list[Delivery]) -> None:
        """Give rows back untouched: they were never handed to the server."""
        Delivery.objects.filter(
            pk__in=[row.pk for row in rows], claim=self.claim, state=State.SENDING
        ).update(state=State.PENDING, claim="", claimed_at=None)

    def connect(self, remaining: list[Delivery]) -> None:
        try:
            self.connection.open()
        except smtplib.SMTPAuthenticationError as exc:
            self.release(remaining)
            reply = _reply(exc.smtp_code, exc.smtp_error)
            raise MailServerUnavailable(
                f"the mail server refused the login ({reply}): check "
                "EMAIL_HOST_USER and EMAIL_HOST_PASSWORD"
            ) from exc
        except OSError as exc:  # smtplib's errors are OSErrors too
            self.release(remaining)
            raise MailServerUnavailable(
                f"cannot reach the mail server {settings.EMAIL_HOST}:"
                f"{settings.EMAIL_PORT} ({exc}): check EMAIL_HOST, EMAIL_PORT and "
                "EMAIL_USE_TLS, or wait until the server is back"
            ) from exc
        self.open = True

    def disconnect(self) -> None:
        if self.open:
            try:
                self.connection.close()
            except OSError:
                logger.info("closing the SMTP connection failed", exc_info=True)
        self.open = False

    def still_ours(self, remaining: int) -> bool:
        """Refresh the claim once a minute; False when a rerun took rows back
        because this batch looked dead (then it must not send them)."""
        if time.monotonic() - self.beat < HEARTBEAT_SECONDS:
            return True
        self.beat = time.monotonic()
        held = Delivery.objects.filter(claim=self.claim, state=State.SENDING).update(
            claimed_at=timezone.now()
        )
        return held >= remaining

    def run(self, progress: Callable[[], None]) -> None:
        try:
            for index, row in enumerate(self.rows):
                if not self.still_ours(len(self.rows) - index):
                    logger.warning("newsletter batch %s was taken back", self.claim)
                    return
                if not self.open:
                    self.connect(self.rows[index:])
                self.send(row)
                progress()
        finally:
            self.disconnect()

    def send(self, row: Delivery) -> None:
        subscriber = row.subscriber
        if not subscriber.receives_issues:
            self.finish(row, State.SKIPPED, "The subscriber no longer receives issues.")
            self.result.skipped += 1
            return
        try:
            rendered = self.renderer(self.issue, subscriber, self.cache)
        except Exception as exc:  # one broken edition must not stop the others
            logger.exception("rendering issue %s failed", self.issue.number)
            self.retry(row, f"The message could not be made: {exc}")
            return
        message_id = make_msgid(idstring=f"scis{self.issue.number}", domain=_domain())
        message = build_message(
            self.issue, subscriber, rendered, message_id, self.connection
        )
        self.pacer.wait()
        try:
            self.hand_over(message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            if _permanent(code):
                self.bounce(row, _reply(code, text))
            else:
                self.retry(row, _reply(code, text))
                if code == 421:  # the server is closing the connection
                    self.disconnect()
        except smtplib.SMTPSenderRefused as exc:
            reply = _reply(exc.smtp_code, exc.smtp_error)
            if not _permanent(exc.smtp_code):
                self.retry(row, reply)
                return
            self.release([row, *self.rows[self.rows.index(row) + 1 :]])
            raise MailServerUnavailable(
                f"the mail server refused the sender {settings.NEWSLETTER_FROM_EMAIL} "
                f"({reply}): set NEWSLETTER_FROM_EMAIL to an address the server "
                "may send from"
            ) from exc
        except smtplib.SMTPResponseException as exc:
            reply = _reply(exc.smtp_code, exc.smtp_error)
            if _permanent(exc.smtp_code):
                # Refused at DATA: about the message rather than the address,
                # so the subscriber is not suppressed.
                self.finish(row, State.FAILED, reply, attempted=True)
                self.result.failed += 1
            else:
                self.retry(row, reply)
                if exc.smtp_code == 421:  # the server is closing the connection
                    self.disconnect()
        except OSError as exc:  # dropped connection, timeout
            self.retry(row, f"Connection to the mail server failed: {exc}")
            self.disconnect()
        else:
            Delivery.objects.filter(pk=row.pk).update(
                state=State.SENT,
                sent_at=timezone.now(),
                message_id=message_id,
                attempts=F("attempts") + 1,
                claim="",
                next_attempt_at=None,
                last_error="",
            )
            self.result.sent += 1

    def hand_over(self, message: PreparedEmail) -> None:
        """Give `message` to the mail server. Through Django's SMTP backend
        its bytes go straight to the backend's smtplib connection, raising
        the same errors: the backend would parse the sender's and the
        reader's address again for every message, a tenth of a send's cost."""
        smtp = getattr(self.connection, "connection", None)
        if not isinstance(smtp, smtplib.SMTP):  # another backend, or closed
            self.connection.send_messages([message])
            return
        raw = message.message().as_bytes(linesep="\r\n")  # checks the headers
        if self.sender is None:
            self.sender = sanitize_address(message.from_email, CHARSET)
        (to,) = message.to
        smtp.sendmail(
            self.sender, [to if to.isascii() else sanitize_address(to, CHARSET)], raw
        )

    def finish(self, row, state, error: str, attempted: bool = False) -> None:
        Delivery.objects.filter(pk=row.pk).update(
            state=state,
            claim="",
            last_error=error,
            attempts=F("attempts") + (1 if attempted else 0),
        )

    def retry(self, row: Delivery, error: str) -> None:
        attempts = row.attempts + 1
        self.result.failed += 1
        if attempts >= settings.NEWSLETTER_MAX_ATTEMPTS:
            Delivery.objects.filter(pk=row.pk).update(
                state=State.FAILED,
                claim="",
                attempts=attempts,
                last_error=f"{error} (gave up after {attempts} attempts)",
            )
            return
        delay = settings.NEWSLETTER_RETRY_SECONDS * 2 ** (attempts - 1)
        Delivery.objects.filter(pk=row.pk).update(
            state=State.PENDING,
            claim="",
            claimed_at=None,
            attempts=attempts,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
            last_error=error,
        )
        self.result.retrying += 1

    def bounce(self, row: Delivery, reply: str) -> None:
        self.finish(row, State.BOUNCED, reply, attempted=True)
        suppress(row.subscriber, f"SMTP {reply}")
        self.result.failed += 1
        self.result.bounced += 1


def due_count(issue: NewsletterIssuePage) -> int:
    return Delivery.objects.filter(issue=issue).filter(_due(timezone.now())).count()


def send_issue(
    issue: NewsletterIssuePage,
    *,
    renderer: Renderer | None = None,
    batch_size: int | None = None,
    rate_per_minute: int | None = None,
    progress: Progress | None = None,
    sleep: Callable[[float], object] = time.sleep,
) -> SendResult:
    """Send `issue` (the live Korean page) to every subscriber who receives
    issues and has not had it yet, each in their language. Safe to run again
    and beside other runs of the same issue. Returns what this run did; when
    the mail server cannot be reached the run stops with `error` set and
    everything not sent stays pending for the next run."""
    check_sendable(issue)
    renderer = renderer or message_for
    size = max(batch_size or settings.NEWSLETTER_BATCH_SIZE, 1)
    rate = (
        settings.NEWSLETTER_RATE_PER_MINUTE
        if rate_per_minute is None
        else rate_per_minute
    )
    now = timezone.now()
    # Sent by hand: the scheduler must not queue it again at its send time.
    NewsletterIssuePage.objects.filter(
        pk=issue.pk, send_started_at__isnull=True
    ).update(send_started_at=now)
    create_deliveries(issue)
    recover_stale(issue, now)
    result = SendResult(
        skipped=Delivery.objects.filter(issue=issue, state__in=DONE).count()
    )
    total = due_count(issue)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    cache: dict = {}
    pacer = Pacer(rate, sleep=sleep)
    while True:
        claim = uuid.uuid4().hex
        rows = claim_batch(issue, size, claim)
        if not rows:
            break
        try:
            _Batch(issue, rows, claim, renderer, cache, pacer, result).run(step)
        except MailServerUnavailable as exc:
            result.error = str(exc)
            break
    result.waiting = Delivery.objects.filter(
        issue=issue, state=State.PENDING, next_attempt_at__gt=timezone.now()
    ).count()
    return result


@dataclass
class Plan:
    """What a send would do now (`send_newsletter --dry-run`)."""

    new: int
    due: int
    waiting: int
    done: int
    by_language: dict[str, int]
    samples: dict[str, RenderedMessage]


def plan(issue: NewsletterIssuePage, renderer: Renderer | None = None) -> Plan:
    """Count who would receive `issue` and render one message per language
    in use, so a broken edition shows before anything is sent. Writes
    nothing."""
    check_sendable(issue)
    renderer = renderer or message_for
    now = timezone.now()
    rows = Delivery.objects.filter(issue=issue)
    new = receivers().exclude(deliveries__issue=issue)
    by_language: dict[str, int] = {}
    for language, n in new.order_by().values_list("language").annotate(n=Count("pk")):
        by_language[language] = by_language.get(language, 0) + n
    for language, n in (
        rows.filter(_due(now))
        .order_by()
        .values_list("language")
        .annotate(n=Count("pk"))
    ):
        by_language[language] = by_language.get(language, 0) + n
    cache: dict = {}
    samples = {}
    for language in sorted(by_language):
        reader = (
            Subscriber.objects.filter(
                language=language,
                status=Subscriber.Status.ACTIVE,
                suppressed_at__isnull=True,
            )
            .order_by("pk")
            .first()
        )
        if reader is not None:
            samples[language] = renderer(issue, reader, cache)
    return Plan(
        new=new.count(),
        due=rows.filter(_due(now)).count(),
        waiting=rows.filter(state=State.PENDING, next_attempt_at__gt=now).count(),
        done=rows.filter(state__in=DONE).count(),
        by_language=by_language,
        samples=samples,
    )
