"""Keep the listing catalogue, and everything cached under its version, in
step with publishing."""

from django.db.models.signals import post_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import RecordPage


def _refresh(sender, instance, **kwargs):
    from .catalogue import bump_version, refresh_record

    if isinstance(instance, RecordPage):
        refresh_record(instance)  # bumps the version itself
    elif isinstance(instance, Page):
        # Menus, index pages and titles shown around records changed.
        bump_version()


def connect() -> None:
    page_published.connect(_refresh, dispatch_uid="scis-catalogue-published")
    page_unpublished.connect(_refresh, dispatch_uid="scis-catalogue-unpublished")
    post_delete.connect(_refresh, dispatch_uid="scis-catalogue-deleted")
    post_page_move.connect(_refresh, dispatch_uid="scis-catalogue-moved")
