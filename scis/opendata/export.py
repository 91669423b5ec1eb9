"""Write the open data dump: every live, public page (both languages), the
taxonomy, the site and the media it shows (see dump.py for the layout).

Drafts, private pages and anything under a view restriction stay out: the
dump is published for anyone to download. Editors' accounts, revisions'
history and subscribers are never part of it; a database backup keeps those.
"""

import csv
import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site

from scis.core.records import record_models, record_type_key
from scis.taxonomy.models import Organisation, Programme, Region, Topic

from . import dump

TAXONOMY: dict[str, type[models.Model]] = {
    "regions": Region,
    "organisations": Organisation,
    "programmes": Programme,
    "topics": Topic,
}
CHUNK = 2000

Progress = Callable[[int], None]


@dataclass
class Written:
    path: str
    records: int
    describes: str
    kind: str = "jsonl"


@dataclass
class ExportResult:
    files: list[Written] = field(default_factory=list)
    records: int = 0
    pages: int = 0


def child_relations(model: type[Page]) -> list:
    """Ordered child rows a record owns (authors, outcomes): the project's
    own ParentalKey relations, not Wagtail's editorial ones (comments)."""
    return [
        relation
        for relation in model._meta.related_objects
        if isinstance(relation.field, ParentalKey)
        and relation.related_model.__module__.startswith("scis.")
    ]


def many_to_many(model: type[Page]) -> list:
    return [f for f in model._meta.many_to_many if f.serialize]


def _in_range(queryset, column: str, ids: list[int]):
    """Rows whose `column` lies between the first and last of the sorted
    `ids`: a range reads an index as fast as `IN (…)` and costs nothing to
    build, where an IN list of thousands of ids costs the ORM more time
    than the query. Callers keep only the ids they asked for."""
    return queryset.filter(**{f"{column}__gte": ids[0], f"{column}__lte": ids[-1]})


def _term_links(m2m, ids: list[int]) -> dict[int, list[int]]:
    """page id → sorted term ids, read from the link table in one query."""
    source, target = m2m.m2m_column_name(), m2m.m2m_reverse_name()
    wanted = set(ids)
    links: dict[int, list[int]] = {}
    rows = _in_range(m2m.remote_field.through.objects, source, ids)
    for page_id, term_id in rows.values_list(source, target):
        if page_id in wanted:
            links.setdefault(page_id, []).append(term_id)
    for terms in links.values():
        terms.sort()
    return links


def _child_rows(relation, ids: list[int]) -> dict[int, list[dict]]:
    """page id → its child rows (authors, outcomes) in their order."""
    child_model = relation.related_model
    key = relation.field.attname
    columns = dump.concrete_fields(child_model, {relation.field.name})
    ordering = [*(child_model._meta.ordering or []), "pk"]
    wanted = set(ids)
    rows: dict[int, list[dict]] = {}
    children = _in_range(child_model.objects, key, ids).order_by(*ordering)
    for child in children:
        if getattr(child, key) in wanted:
            rows.setdefault(getattr(child, key), []).append(
                {"id": child.pk} | {f.name: dump.field_value(f, child) for f in columns}
            )
    return rows


def page_rows(model: type[Page], ids: list[int]) -> list[dict]:
    """Pages as dump lines, in tree order: their columns, their term links
    and their child rows. Columns are read as plain values, not as page
    instances (building a Wagtail page object costs more than the query);
    links and rows are read per batch straight from their tables."""
    columns = dump.concrete_fields(model, dump.PAGE_FIELDS_LEFT_OUT)
    names = [f.attname for f in columns]
    m2ms = many_to_many(model)
    relations = child_relations(model)
    found = []
    ids = sorted(ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        wanted = set(chunk)
        related: dict[str, dict[int, list]] = {
            m2m.name: _term_links(m2m, chunk) for m2m in m2ms
        }
        related |= {r.get_accessor_name(): _child_rows(r, chunk) for r in relations}
        pages = (
            _in_range(model.objects, "pk", chunk)
            .order_by("path")
            .values_list("pk", "path", "locale__language_code", *names)
        )
        for pk, path, language, *values in pages:
            if pk not in wanted:
                continue
            fields = {
                f.name: value if f.is_relation else dump.column_value(f, value)
                for f, value in zip(columns, values, strict=True)
            }
            for name, by_page in related.items():
                fields[name] = by_page.get(pk, [])
            found.append(
                {
                    "id": pk,
                    "model": model._meta.label_lower,
                    "path": path,
                    "language": language,
                    "fields": fields,
                }
            )
    return found


def page_row(page: Page, model: type[Page]) -> dict:
    """One page as a dump line."""
    return page_rows(model, [page.pk])[0]


def public_paths() -> set[str]:
    """Tree paths of live, unrestricted pages whose parents are exported too
    (a page under an unpublished or private page is left out with it)."""
    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    kept: set[str] = set()
    rows = Page.objects.filter(depth__gte=2).order_by("path")
    for path, live in rows.values_list("path", "live").iterator(chunk_size=CHUNK):
        if not live or any(path.startswith(r) for r in restricted):
            continue
        if len(path) > Page.steplen * 2 and path[: -Page.steplen] not in kept:
            continue
        kept.add(path)
    return kept


class Exporter:
    def __init__(self, directory: Path, progress: Progress | None = None):
        self.directory = directory
        self.progress = progress or (lambda n: None)
        self.result = ExportResult()
        self.latest = None  # when the newest exported page was published

    def run(self) -> ExportResult:
        self.directory.mkdir(parents=True, exist_ok=True)
        paths = public_paths()
        self.taxonomy()
        self.pages(paths)
        self.sites(paths)
        self.media()
        self.manifest()
        return self.result

    # --- files -----------------------------------------------------------

    def open(self, relative: str):
        target = self.directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        return target.open("w", encoding="utf-8", newline="")

    def jsonl(self, relative: str, describes: str, rows) -> int:
        count = 0
        with self.open(relative) as out:
            for row in rows:
                out.write(dump.line(row))
                count += 1
        self.result.files.append(Written(relative, count, describes))
        return count

    def csv(self, relative: str, describes: str, header: list[str], rows) -> None:
        count = 0
        with self.open(relative) as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow(row)
                count += 1
        self.result.files.append(Written(relative, count, describes, "csv"))

    # --- parts -----------------------------------------------------------

    def taxonomy(self) -> None:
        for name, model in TAXONOMY.items():
            columns = dump.concrete_fields(model, set())
            rows = [
                {"id": term.pk} | {f.name: dump.field_value(f, term) for f in columns}
                for term in model._default_manager.order_by("pk")
            ]
            self.jsonl(dump.taxonomy_file(name), name, rows)
            header = ["id", *(f.attname for f in columns)]
            self.csv(
                dump.taxonomy_file(name).replace(".jsonl", ".csv"),
                name,
                header,
                ([row["id"], *(_cell(row[f.name]) for f in columns)] for row in rows),
            )

    def pages(self, paths: set[str]) -> None:
        records = record_models()
        ids_by_model: dict[type, list[int]] = {}
        rows = Page.objects.filter(depth__gte=2).values_list(
            "pk", "content_type_id", "path"
        )
        for pk, content_type, path in rows.iterator(chunk_size=CHUNK):
            if path in paths:
                model = ContentType.objects.get_for_id(content_type).model_class()
                if model is not None:  # a page type whose app was removed
                    ids_by_model.setdefault(model, []).append(pk)
        structure: list[dict] = []
        for model, ids in ids_by_model.items():
            if model not in records:
                structure += self.page_rows(model, ids)
        structure.sort(key=lambda r: r["path"])
        self.jsonl(dump.SITE_PAGES, "site structure", structure)
        self.result.pages = len(structure)
        for model in sorted(records, key=record_type_key):
            self.record_file(model, record_type_key(model), ids_by_model.get(model, []))

    def page_rows(self, model: type[Page], ids: list[int]) -> list[dict]:
        found = page_rows(model, ids)
        for row in found:
            published = row["fields"].get("last_published_at")
            if published and (self.latest is None or published > self.latest):
                self.latest = published
        return found

    def record_file(self, model: type[Page], key: str, ids: list[int]) -> None:
        """The type's JSONL and CSV, written batch by batch. Batches are
        consecutive runs of sorted ids, so each sorted by id on its own gives
        the whole CSV in id order without holding every row."""
        ids.sort()
        jsonl = dump.record_file(key)
        table = jsonl.replace(".jsonl", ".csv")
        count = 0
        header: list[str] | None = None
        with self.open(jsonl) as out, self.open(table) as sheet:
            writer = csv.writer(sheet, lineterminator="\n")
            for start in range(0, len(ids), CHUNK):
                chunk = self.page_rows(model, ids[start : start + CHUNK])
                for row in sorted(chunk, key=lambda r: r["path"]):
                    out.write(dump.line(row))
                flat = [_flat(row) for row in sorted(chunk, key=lambda r: r["id"])]
                if header is None:
                    header = _header(model, flat)
                    writer.writerow(header)
                writer.writerows(
                    [_cell(row.get(name, "")) for name in header] for row in flat
                )
                count += len(chunk)
                self.result.records += len(chunk)
                self.progress(len(chunk))
            if header is None:
                writer.writerow(_header(model, []))
        self.result.files.append(Written(jsonl, count, key))
        self.result.files.append(Written(table, count, key, "csv"))

    def sites(self, paths: set[str]) -> None:
        rows = [
            {
                "hostname": site.hostname,
                "port": site.port,
                "site_name": site.site_name,
                "root_page": site.root_page_id,
                "is_default_site": site.is_default_site,
            }
            for site in Site.objects.select_related("root_page").order_by("pk")
            if site.root_page.path in paths
        ]
        self.jsonl(dump.SITES, "sites", rows)

    def media(self) -> None:
        for relative, model in (
            (dump.IMAGES, get_image_model()),
            (dump.DOCUMENTS, get_document_model()),
        ):
            columns = dump.concrete_fields(model, dump.MEDIA_FIELDS_LEFT_OUT)
            rows = []
            for item in model.objects.order_by("pk"):
                if _restricted(item):
                    continue
                rows.append(
                    {"id": item.pk}
                    | {f.name: dump.field_value(f, item) for f in columns}
                )
                self.copy_file(item.file.name)
            self.jsonl(relative, model._meta.verbose_name_plural, rows)

    def copy_file(self, name: str) -> None:
        if not name or not default_storage.exists(name):
            return
        target = self.directory / dump.MEDIA_FILES_DIR / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out)

    def manifest(self) -> None:
        """What the dump holds, with sizes and checksums. Its date is when
        the newest page in it was published, so an unchanged archive always
        gives the same manifest."""
        files = [
            {
                "path": written.path,
                "format": written.kind,
                "describes": written.describes,
                "records": written.records,
                "bytes": (self.directory / written.path).stat().st_size,
                "sha256": checksum(self.directory / written.path),
            }
            for written in self.result.files
        ]
        manifest = {
            "format": dump.FORMAT,
            "version": dump.VERSION,
            "title": settings.OPEN_DATA_TITLE,
            "licence": settings.OPEN_DATA_LICENCE,
            "modified": self.latest,
            "records": self.result.records,
            "files": files,
        }
        with self.open(dump.MANIFEST) as out:
            out.write(
                json.dumps(
                    manifest,
                    cls=dump.Encoder,
                    ensure_ascii=False,
                    indent=2,
                    sort_keys=True,
                )
                + "\n"
            )


def export_content(directory: Path, progress: Progress | None = None) -> ExportResult:
    return Exporter(directory, progress).run()


def _restricted(item) -> bool:
    collection = getattr(item, "collection", None)
    return bool(collection and collection.get_view_restrictions().exists())


def _flat(row: dict) -> dict:
    """A record line as one spreadsheet row: the page columns, its language,
    its public address and term links as lists of ids."""
    flat = {
        "id": row["id"],
        "language": row["language"],
        "url": f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/id/{row['id']}/",
    }
    flat.update(row["fields"])
    return flat


def _header(model: type[Page], rows: list[dict]) -> list[str]:
    names = ["id", "language", "url", "title", "slug", "date", "translation_key"]
    seen = dict.fromkeys(names)
    for row in rows[:1] or [_empty_row(model)]:
        for name in row:
            seen.setdefault(name)
    return list(seen)


def _empty_row(model: type[Page]) -> dict:
    names = [f.name for f in dump.concrete_fields(model, dump.PAGE_FIELDS_LEFT_OUT)]
    names += [m.name for m in many_to_many(model)]
    names += [r.get_accessor_name() for r in child_relations(model)]
    return dict.fromkeys(names, "")


def _cell(value) -> str:
    """Lists of ids become `1|2|3`; child rows stay JSON; None is empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and all(isinstance(v, int) for v in value):
        return "|".join(str(v) for v in value)
    if isinstance(value, list | dict):
        return json.dumps(value, cls=dump.Encoder, ensure_ascii=False, sort_keys=True)
    return str(value)


def checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
