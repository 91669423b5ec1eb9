"""Keep the listing catalogue, and everything cached under its version, in
step with publishing."""

from django.db.models.signals import post_delete
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import RecordPage


def _refresh(sender, instance, **kwargs):
    from .catalogue import bump_version, refresh_record

    if isinstance(instance, RecordPage):
        refresh_record(instance)  # bumps the version itself
    elif isinstance(instance, Page):
        # Menus, index pages and titles shown around records changed.
        bump_version()


def _restriction_changed(sender, instance, **kwargs):
    """A page made private (or public again) takes its records, and those
    below it, out of (or back into) the listings, feeds and API."""
    from .catalogue import bump_version, rebuild, refresh_record
    from .records import record_models

    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # deleted together with its page
        return
    below = Page.objects.filter(path__startswith=page.path)
    records = [
        page
        for model in record_models()
        for page in model.objects.filter(pk__in=below.values("pk")).order_by()[:501]
    ]
    if len(records) > 500:  # a whole section: one rebuild beats many refreshes
        rebuild()
        return
    for page in records:
        refresh_record(page)
    bump_version()


def _taxonomy_changed(sender, **kwargs):
    from .catalogue import bump_version

    bump_version()  # facet labels and record pages show term names


def on_page_delete(receiver, uid: str) -> None:
    """Connect `receiver` to post_delete of every page model. Page models
    only: a receiver for every model would make each QuerySet.delete()
    elsewhere read its rows first (the search index's postings among them)
    instead of deleting them in one statement."""
    for model in get_page_models():
        post_delete.connect(
            receiver, sender=model, dispatch_uid=f"{uid}-{model._meta.label}-deleted"
        )


def connect() -> None:
    from django.db.models.signals import post_save

    from scis.taxonomy.models import Organisation, Programme, Region, Topic

    for model in (Region, Organisation, Programme, Topic):
        post_save.connect(
            _taxonomy_changed, sender=model, dispatch_uid=f"scis-{model.__name__}-saved"
        )
        post_delete.connect(
            _taxonomy_changed,
            sender=model,
            dispatch_uid=f"scis-{model.__name__}-deleted",
        )
    post_save.connect(
        _restriction_changed,
        sender=PageViewRestriction,
        dispatch_uid="scis-restriction-saved",
    )
    post_delete.connect(
        _restriction_changed,
        sender=PageViewRestriction,
        dispatch_uid="scis-restriction-deleted",
    )
    page_published.connect(_refresh, dispatch_uid="scis-catalogue-published")
    page_unpublished.connect(_refresh, dispatch_uid="scis-catalogue-unpublished")
    on_page_delete(_refresh, "scis-catalogue")
    post_page_move.connect(_refresh, dispatch_uid="scis-catalogue-moved")
