"""Newsletter sends done by the task worker, and the scheduler's part:
queue each issue once its send time has come, and again while deliveries
wait for a retry."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from .models import Delivery, NewsletterIssuePage

logger = logging.getLogger(__name__)


@task()
def send_issue_task(issue_id: int) -> dict:
    """Send one issue (the Korean page's id) to everyone who has not had it."""
    from .sending import IssueNotSendable, send_issue

    issue = NewsletterIssuePage.objects.filter(pk=issue_id).first()
    if issue is None:
        return {"error": f"No newsletter issue with page id {issue_id}."}
    try:
        result = send_issue(issue)
    except IssueNotSendable as exc:
        logger.warning("newsletter %s not sent: %s", issue.number, exc)
        return {"error": str(exc)}
    if result.error:
        logger.warning("newsletter %s send stopped: %s", issue.number, result.error)
    return result.as_dict()


def due_issues(now: datetime) -> list[NewsletterIssuePage]:
    """Live Korean issues whose send time has come and that were never
    started."""
    return list(
        NewsletterIssuePage.objects.live()
        .filter(
            locale__language_code=settings.LANGUAGE_CODE,
            send_at__lte=now,
            send_started_at__isnull=True,
        )
        .order_by("send_at", "pk")
    )


def issues_to_resume(now: datetime) -> list[int]:
    """Issues with deliveries due again (a retry time passed, or a batch
    whose sender died) and no batch being sent right now."""
    cutoff = now - timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT_SECONDS)
    due = Delivery.objects.filter(
        Q(state=Delivery.State.PENDING, next_attempt_at__lte=now)
        | Q(state=Delivery.State.PENDING, next_attempt_at__isnull=True)
        | Q(state=Delivery.State.SENDING, claimed_at__lt=cutoff)
    )
    busy = Delivery.objects.filter(
        state=Delivery.State.SENDING, claimed_at__gte=cutoff
    ).values("issue_id")
    return list(
        due.exclude(issue_id__in=busy)
        .filter(issue__live=True)
        .values_list("issue_id", flat=True)
        .distinct()
        .order_by("issue_id")
    )


def enqueue_due_sends(now: datetime | None = None) -> list[int]:
    """Queue a send for every issue whose time has come (once: its
    send_started_at is set in the same UPDATE that wins the right to queue
    it) and for every issue with deliveries due again. Returns the queued
    issues' page ids."""
    now = now or timezone.now()
    queued: list[int] = []
    for issue in due_issues(now):
        won = NewsletterIssuePage.objects.filter(
            pk=issue.pk, send_started_at__isnull=True
        ).update(send_started_at=now)
        # Rows already there: sent before, and publishing an older revision
        # cleared the start time. Resuming below covers what is left.
        if not won or Delivery.objects.filter(issue=issue).exists():
            continue
        try:
            # Several tasks share one issue through the claims in sending.py:
            # with several db_worker processes they send it in parallel.
            for _ in range(max(settings.NEWSLETTER_SEND_TASKS, 1)):
                send_issue_task.enqueue(issue.pk)
        except Exception:
            # Not queued: let the next scheduler run try again.
            NewsletterIssuePage.objects.filter(pk=issue.pk).update(send_started_at=None)
            raise
        queued.append(issue.pk)
    for issue_id in issues_to_resume(now):
        if issue_id not in queued:
            send_issue_task.enqueue(issue_id)
            queued.append(issue_id)
    return queued
