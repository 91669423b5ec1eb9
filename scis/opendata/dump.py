"""The open data dump: which files it holds and how a row becomes a line.

A dump is a directory:

    manifest.json                 what is in it: files, counts, sizes, checksums
    taxonomy/<term>.jsonl|csv     regions, organisations, programmes, topics
    site/pages.jsonl              home, index and about pages (the structure)
    site/sites.jsonl              the Wagtail site and its root page
    records/<type>.jsonl|csv      one file per record type, both languages
    media/images.jsonl            image and document metadata ...
    media/documents.jsonl
    media/files/...               ... and the files themselves

Every line is one JSON object with sorted keys, so the same content always
gives the same bytes: export → import → export is byte-identical.
"""

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from wagtail.fields import StreamField

FORMAT = "scis-open-data"
VERSION = 1
MANIFEST = "manifest.json"

TAXONOMY_DIR = "taxonomy"
SITE_DIR = "site"
RECORDS_DIR = "records"
MEDIA_DIR = "media"
MEDIA_FILES_DIR = "media/files"

SITE_PAGES = f"{SITE_DIR}/pages.jsonl"
SITES = f"{SITE_DIR}/sites.jsonl"
IMAGES = f"{MEDIA_DIR}/images.jsonl"
DOCUMENTS = f"{MEDIA_DIR}/documents.jsonl"

# Page fields that describe where a page sits or who edits it, not what it
# says: the tree address is written separately (`path`), the rest is rebuilt
# on import or is editorial state that an open dump does not carry.
PAGE_FIELDS_LEFT_OUT = {
    "page_ptr",
    "path",
    "depth",
    "numchild",
    "url_path",
    "content_type",
    "draft_title",
    "live_revision",
    "latest_revision",
    "latest_revision_created_at",
    "has_unpublished_changes",
    "locked",
    "locked_at",
    "locked_by",
    "owner",
    "locale",
    "live",
    "expired",
    "alias_of",
    "go_live_at",
    "expire_at",
}

# Media fields that name the uploader (personal data) or are derived.
MEDIA_FIELDS_LEFT_OUT = {"uploaded_by_user"}


class Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder with decimals as strings and datetimes in UTC to the
    microsecond (Django's own rounds to milliseconds, which an import would
    then store, and the next export would write differently)."""

    def default(self, o):
        if isinstance(o, dt.datetime) and timezone.is_aware(o):
            moment = o.astimezone(dt.UTC).isoformat(timespec="microseconds")
            return moment.replace("+00:00", "Z")
        if isinstance(o, Decimal):
            return str(o)
        return super().default(o)


def line(obj: dict) -> str:
    return json.dumps(obj, cls=Encoder, ensure_ascii=False, sort_keys=True) + "\n"


def record_file(type_key: str) -> str:
    return f"{RECORDS_DIR}/{type_key}.jsonl"


def taxonomy_file(name: str) -> str:
    return f"{TAXONOMY_DIR}/{name}.jsonl"


def concrete_fields(model: type[models.Model], left_out: set[str]) -> list:
    """The model's own columns (inherited ones included) a dump carries."""
    return [
        field
        for field in model._meta.concrete_fields
        if getattr(field, "serialize", True)
        and field.name not in left_out
        and not field.primary_key
    ]


ENCODER = Encoder()


def field_value(field, obj: models.Model) -> Any:
    """A column's value as the dump writes it: foreign keys as ids, files as
    their stored names, everything else as JSON values."""
    if field.is_relation:
        return getattr(obj, field.attname)
    return column_value(field, field.value_from_object(obj))


def column_value(field, value: Any) -> Any:
    """A value read from a column (by an instance or by `values_list`) as the
    dump writes it. Dates, times and decimals become their JSON strings here,
    once, rather than in every encoder that later handles the row."""
    if isinstance(field, StreamField):
        return field.get_prep_value(value)  # the blocks' raw JSON
    if isinstance(field, models.FileField):
        return getattr(value, "name", value) or ""
    if isinstance(value, dt.date | dt.time | Decimal | uuid.UUID):
        return ENCODER.default(value)
    return value


def python_value(field, value: Any) -> Any:
    """The inverse of field_value for a value read back from JSON."""
    if value is None or field.is_relation:
        return value
    if isinstance(field, models.JSONField):
        return value
    if isinstance(field, models.DateTimeField):
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return field.to_python(value)
