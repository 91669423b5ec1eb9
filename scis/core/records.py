"""Queries over content records of every type (news, literature, events, …)."""

from functools import cache
from typing import Any

from django.apps import apps
from django.db.models import Count, Q
from wagtail.models import Locale, Page

from .models import RecordPage

TAXONOMY_FIELDS = ("topics", "programmes", "regions", "organisations")


@cache
def record_models() -> tuple[type[RecordPage], ...]:
    """Every concrete page model that is a content record, in a stable order."""
    return tuple(
        model
        for model in apps.get_models()
        if issubclass(model, RecordPage) and not model._meta.abstract
    )


def record_type_key(model: type[Page]) -> str:
    return model._meta.model_name.removesuffix("page")


def in_reader_language(qs: Any, locale: Locale, scope: Page | None = None):
    """Records in `locale`, plus records that exist only in another language
    (shown with a note), optionally limited to descendants of `scope` or of its
    translations."""
    model = qs.model
    own = qs.filter(locale=locale)
    others = qs.exclude(locale=locale).exclude(
        translation_key__in=model.objects.filter(locale=locale).values(
            "translation_key"
        )
    )
    if scope is not None:
        own = own.descendant_of(scope)
        counterparts = [
            p
            for p in Page.objects.filter(translation_key=scope.translation_key)
            if p.locale_id != locale.id
        ]
        scoped = Q(pk__in=[])
        for page in counterparts:
            scoped |= Q(path__startswith=page.path, depth__gt=page.depth)
        others = others.filter(scoped)
    return own | others


def related_records(page: RecordPage, limit: int = 4) -> list[RecordPage]:
    """Live records in the same language that share the most taxonomy terms with
    `page`, newest first among equals."""
    term_ids = {
        field: list(getattr(page, field).values_list("pk", flat=True))
        for field in TAXONOMY_FIELDS[:3]
    }
    if not any(term_ids.values()):
        return []
    candidates = []
    for model in record_models():
        shared = Q()
        for field, ids in term_ids.items():
            if ids:
                shared |= Q(**{f"{field}__in": ids})
        score = sum(
            (
                Count(field, filter=Q(**{f"{field}__in": ids}), distinct=True)
                for field, ids in term_ids.items()
                if ids
            ),
            start=Count("pk", filter=Q(pk__in=[])),
        )
        rows = (
            model.objects.live()
            .filter(locale_id=page.locale_id)
            .filter(shared)
            .exclude(pk=page.pk)
            .annotate(shared_terms=score)
            .order_by("-shared_terms", "-date")[:limit]
        )
        candidates.extend(rows)
    candidates.sort(key=lambda r: (r.shared_terms, r.date), reverse=True)
    return candidates[:limit]
