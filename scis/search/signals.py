"""Keep the search index in step with publishing: every publish, unpublish,
move or delete of a record queues a re-index of that record once the change
is committed. The listing catalogue (scis/core/signals.py) is refreshed first,
in the request itself; the index follows it through the task queue."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from wagtail.signals import page_published, page_unpublished, post_page_move

from scis.core.signals import on_page_delete

_paused: ContextVar[bool] = ContextVar("scis_search_indexing_paused", default=False)


@contextmanager
def indexing_paused():
    """Queue no index updates inside this block: for bulk loaders that
    rebuild the index themselves when they finish."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def _queue(sender, instance, **kwargs):
    from scis.core.models import RecordPage

    if _paused.get() or not isinstance(instance, RecordPage):
        return
    key = str(instance.translation_key)

    def enqueue():
        from .tasks import update_record_index

        update_record_index.enqueue(key)

    transaction.on_commit(enqueue)


def connect() -> None:
    page_published.connect(_queue, dispatch_uid="scis-search-published")
    page_unpublished.connect(_queue, dispatch_uid="scis-search-unpublished")
    on_page_delete(_queue, "scis-search")
    post_page_move.connect(_queue, dispatch_uid="scis-search-moved")
