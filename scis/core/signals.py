"""Keep the listing catalogue in step with publishing."""

from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

from .models import RecordPage


def _refresh(sender, instance, **kwargs):
    if isinstance(instance, RecordPage):
        from .catalogue import refresh_record

        refresh_record(instance)


def connect() -> None:
    page_published.connect(_refresh, dispatch_uid="scis-catalogue-published")
    page_unpublished.connect(_refresh, dispatch_uid="scis-catalogue-unpublished")
    post_delete.connect(_refresh, dispatch_uid="scis-catalogue-deleted")
