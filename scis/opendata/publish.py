"""The published dump behind /data/: exported into a release folder under
OPEN_DATA_ROOT with a zip of the whole, then switched in atomically, so a
download never sees half a dump."""

import datetime as dt
import json
import os
import shutil
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import dump
from .export import ExportResult, export_content

ARCHIVE = "scis-open-data.zip"
CURRENT = "current"
RELEASES = "releases"


def root() -> Path:
    return Path(settings.OPEN_DATA_ROOT)


def current() -> Path | None:
    """The folder of the published dump, or None before the first one."""
    folder = root() / CURRENT
    return folder.resolve() if (folder / dump.MANIFEST).is_file() else None


def manifest() -> dict | None:
    folder = current()
    if folder is None:
        return None
    return json.loads((folder / dump.MANIFEST).read_text(encoding="utf-8"))


def published_at() -> dt.datetime | None:
    folder = current()
    if folder is None:
        return None
    stamp = (folder / dump.MANIFEST).stat().st_mtime
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC)


def publish(progress=None) -> ExportResult:
    """Export into a new release, zip it, point `current` at it and drop
    older releases."""
    releases = root() / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    name = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    folder = releases / name
    result = export_content(folder, progress)
    with zipfile.ZipFile(
        folder / ARCHIVE, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6
    ) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.name != ARCHIVE:
                archive.write(path, path.relative_to(folder).as_posix())
    link = root() / f".{CURRENT}-{name}"
    link.symlink_to(Path(RELEASES) / name)
    os.replace(link, root() / CURRENT)  # atomic: readers see old or new
    for older in releases.iterdir():
        if older.name != name:
            shutil.rmtree(older, ignore_errors=True)
    return result


def stale() -> bool:
    """True when the archive changed since the dump was published and the
    dump is older than OPEN_DATA_INTERVAL_HOURS (or there is none)."""
    from scis.core.catalogue import version_and_time

    published = published_at()
    if published is None:
        return True
    _version, changed = version_and_time()
    old = timezone.now() - published >= dt.timedelta(
        hours=settings.OPEN_DATA_INTERVAL_HOURS
    )
    return old and (changed is None or changed > published)


def file_path(relative: str) -> Path | None:
    """A published file by its path inside the dump; None if there is no
    such file (or the path tries to leave the dump)."""
    folder = current()
    if folder is None or "\x00" in relative:
        return None
    target = (folder / relative).resolve()
    if not target.is_relative_to(folder) or not target.is_file():
        return None
    return target
