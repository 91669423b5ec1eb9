"""What the OAI-PMH repository holds: every live, public literature record
and document, each language version an item of its own (identifier
`oai:<namespace>:<page id>`, the number of its permanent /id/ address),
stamped with when it was last published."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from wagtail.models import Page

from scis.core.records import TAXONOMY_FIELDS
from scis.library.models import DocumentPage, LiteraturePage
from scis.taxonomy.models import Programme

MODELS = {"literature": LiteraturePage, "document": DocumentPage}
SET_PREFIXES = ("type", "programme")


def namespace() -> str:
    return settings.OAI_NAMESPACE


def identifier(page_id: int) -> str:
    return f"oai:{namespace()}:{page_id}"


def page_id_of(value: str) -> int | None:
    prefix = f"oai:{namespace()}:"
    number = value.removeprefix(prefix) if value.startswith(prefix) else ""
    return int(number) if number.isdigit() and len(number) < 12 else None


def datestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _content_types() -> dict[str, int]:
    return {
        key: ContentType.objects.get_for_model(model).pk
        for key, model in MODELS.items()
    }


def items() -> QuerySet:
    """Every item of the repository, as plain Wagtail pages."""
    return (
        Page.objects.live()
        .public()
        .filter(content_type_id__in=_content_types().values())
        .exclude(last_published_at=None)
    )


def in_set(queryset: QuerySet, set_spec: str) -> QuerySet:
    if not set_spec:
        return queryset
    kind, _sep, value = set_spec.partition(":")
    if kind == "type":
        content_type = _content_types().get(value)
        return queryset.filter(content_type_id=content_type or 0)
    if kind == "programme":
        return queryset.filter(
            Q(literaturepage__programmes__slug=value)
            | Q(documentpage__programmes__slug=value)
        ).distinct()
    return queryset.none()


def earliest() -> dt.datetime:
    found = items().aggregate(first=Min("last_published_at"))["first"]
    return found or timezone.now()


def set_specs(page) -> list[str]:
    """The sets a (specific) page belongs to."""
    kind = "literature" if isinstance(page, LiteraturePage) else "document"
    return [f"type:{kind}"] + [f"programme:{p.slug}" for p in page.programmes.all()]


def all_sets() -> list[tuple[str, str, str]]:
    """(setSpec, Korean name, English name) for ListSets."""
    sets = [
        ("type", "유형", "Record type"),
        ("type:literature", "문헌", "Literature"),
        ("type:document", "자료", "Documents"),
        ("programme", "사업", "Programme"),
    ]
    sets += [
        (f"programme:{p.slug}", p.name_ko, p.name_en)
        for p in Programme.objects.order_by("slug")
    ]
    return sets


def load(page_ids: list[int]) -> dict[int, Any]:
    """The specific pages behind ids, with what oai_dc shows prefetched."""
    found: dict[int, Any] = {}
    for key, model in MODELS.items():
        related = [*TAXONOMY_FIELDS] + (["authors"] if key == "literature" else [])
        rows = (
            model.objects.filter(pk__in=page_ids)
            .select_related("locale")
            .prefetch_related(*related)
            .order_by()
        )
        if key == "document":
            rows = rows.defer("extracted_text")  # PDF text, large and not shown
        found.update({page.pk: page for page in rows})
    return found


def translations(pages) -> dict[int, list]:
    """page id → its live translations, for dc:relation."""
    keys = {page.translation_key for page in pages}
    others = (
        Page.objects.live()
        .public()
        .filter(translation_key__in=keys)
        .select_related("locale")
    )
    by_key: dict = {}
    for other in others:
        by_key.setdefault(other.translation_key, []).append(other)
    return {
        page.pk: [o for o in by_key.get(page.translation_key, []) if o.pk != page.pk]
        for page in pages
    }
