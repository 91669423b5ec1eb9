"""How fast one newsletter issue goes out (issue #5's target: 100,000
subscribers at 300 messages a second or more on 2 cores, peak memory shown).

The row runs in a database of its own (a SQLite file under var/bench/, or
`<name>_newsletter` beside a PostgreSQL bench database) holding the demo
archive, so the issue is the demo issue No. 49 with its real records. It adds
N active subscribers (both languages, some with sections of interest), starts
a local SMTP sink in a separate process on 127.0.0.1 and then sends the issue
the way the task worker does: `--senders` processes (default 2, as with
NEWSLETTER_SEND_TASKS=2 and two db_worker processes) each call
`sending.send_issue` on the same issue at the same moment, sharing it
through the send log's claims. The sink, the senders and the database all
share the machine's cores; nothing else is left out of the clock.

It prints messages, seconds, messages a second, the peak memory (RSS) of
each sender and of the sink, and checks that every subscriber received
exactly one message and the send log says so.

    python -m bench.newsletter 20000      (quick run; default 100,000)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from . import database
from .standalone import peak_rss_kb, row_in_subprocess, side_target

ISSUE_NUMBER = 49
TARGET_PER_SECOND = 300
SQLITE_FILE = database.BENCH_DIR / "newsletter-bench.sqlite3"
# Sections readers picked, in the mix of subscribers (most choose none,
# which means every section).
SECTION_CHOICES = [
    ["issue"],
    ["policy-project", "policy-trend"],
    ["news", "literature"],
]


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- the SMTP sink ----------------------------------------------------------


class Sink:
    """A minimal SMTP server that accepts every message, keeps only the count
    per recipient and throws the message away. It speaks just enough SMTP
    for smtplib (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT)."""

    def __init__(self) -> None:
        self.received: Counter[str] = Counter()
        self.messages = 0

    async def session(self, reader, writer) -> None:
        recipients: list[str] = []
        writer.write(b"220 bench sink ESMTP\r\n")
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                verb = line[:4].upper()
                if verb == b"EHLO":
                    writer.write(b"250-bench sink\r\n250-8BITMIME\r\n250 SIZE 0\r\n")
                elif verb == b"HELO":
                    writer.write(b"250 bench sink\r\n")
                elif verb == b"MAIL":
                    recipients = []
                    writer.write(b"250 OK\r\n")
                elif verb == b"RCPT":
                    address = line.partition(b":")[2].strip().strip(b"<>")
                    recipients.append(address.decode("ascii", "replace").lower())
                    writer.write(b"250 OK\r\n")
                elif verb == b"DATA":
                    writer.write(b"354 go ahead\r\n")
                    await reader.readuntil(b"\r\n.\r\n")
                    self.messages += 1
                    self.received.update(recipients)
                    recipients = []
                    writer.write(b"250 accepted\r\n")
                elif verb == b"QUIT":
                    writer.write(b"221 bye\r\n")
                    await writer.drain()
                    break
                else:  # RSET, NOOP and anything else
                    recipients = []
                    writer.write(b"250 OK\r\n")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    def report(self) -> dict:
        return {
            "messages": self.messages,
            "recipients": len(self.received),
            "twice": sum(1 for n in self.received.values() if n > 1),
            "peak_rss_kb": peak_rss_kb(),
            "cpu_seconds": round(_cpu_seconds(), 1),
        }


def run_sink() -> None:
    """`--sink`: serve on a free port of 127.0.0.1, print the port, and print
    the figures as JSON when a line arrives on stdin."""
    sink = Sink()

    async def serve() -> None:
        server = await asyncio.start_server(
            sink.session, "127.0.0.1", 0, limit=64 * 1024 * 1024
        )
        print(server.sockets[0].getsockname()[1], flush=True)
        async with server:
            await server.serve_forever()

    def answer() -> None:
        sys.stdin.readline()
        print(json.dumps(sink.report()), flush=True)
        os._exit(0)

    threading.Thread(target=answer, daemon=True).start()
    asyncio.run(serve())


# --- the senders -------------------------------------------------------------


def run_sender(issue_pk: int, port: int) -> None:
    """`--sender`: set Django up, say "ready", wait for a line on stdin, send
    the issue through the sink and print what the run did as JSON."""
    import django

    django.setup()
    from django.conf import settings

    from scis.newsletter.models import NewsletterIssuePage
    from scis.newsletter.sending import send_issue

    # The bench settings keep mail in memory; this row talks real SMTP.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    issue = NewsletterIssuePage.objects.get(pk=issue_pk)
    print("ready", flush=True)
    sys.stdin.readline()
    cpu = _cpu_seconds()
    result = send_issue(issue)
    figures = result.as_dict()
    figures["peak_rss_kb"] = peak_rss_kb()
    figures["cpu_seconds"] = round(_cpu_seconds() - cpu, 1)
    print(json.dumps(figures), flush=True)


# --- the run -----------------------------------------------------------------


def _prepare_issue(log):
    """Migrate, load the demo archive when issue No. 49 is missing, and make
    the issue sendable again (no deliveries, no start time)."""
    from django.conf import settings
    from django.core.management import call_command

    from scis.newsletter.models import Delivery, NewsletterIssuePage, Subscriber

    call_command("migrate", interactive=False, verbosity=0)

    def issue():
        return NewsletterIssuePage.objects.filter(
            number=ISSUE_NUMBER, locale__language_code=settings.LANGUAGE_CODE
        ).first()

    if issue() is None:
        from scis.demo.loader import load_demo

        started = time.perf_counter()
        log("  loading the demo archive (once: the database is reused afterwards)")
        load_demo()
        log(f"  demo archive loaded in {time.perf_counter() - started:.1f} s")
    found = issue()
    if found is None or not found.live:
        raise SystemExit(
            f"The demo archive has no live Korean issue No. {ISSUE_NUMBER}: check "
            "scis/demo/data/newsletters/issues.yaml, then run the bench with "
            "--rebuild."
        )
    Delivery.objects.all().delete()
    Subscriber.objects.all().delete()
    NewsletterIssuePage.objects.filter(pk=found.pk).update(send_started_at=None)
    return found


def _add_subscribers(count: int, log) -> dict[str, int]:
    """Insert `count` confirmed subscribers in bulk: one in four reads
    English, one in five chose sections of interest."""
    from django.db import transaction
    from django.utils import timezone

    from scis.newsletter.models import Subscriber

    now = timezone.now()
    languages = {"ko": 0, "en": 0}
    started = time.perf_counter()
    chunk = 5000
    with transaction.atomic():
        for first in range(0, count, chunk):
            rows = []
            for number in range(first, min(first + chunk, count)):
                language = "en" if number % 4 == 3 else "ko"
                languages[language] += 1
                sections = (
                    SECTION_CHOICES[number // 5 % len(SECTION_CHOICES)]
                    if number % 5 == 0
                    else []
                )
                rows.append(
                    Subscriber(
                        email=f"reader{number:07d}@bench.example",
                        language=language,
                        sections=sections,
                        status=Subscriber.Status.ACTIVE,
                        created_at=now,
                        confirmed_at=now,
                    )
                )
            Subscriber.objects.bulk_create(rows)
            done = first + len(rows)
            if done == count or done // chunk % 5 == 0:
                log(f"  subscribers {done:>9,}/{count:,}")
    log(f"  subscribers added in {time.perf_counter() - started:.1f} s")
    return languages


def _spawn(args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bench.newsletter", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=database.BASE_DIR,
    )


def _answer(process: subprocess.Popen, what: str) -> str:
    line = process.stdout.readline() if process.stdout else ""
    if not line:
        process.wait()
        raise RuntimeError(
            f"the {what} stopped without answering (exit code {process.returncode}); "
            "its error is printed above"
        )
    return line.strip()


def _wait(processes, started: float, issue, subscribers: int, log) -> None:
    """Return when every sender has ended; show progress every 15 s (read
    from the send log, which does not hold the senders up)."""
    from scis.newsletter.models import Delivery

    shown = started
    while any(process.poll() is None for process in processes):
        time.sleep(0.05)
        now = time.perf_counter()
        if now - shown >= 15:
            shown = now
            sent = Delivery.objects.filter(issue=issue, state="sent").count()
            log(
                f"  sent {sent:>9,}/{subscribers:,}  {now - started:6.1f} s  "
                f"({sent / (now - started):,.0f}/s)"
            )


def run(subscribers: int, senders: int, database_url: str | None, log) -> dict:
    """Prepare the database, send the issue to `subscribers` addresses with
    `senders` processes and return the figures (see `table`)."""
    target = side_target(database_url, SQLITE_FILE, "newsletter")
    database.configure_environment(target)
    import django

    django.setup()
    from django.db import connections
    from django.db.models import Count

    from scis.newsletter.models import Delivery

    database.ensure_exists(target, log)
    log(f"newsletter send: {target.label} database {target.name}")
    issue = _prepare_issue(log)
    languages = _add_subscribers(subscribers, log)
    connections.close_all()

    env = dict(os.environ)
    sink = _spawn(["--sink"], env)
    processes: list[subprocess.Popen] = []
    try:
        port = int(_answer(sink, "SMTP sink"))
        processes = [
            _spawn(["--sender", str(issue.pk), str(port)], env) for _ in range(senders)
        ]
        for process in processes:
            _answer(process, "sender")  # "ready": Django is set up
        log(f"  sending with {senders} processes to the sink on 127.0.0.1:{port}")
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        for process in processes:
            process.stdin.write("go\n")  # type: ignore[union-attr]
            process.stdin.flush()  # type: ignore[union-attr]
        _wait(processes, started, issue, subscribers, log)
        seconds = time.perf_counter() - started
        runs = [json.loads(_answer(p, "sender")) for p in processes]
        load_after = os.getloadavg()[0]
        sink.stdin.write("report\n")  # type: ignore[union-attr]
        sink.stdin.flush()  # type: ignore[union-attr]
        received = json.loads(_answer(sink, "SMTP sink"))
    finally:
        for process in [*processes, sink]:
            if process.poll() is None:
                process.kill()
            process.wait()

    log_states = dict(
        Delivery.objects.filter(issue=issue)
        .values_list("state")
        .annotate(n=Count("pk"))
    )
    sent = sum(r["sent"] for r in runs)
    return {
        "subscribers": subscribers,
        "languages": languages,
        "senders": senders,
        "database": target.label,
        "issue": ISSUE_NUMBER,
        "seconds": round(seconds, 2),
        "messages": received["messages"],
        "messages_per_second": round(received["messages"] / max(seconds, 1e-6), 1),
        "sent_by_sender": [r["sent"] for r in runs],
        "failed": sum(r["failed"] for r in runs),
        "errors": [r["error"] for r in runs if r["error"]],
        "sender_peak_rss_kb": [r["peak_rss_kb"] for r in runs],
        "sender_cpu_seconds": [r["cpu_seconds"] for r in runs],
        "sink_peak_rss_kb": received["peak_rss_kb"],
        "sink_cpu_seconds": received["cpu_seconds"],
        "recipients": received["recipients"],
        "received_twice": received["twice"],
        "send_log": log_states,
        "exactly_once": (
            received["messages"] == subscribers
            and received["recipients"] == subscribers
            and received["twice"] == 0
            and sent == subscribers
            and log_states == {"sent": subscribers}
        ),
        "load": (round(load_before, 2), round(load_after, 2)),
    }


def table(figures: dict) -> str:
    """The row for people."""
    mb = [f"{kb / 1024:,.0f}" for kb in figures["sender_peak_rss_kb"]]
    languages = figures["languages"]
    check = (
        "yes"
        if figures["exactly_once"]
        else "NO: received "
        f"{figures['messages']:,} messages for {figures['recipients']:,} "
        f"addresses, {figures['received_twice']:,} twice; send log "
        f"{figures['send_log']}; errors {figures['errors']}"
    )
    return "\n".join(
        [
            f"Newsletter send (issue No. {figures['issue']}, {figures['database']}; "
            f"{languages['ko']:,} Korean and {languages['en']:,} English readers; "
            f"{figures['senders']} sender processes and an SMTP sink on 127.0.0.1, "
            "all on this machine)",
            f"  send_issue       {figures['messages']:>8,} messages "
            f"{figures['seconds']:>7.1f} s  "
            f"{figures['messages_per_second']:>7,.0f}/s  "
            f"(target: {TARGET_PER_SECOND}/s on 2 cores; load "
            f"{figures['load'][0]} → {figures['load'][1]})",
            f"  peak RSS         senders {' / '.join(mb)} MB, sink "
            f"{figures['sink_peak_rss_kb'] / 1024:,.0f} MB; CPU s senders "
            f"{' / '.join(str(s) for s in figures['sender_cpu_seconds'])}, sink "
            f"{figures['sink_cpu_seconds']}",
            f"  exactly once     {check} (messages per sender: "
            f"{' / '.join(f'{n:,}' for n in figures['sent_by_sender'])})",
        ]
    )


def in_subprocess(subscribers: int, database_url: str | None, log) -> str:
    """The row for `python -m bench`, run in a process of its own."""
    return row_in_subprocess(
        "bench.newsletter",
        subscribers,
        database_url,
        log,
        what=f"newsletter send to {subscribers:,} subscribers",
        table=table,
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.newsletter",
        description="Time sending one newsletter issue through a local SMTP sink.",
    )
    parser.add_argument(
        "subscribers",
        nargs="?",
        type=int,
        default=100_000,
        help="active subscribers to send to (default 100,000)",
    )
    parser.add_argument(
        "--senders",
        type=int,
        default=2,
        help="sender processes sharing the issue (default 2)",
    )
    parser.add_argument(
        "--database-url",
        help="PostgreSQL bench database; the row uses <name>_newsletter beside it",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--sink", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--sender", nargs=2, type=int, metavar=("ISSUE", "PORT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if not 1 <= args.subscribers <= 2_000_000:
        parser.error("subscribers must be between 1 and 2,000,000")
    if not 1 <= args.senders <= 16:
        parser.error("--senders must be between 1 and 16")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.sink:
        run_sink()
        return 0
    if args.sender:
        run_sender(*args.sender)
        return 0

    def log(message: str) -> None:
        print(message, flush=True)

    try:
        figures = run(args.subscribers, args.senders, args.database_url, log)
    except RuntimeError as exc:
        print(f"bench.newsletter failed: {exc}", file=sys.stderr)
        return 1
    print()
    print(table(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0 if figures["exactly_once"] else 1


if __name__ == "__main__":
    sys.exit(main())
