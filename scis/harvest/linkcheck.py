"""Link rot: check that the originals of accepted and merged items are
still online. After HARVEST_LINK_FAILURES failed checks in a row an item's
original counts as gone (`original_gone_at`), and readers are pointed to
the snapshot instead; a later success clears it."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .fetching import BadStatus, Fetcher, FetchError
from .models import Item

# Answers that say the page is gone (not that the site is having a bad day).
GONE_STATUSES = {404, 410}


@dataclass
class LinkCheckResult:
    checked: int = 0
    gone: int = 0
    errors: int = 0

    def summary_line(self) -> str:
        return f"checked={self.checked} gone={self.gone} errors={self.errors}"


def items_due(now: datetime | None = None):
    """Accepted or merged items whose original was not checked for
    HARVEST_LINK_CHECK_DAYS."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.HARVEST_LINK_CHECK_DAYS)
    return (
        Item.objects.filter(state__in=[Item.State.ACCEPTED, Item.State.MERGED])
        .filter(Q(link_checked_at__isnull=True) | Q(link_checked_at__lt=cutoff))
        .select_related("source")
        .order_by("link_checked_at", "pk")
    )


def check_links(now: datetime | None = None, progress=None) -> LinkCheckResult:
    """Check every due item's original once. A 404, 410 or an address that
    no longer resolves counts a failure; other errors (a timeout, a 500)
    are counted as errors and tried again next time without a verdict."""
    now = now or timezone.now()
    result = LinkCheckResult()
    items = list(items_due(now))
    fetchers: dict[bool, Fetcher] = {}
    try:
        for done, item in enumerate(items, start=1):
            allow = item.source.allow_private
            if allow not in fetchers:
                fetchers[allow] = Fetcher(allow_private=allow)
            verdict = _check(fetchers[allow], item.url)
            item.link_checked_at = now
            if verdict == "ok":
                item.link_failures = 0
                item.original_gone_at = None
            elif verdict == "gone":
                item.link_failures += 1
                if (
                    item.link_failures >= settings.HARVEST_LINK_FAILURES
                    and item.original_gone_at is None
                ):
                    item.original_gone_at = now
                    result.gone += 1
            else:
                result.errors += 1
            item.save(
                update_fields=["link_checked_at", "link_failures", "original_gone_at"]
            )
            result.checked += 1
            if progress:
                progress(done, len(items))
    finally:
        for fetcher in fetchers.values():
            fetcher.close()
    return result


def _check(fetcher: Fetcher, url: str) -> str:
    """ "ok", "gone" or "error"."""
    try:
        fetcher.get(url)
    except BadStatus as exc:
        return "gone" if exc.status in GONE_STATUSES else "error"
    except FetchError as exc:
        return "gone" if _is_dns_failure(exc) else "error"
    return "ok"


def _is_dns_failure(exc: BaseException) -> bool:
    """Whether the host name no longer resolves (the site itself is gone)."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, socket.gaierror) or "could not be resolved" in str(cause):
            return True
        cause = cause.__cause__ or cause.__context__
    return False
