"""/data/: the open data page, the published files and the DCAT-AP catalogue."""

import mimetypes

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import catalog, publish

CONTENT_TYPES = {
    ".jsonl": "application/jsonl; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".zip": "application/zip",
}


def _archive_bytes() -> int:
    path = publish.file_path(publish.ARCHIVE)
    return path.stat().st_size if path else 0


def _published() -> dict:
    manifest = publish.manifest()
    if manifest is None:
        raise Http404(
            _(
                "The open data has not been published yet. An administrator runs "
                "“python manage.py publish_open_data” (the scheduler also does it "
                "daily)."
            )
        )
    return manifest


@require_safe
def open_data(request):
    manifest = publish.manifest()
    context = {"manifest": manifest, "published_at": publish.published_at()}
    if manifest is not None:
        archive_bytes = _archive_bytes()
        context |= {
            "datasets": catalog.datasets(manifest),
            "archive_bytes": archive_bytes,
            "archive": publish.ARCHIVE,
            "dataset_json_ld": catalog.schema_org(manifest, request, archive_bytes),
        }
    return render(request, "opendata/open_data.html", context)


@require_safe
def published_file(request, relative: str):
    _published()
    path = publish.file_path(relative)
    if path is None:
        raise Http404(
            _("There is no file “%(name)s” in the open data.")
            % {"name": relative[:100]}
        )
    content_type = CONTENT_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
    response = FileResponse(
        path.open("rb"),
        as_attachment=path.suffix in (".zip", ".jsonl", ".csv"),
        filename=path.name,
        content_type=content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _catalog(request, fmt: str, content_type: str) -> HttpResponse:
    manifest = _published()
    data = catalog.graph(manifest, request, _archive_bytes()).serialize(format=fmt)
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def catalog_turtle(request):
    return _catalog(request, "turtle", "text/turtle; charset=utf-8")


@require_safe
def catalog_json_ld(request):
    return _catalog(request, "json-ld", "application/ld+json")
