"""Two workers sending the same issue at the same moment, each with its own
database connection, through a real SMTP server: nobody gets it twice and
nobody is left out. The rows are committed (the workers' connections cannot
see a test's uncommitted transaction) and removed again at the end."""

import threading
from collections import Counter

import pytest
from django.conf import settings
from django.db import connections

from scis.newsletter.models import Delivery, NewsletterIssuePage, Subscriber
from scis.newsletter.sending import send_issue

from .smtp_server import smtp_server_fixture  # noqa: F401

READERS = 120


@pytest.fixture
def committed_readers(request, django_db_blocker):
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        # The suite's SQLite database is in memory: a second connection
        # shares its cache and fails with "table is locked" instead of
        # waiting its turn. PostgreSQL is where workers run side by side.
        pytest.skip("needs a database several connections can write: PostgreSQL")
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        issue = NewsletterIssuePage.objects.live().get(
            number=49, locale__language_code="ko"
        )
        made = Subscriber.objects.bulk_create(
            Subscriber(
                email=f"worker-{n}@example.org",
                language="ko" if n % 2 else "en",
                status=Subscriber.Status.ACTIVE,
            )
            for n in range(READERS)
        )
        try:
            yield issue
        finally:
            Delivery.objects.filter(issue=issue).delete()
            Subscriber.objects.filter(pk__in=[s.pk for s in made]).delete()
            NewsletterIssuePage.objects.filter(pk=issue.pk).update(send_started_at=None)
            connections.close_all()


def test_two_workers_never_send_to_the_same_address(
    committed_readers, smtp_server, django_db_blocker
):
    issue = committed_readers
    start = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            with django_db_blocker.unblock():
                start.wait()
                results.append(send_issue(issue, batch_size=4, rate_per_minute=0))
        except Exception as exc:  # reported below, with the thread's error
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors

    received = Counter(smtp_server.recipients())
    wanted = {f"worker-{n}@example.org" for n in range(READERS)}
    assert wanted <= set(received)
    assert [address for address, times in received.items() if times > 1] == []
    # Both workers took part: the claim, not luck, kept them apart.
    assert all(result.sent > 0 for result in results)
    assert sum(result.sent for result in results) == len(received)
