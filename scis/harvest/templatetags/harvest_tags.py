"""Readers sent to the captured copy when a record's original is gone."""

from django import template

from ..models import Snapshot
from ..views import PUBLIC_STATES

register = template.Library()


@register.simple_tag
def gone_original(page):
    """The newest public snapshot of `page`'s original when its harvested
    item's original is no longer online, else None. One query, and none for
    records without an original URL."""
    if not getattr(page, "original_url", "") or not getattr(page, "pk", None):
        return None
    return (
        Snapshot.objects.filter(
            item__page_id=page.pk,
            item__state__in=PUBLIC_STATES,
            item__original_gone_at__isnull=False,
        )
        .only("pk", "captured_at")
        .order_by("-captured_at", "-pk")
        .first()
    )
