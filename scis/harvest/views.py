"""Captured originals for readers: `/snapshots/<id>/` shows a banner (when and
where it was captured; the original is no longer online) above the capture,
which is served apart in a sandboxed frame. Only snapshots of items whose
record is live are public."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_sameorigin

from .models import Item, Snapshot
from .snapshots import CaptureMissing, read_capture

# The capture runs no script, loads nothing, submits nothing, and cannot reach
# the portal's origin; only inline images (data:) are shown.
CAPTURE_CSP = "sandbox; default-src 'none'; img-src data:; frame-ancestors 'self'"
PUBLIC_STATES = (Item.State.ACCEPTED, Item.State.MERGED)


def capture_response(snapshot: Snapshot) -> HttpResponse:
    """The kept original as its own response, locked down by CSP sandbox."""
    try:
        _status, _headers, payload = read_capture(snapshot)
    except CaptureMissing as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(payload, content_type=snapshot.content_type or "text/html")
    response["Content-Security-Policy"] = CAPTURE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def public_snapshot_or_404(pk: int) -> Snapshot:
    """A snapshot whose item became (or was merged into) a live record."""
    return get_object_or_404(
        Snapshot.objects.select_related("item", "item__page"),
        pk=pk,
        item__state__in=PUBLIC_STATES,
        item__page__live=True,
    )


def snapshot_page(request, pk: int):
    """The reader's page: the banner and the sandboxed capture."""
    snapshot = public_snapshot_or_404(pk)
    item = snapshot.item
    if item is None:  # excluded by the query; keeps the type checker sure
        raise Http404
    return render(
        request,
        "harvest/snapshot_page.html",
        {"snapshot": snapshot, "item": item, "record": item.page},
    )


@xframe_options_sameorigin
def snapshot_frame(request, pk: int):
    """The capture itself, shown inside the snapshot page's iframe."""
    return capture_response(public_snapshot_or_404(pk))
