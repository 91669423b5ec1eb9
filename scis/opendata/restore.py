"""Restore an open data dump (see dump.py) into a database: an empty one,
or the one it came from.

Every file is read and checked before anything is written, and everything
is written in one transaction: a bad line stops the run with its file and
line number and leaves the database as it was. Rows keep their ids, pages
their tree addresses, so links by id (`/id/<n>/`, rich text, API cursors)
keep working. A row that is already there and the same is skipped, one
that differs is updated: rerunning an import is always safe.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Revision, Site
from wagtail.models.pages import AbstractPage

from scis.core.records import record_models, record_type_key
from scis.search.signals import indexing_paused

from . import dump
from .export import TAXONOMY, child_relations, many_to_many, page_row

Progress = Callable[[int, int], None]


class DumpError(Exception):
    """A dump that cannot be restored; the message says where and what to do."""


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    skipped: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


@dataclass
class RestoreResult:
    parts: dict[str, Counts] = field(default_factory=dict)

    def count(self, part: str, outcome: str) -> None:
        self.parts.setdefault(part, Counts()).add(outcome)

    @property
    def total(self) -> Counts:
        total = Counts()
        for counts in self.parts.values():
            total.created += counts.created
            total.updated += counts.updated
            total.skipped += counts.skipped
        return total


@dataclass
class Line:
    file: str
    number: int
    data: dict


# --- reading -------------------------------------------------------------


def read_manifest(directory: Path) -> dict:
    path = directory / dump.MANIFEST
    if not path.is_file():
        raise DumpError(
            f"{path} is missing: point import_content at a directory written "
            "by export_content (or an unpacked open data download)."
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DumpError(f"{path}: not valid JSON ({exc}); export again.") from exc
    if manifest.get("format") != dump.FORMAT or manifest.get("version") != dump.VERSION:
        raise DumpError(
            f"{path}: format {manifest.get('format')!r} version "
            f"{manifest.get('version')!r} is not {dump.FORMAT!r} version "
            f"{dump.VERSION}; export it again with this version of SCIS."
        )
    return manifest


def read_lines(directory: Path, relative: str, expected: int | None) -> list[Line]:
    path = directory / relative
    if not path.is_file():
        raise DumpError(f"{relative} is missing from the dump; export it again.")
    lines = []
    with path.open(encoding="utf-8") as source:
        try:
            for number, text in enumerate(source, start=1):
                if not text.strip():
                    continue
                if not text.endswith("\n"):
                    raise DumpError(
                        f"{relative}, line {number}: the line is cut off (the file "
                        "is truncated); copy or export the dump again."
                    )
                try:
                    data = json.loads(text)
                except json.JSONDecodeError as exc:
                    raise DumpError(
                        f"{relative}, line {number}: not valid JSON ({exc.msg} at "
                        f"column {exc.colno}); fix the line or export again."
                    ) from exc
                if (
                    not isinstance(data, dict)
                    or "id" not in data
                    and "hostname" not in data
                ):
                    raise DumpError(
                        f"{relative}, line {number}: expected a JSON object with an "
                        '"id"; fix the line or export again.'
                    )
                lines.append(Line(relative, number, data))
        except UnicodeDecodeError as exc:
            raise DumpError(
                f"{relative}: not UTF-8 text ({exc.reason}); export it again."
            ) from exc
    if expected is not None and len(lines) != expected:
        raise DumpError(
            f"{relative} holds {len(lines)} records but the manifest lists "
            f"{expected}: the file is incomplete or was edited; export again."
        )
    return lines


def _same(current: dict, dumped: dict) -> bool:
    """Whether a row in the database already says what its dump line says,
    compared as the dump writes them."""
    return json.loads(dump.line(current)) == json.loads(dump.line(dumped))


def _where(line: Line) -> str:
    return f"{line.file}, line {line.number}"


def decode_fields(model, values: dict, line: Line, left_out: set[str]) -> dict:
    """Column values from JSON, checked: unknown names and values the column
    cannot hold stop the import at this line."""
    decoded: dict[str, Any] = {}
    for name, value in values.items():
        try:
            column = model._meta.get_field(name)
        except FieldDoesNotExist:
            raise DumpError(
                f"{_where(line)}: {model._meta.label} has no field {name!r}; "
                "remove it or export again with this version of SCIS."
            ) from None
        if name in left_out or column.many_to_many or column.one_to_many:
            continue
        try:
            decoded[column.attname] = dump.python_value(column, value)
        except (ValidationError, ValueError, TypeError) as exc:
            raise DumpError(
                f"{_where(line)}: {name} = {value!r} is not a valid value ({exc})."
            ) from None
    return decoded


def _model(label: str, line: Line) -> type[Page]:
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        model = None
    if model is None or not issubclass(model, Page):
        raise DumpError(f"{_where(line)}: {label!r} is not a page type of SCIS.")
    return model


# --- writing -------------------------------------------------------------


class Restorer:
    def __init__(self, directory: Path, progress: Progress | None = None):
        self.directory = directory
        self.progress = progress or (lambda done, total: None)
        self.result = RestoreResult()
        self.locales: dict[str, Locale] = {}

    def run(self) -> RestoreResult:
        manifest = read_manifest(self.directory)
        expected = {f["path"]: f["records"] for f in manifest.get("files", [])}

        def lines(relative: str) -> list[Line]:
            return read_lines(self.directory, relative, expected.get(relative))

        taxonomy = {name: lines(dump.taxonomy_file(name)) for name in TAXONOMY}
        media = {
            dump.IMAGES: lines(dump.IMAGES),
            dump.DOCUMENTS: lines(dump.DOCUMENTS),
        }
        pages = lines(dump.SITE_PAGES)
        for model in record_models():
            pages += lines(dump.record_file(record_type_key(model)))
        sites = lines(dump.SITES)
        prepared = [self.prepare_page(line) for line in pages]
        prepared.sort(key=lambda item: item[0].data["path"])
        self.check_tree(prepared)

        with transaction.atomic(), indexing_paused():
            self.clear_placeholder()
            for name, rows in taxonomy.items():
                for line in rows:
                    self.restore_row(TAXONOMY[name], line, name, set())
            for relative, model in (
                (dump.IMAGES, get_image_model()),
                (dump.DOCUMENTS, get_document_model()),
            ):
                for line in media[relative]:
                    self.restore_media(model, line)
            parents: set[str] = set()
            for done, (line, model) in enumerate(prepared, start=1):
                self.restore_page(line, model)
                parents.add(line.data["path"][: -Page.steplen])
                self.progress(done, len(prepared))
            self.fix_child_counts(parents)
            for line in sites:
                self.restore_site(line)
            self.reset_sequences()
        return self.result

    # pages

    def prepare_page(self, line: Line) -> tuple[Line, type[Page]]:
        data = line.data
        for key in ("model", "path", "language", "fields"):
            if key not in data:
                raise DumpError(f"{_where(line)}: the record has no {key!r}.")
        model = _model(str(data["model"]), line)
        path = data["path"]
        if not isinstance(path, str) or len(path) % Page.steplen or len(path) < 8:
            raise DumpError(f"{_where(line)}: {path!r} is not a page tree address.")
        if not isinstance(data["fields"], dict):
            raise DumpError(f'{_where(line)}: "fields" must be an object.')
        data["decoded"] = decode_fields(
            model, data["fields"], line, dump.PAGE_FIELDS_LEFT_OUT
        )
        return line, model

    def check_tree(self, prepared: list[tuple[Line, type[Page]]]) -> None:
        """Every parent is in the dump or already here; no id or address is
        taken by a different page."""
        paths = {line.data["path"]: line for line, _model in prepared}
        existing = {
            path: (pk, content_type)
            for pk, path, content_type in Page.objects.filter(depth__gte=2)
            .exclude(content_type__app_label="wagtailcore")
            .values_list("pk", "path", "content_type__model")
        }
        by_id = {pk: path for path, (pk, _type) in existing.items()}
        for line, _model in prepared:
            path, pk = line.data["path"], line.data["id"]
            parent = path[: -Page.steplen]
            if (
                len(parent) > Page.steplen
                and parent not in paths
                and parent not in existing
            ):
                raise DumpError(
                    f"{_where(line)}: its parent page (tree address {parent}) is "
                    "neither in the dump nor in the database; export the whole "
                    "site again."
                )
            taken = existing.get(path)
            if (taken and taken[0] != pk) or (pk in by_id and by_id[pk] != path):
                raise DumpError(
                    f"{_where(line)}: page {pk} at {path} clashes with a different "
                    "page already in this database. import_content restores into "
                    "an empty database or the one the dump came from: create a "
                    "new database (migrate) and import there."
                )

    def clear_placeholder(self) -> None:
        """Wagtail's welcome page in a new database gives way to the dump."""
        for page in Page.objects.filter(depth=2, content_type__app_label="wagtailcore"):
            page.delete()

    def locale(self, language: str, line: Line) -> Locale:
        if language not in self.locales:
            self.locales[language], _created = Locale.objects.get_or_create(
                language_code=language
            )
        return self.locales[language]

    def restore_page(self, line: Line, model: type[Page]) -> None:
        data = line.data
        part = "pages" if model not in record_models() else record_type_key(model)
        existing = model.objects.filter(pk=data["id"]).first()
        if existing is not None:
            current = page_row(existing, model)
            if _same(current, {key: data[key] for key in current}):
                self.result.count(part, "skipped")
                return
        page = model(
            id=data["id"],
            pk=data["id"],
            content_type=ContentType.objects.get_for_model(model),
            path=data["path"],
            depth=len(data["path"]) // Page.steplen,
            numchild=existing.numchild if existing else 0,
            locale=self.locale(data["language"], line),
            live=True,
            has_unpublished_changes=False,
            **data["decoded"],
        )
        page.draft_title = page.title
        page._state.adding = (
            existing is None
        )  # an update checks uniqueness against others
        fields = data["fields"]
        for m2m in many_to_many(model):
            getattr(page, m2m.name).set(fields.get(m2m.name, []))
        for relation in child_relations(model):
            child_model = relation.related_model
            rows = []
            for child in fields.get(relation.get_accessor_name(), []):
                values = decode_fields(
                    child_model,
                    {k: v for k, v in child.items() if k != "id"},
                    line,
                    {relation.field.name},
                )
                rows.append(child_model(pk=child.get("id"), **values))
            setattr(page, relation.get_accessor_name(), rows)
        parent_path = data["path"][: -Page.steplen]
        parent = Page.objects.get(path=parent_path)
        page.set_url_path(parent)
        try:
            if existing:
                page.save(clean=True)
            else:
                # Page.save takes a page with an id for one already stored;
                # this one is new with its old id: clean and store it directly.
                page.full_clean()
                super(AbstractPage, page).save()  # type: ignore[misc]
        except ValidationError as exc:
            raise DumpError(f"{_where(line)}: {exc}") from None
        self.revise(page)
        self.result.count(part, "updated" if existing else "created")

    def revise(self, page: Page) -> None:
        """The restored content as the page's current, published revision,
        so the admin's history and comparison start from it."""
        moment = page.last_published_at or timezone.now()
        revision = Revision.objects.create(
            content_object=page,
            base_content_type=page.get_base_content_type(),
            object_str=str(page)[:255],
            content=page.serializable_data(),
            created_at=moment,
        )
        Page.objects.filter(pk=page.pk).update(
            live_revision=revision,
            latest_revision=revision,
            latest_revision_created_at=moment,
        )

    def fix_child_counts(self, parents: set[str]) -> None:
        for path in parents:
            count = Page.objects.filter(
                path__startswith=path, depth=len(path) // Page.steplen + 1
            ).count()
            Page.objects.filter(path=path).update(numchild=count)

    # taxonomy, media, sites

    def restore_row(self, model, line: Line, part: str, left_out: set[str]) -> Any:
        values = decode_fields(
            model, {k: v for k, v in line.data.items() if k != "id"}, line, left_out
        )
        existing = model.objects.filter(pk=line.data["id"]).first()
        if existing is not None:
            current = {"id": existing.pk} | {
                f.name: dump.field_value(f, existing)
                for f in dump.concrete_fields(model, left_out)
            }
            if _same(current, line.data):
                self.result.count(part, "skipped")
                return existing
        row = model(pk=line.data["id"], **values)
        row.save()
        # save() stamps auto_now(_add) columns with the present; keep the dump's.
        stamped = {
            f.attname: values[f.attname]
            for f in model._meta.concrete_fields
            if (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
            and f.attname in values
        }
        if stamped:
            model.objects.filter(pk=row.pk).update(**stamped)
        self.result.count(part, "updated" if existing else "created")
        return row

    def restore_media(self, model, line: Line) -> None:
        name = line.data.get("file", "")
        source = self.directory / dump.MEDIA_FILES_DIR / name
        if name and source.is_file() and not default_storage.exists(name):
            with source.open("rb") as content:
                stored = default_storage.save(name, content)
            if stored != name:
                raise DumpError(
                    f"{_where(line)}: the storage renamed {name} to {stored}; "
                    "free the name in the media folder and import again."
                )
        self.restore_row(model, line, "media", dump.MEDIA_FIELDS_LEFT_OUT)

    def restore_site(self, line: Line) -> None:
        data = line.data
        values = {
            "hostname": data["hostname"],
            "port": data["port"],
            "site_name": data["site_name"],
            "root_page_id": data["root_page"],
        }
        site = Site.objects.filter(hostname=data["hostname"], port=data["port"]).first()
        if site is None and data.get("is_default_site"):
            site = Site.objects.filter(is_default_site=True).first()
        if site is not None and all(getattr(site, k) == v for k, v in values.items()):
            self.result.count("sites", "skipped")
            return
        outcome = "updated" if site else "created"
        site = site or Site(is_default_site=bool(data.get("is_default_site")))
        for key, value in values.items():
            setattr(site, key, value)
        site.save()
        self.result.count("sites", outcome)

    def reset_sequences(self) -> None:
        """Rows came with their ids; PostgreSQL's counters must move past them."""
        restored: list[type[models.Model]] = [Page, *TAXONOMY.values()]
        restored += [get_image_model(), get_document_model()]
        for model in record_models():
            restored += [r.related_model for r in child_relations(model)]
        statements = connection.ops.sequence_reset_sql(no_style(), restored)
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


def import_content(directory: Path, progress: Progress | None = None) -> RestoreResult:
    """Restore the dump, then rebuild the listing catalogue and search index."""
    from scis.core.catalogue import rebuild as rebuild_catalogue
    from scis.search.index import rebuild as rebuild_search

    result = Restorer(directory, progress).run()
    total = result.total
    if total.created or total.updated:
        rebuild_catalogue()
        rebuild_search()
    return result
