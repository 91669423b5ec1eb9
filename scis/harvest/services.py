"""The editor's decisions on a harvested candidate: accept it as a record
(a draft, or published), merge it into a record that already tells the same
story, or reject it. Views, bulk actions and the API all call these; a
rejected item is remembered so the pipeline never brings it back."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from .models import Item, Source

TAXONOMY_FIELDS = ("organisations", "regions", "programmes", "topics")
DEFAULT_LANGUAGE = "ko"


class InboxError(Exception):
    """A decision that cannot be taken; the message says why and what to do."""


def check_candidate(item: Item) -> None:
    """Raise InboxError unless `item` still waits for a decision."""
    if item.is_candidate:
        return
    title = item.page.title if item.page_id and item.page else ""
    if item.state == Item.State.ACCEPTED:
        raise InboxError(_("Already accepted as “%(title)s”.") % {"title": title})
    if item.state == Item.State.MERGED:
        raise InboxError(_("Already merged into “%(title)s”.") % {"title": title})
    if item.state == Item.State.REJECTED:
        raise InboxError(
            _("Already rejected; it stays out of the inbox and later runs.")
        )
    raise InboxError(
        _(
            "This item could not be read; see the source's errors and run the "
            "source again."
        )
    )


def item_language(item: Item) -> str:
    """The portal language the record is filed in: the item's, else the
    source's, else Korean."""
    language = item.language or item.source.language or DEFAULT_LANGUAGE
    return language if language in ("ko", "en") else DEFAULT_LANGUAGE


def suggested_section(item: Item) -> str:
    return (item.suggestion or {}).get("section") or item.source.section or ""


def parent_for(item: Item) -> Page:
    """The index page a new record for `item` is filed under."""
    language = item_language(item)
    if item.source.target == Source.Target.LITERATURE:
        from scis.library.models import LiteratureIndexPage

        index = LiteratureIndexPage.objects.filter(
            locale__language_code=language
        ).first()
        if index is None:
            raise InboxError(
                _("There is no literature index page in %(language)s; create one.")
                % {"language": language}
            )
        return index

    from scis.news.models import NewsIndexPage

    section = suggested_section(item)
    if not section:
        raise InboxError(
            _(
                "Choose a news section for this item (or a default section for "
                "its source) before accepting it."
            )
        )
    news_index = NewsIndexPage.objects.filter(
        locale__language_code=language, section=section
    ).first()
    if news_index is None:
        raise InboxError(
            _(
                "There is no news section page “%(section)s” in %(language)s; "
                "create it or choose another section."
            )
            % {"section": section, "language": language}
        )
    return news_index


def _classification(item: Item) -> dict[str, list]:
    """Taxonomy terms from the (possibly edited) suggestion, else the
    source's defaults."""
    from scis.taxonomy.models import Organisation, Programme, Region, Topic

    models: dict[str, Any] = {
        "organisations": Organisation,
        "regions": Region,
        "programmes": Programme,
        "topics": Topic,
    }
    suggestion = item.suggestion or {}
    source = item.source
    defaults = {
        "organisations": [source.organisation_id] if source.organisation_id else [],
        "regions": [source.region_id] if source.region_id else [],
        "programmes": [source.programme_id] if source.programme_id else [],
        "topics": list(source.topics.values_list("pk", flat=True)),
    }
    terms = {}
    for field, model in models.items():
        pks = suggestion.get(field)
        if pks is None:
            pks = defaults[field]
        terms[field] = list(model.objects.filter(pk__in=pks))
    return terms


def _author_names(item: Item) -> list[str]:
    names = []
    for author in item.authors or []:
        name = author.get("name", "") if isinstance(author, dict) else str(author)
        if name.strip():
            names.append(name.strip()[:200])
    return names


def _build_page(item: Item, parent: Page) -> Page:
    record_date = item.date or timezone.localdate()
    common = {
        "title": (item.title or item.url)[:255],
        "date": record_date,
        "summary": item.summary,
        "body": item.body_html,
        "provenance": "harvested",
        "original_url": item.url,
        "source_id": item.guid[:500],
        "live": False,
        "locale": parent.locale,
    }
    if item.source.target == Source.Target.LITERATURE:
        from scis.library.models import LiteratureAuthor, LiteraturePage

        page: Page = LiteraturePage(
            **common, year=record_date.year, external_url=item.url
        )
        page.authors = [  # type: ignore[attr-defined]
            LiteratureAuthor(name=name, sort_order=position)
            for position, name in enumerate(_author_names(item))
        ]
    else:
        from scis.news.models import NewsPage

        page = NewsPage(**common, section=parent.specific.section)
    for field, terms in _classification(item).items():
        getattr(page, field).set(terms)
    return page


def can_publish_under(parent: Page, user) -> bool:
    """Whether `user` may publish a new record filed under `parent`."""
    return parent.permissions_for_user(user).can_publish_subpage()


@transaction.atomic
def accept(item: Item, user, *, publish: bool = False, force: bool = False) -> Page:
    """Turn `item` into a record: a NewsPage (or a LiteraturePage for a
    literature source) filed under its section's index in its language,
    saved as a draft revision — and published when `publish` and the user
    may publish there (otherwise it stays a draft for the moderators).
    A suspected duplicate needs `force=True`."""
    item = Item.objects.select_for_update().select_related("source").get(pk=item.pk)
    check_candidate(item)
    if item.state == Item.State.DUPLICATE and not force:
        raise InboxError(
            _(
                "This item is probably a duplicate; merge it into the existing "
                "record, or confirm that it should become a record of its own."
            )
        )
    parent = parent_for(item)
    page = _build_page(item, parent)
    parent.add_child(instance=page)
    revision = page.save_revision(user=user, log_action=True)
    if publish and can_publish_under(parent, user):
        revision.publish(user=user)
        page.refresh_from_db()
    item.state = Item.State.ACCEPTED
    item.page = page
    _decided(item, user)
    return page


@transaction.atomic
def merge(item: Item, page: Page, user) -> Page:
    """Record that `item` tells the story `page` already tells. The record
    gains nothing but its provenance (original URL, source identifier) when
    it had none."""
    item = Item.objects.select_for_update().select_related("source").get(pk=item.pk)
    check_candidate(item)
    specific = page.specific
    if hasattr(specific, "original_url") and not (
        specific.original_url and specific.source_id
    ):
        _fill_provenance(specific, item, user)
    item.state = Item.State.MERGED
    item.page = page
    _decided(item, user)
    return page


def _fill_provenance(record: Page, item: Item, user) -> None:
    # Through a revision, so the next edit (which starts from the latest
    # revision) keeps it; published at once when nothing else was pending,
    # since only provenance changes.
    had_pending_changes = record.has_unpublished_changes
    latest = record.get_latest_revision_as_object()
    latest.original_url = latest.original_url or item.url
    latest.source_id = latest.source_id or item.guid[:500]
    revision = latest.save_revision(user=user, log_action=True)
    if record.live and not had_pending_changes:
        revision.publish(user=user, skip_permission_checks=True)


@transaction.atomic
def reject(item: Item, user) -> Item:
    """Keep `item` out of the inbox; later runs never bring it back."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    check_candidate(item)
    item.state = Item.State.REJECTED
    _decided(item, user)
    return item


def _decided(item: Item, user) -> None:
    item.decided_by = user if getattr(user, "pk", None) else None
    item.decided_at = timezone.now()
    item.save(update_fields=["state", "page", "decided_by", "decided_at"])


def record_date(item: Item) -> date:
    """The date the record will carry."""
    return item.date or timezone.localdate()
