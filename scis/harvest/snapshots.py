"""Faithful copies of fetched originals, as WARC response records (warcio):
one gzipped WARC file per job under HARVEST_WARC_ROOT, and a Snapshot row
per record that says where it is. The payload is kept as the reader's
browser would have seen it (decompressed; the Content-Encoding header is
dropped with it), so a capture can be shown years after the site is gone."""

from __future__ import annotations

import threading
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from django.conf import settings
from django.utils import timezone
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .models import Snapshot

if TYPE_CHECKING:
    from .fetching import Response
    from .models import Item, Job

# Headers that describe the bytes on the wire, not the payload we keep.
WIRE_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}


class WarcWriter:
    """Appends records to the job's WARC file. Thread-safe; use as a context
    manager or call close()."""

    def __init__(self, job: Job | None):
        self.job = job
        now = timezone.now()
        name = f"{job.pk if job else 'adhoc'}-{now:%Y%m%dT%H%M%S%f}.warc.gz"
        self.relative = f"{now:%Y/%m}/{name}"
        self.path = Path(settings.HARVEST_WARC_ROOT) / self.relative
        self._file: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self._lock = threading.Lock()

    def write(self, response: Response, item: Item | None = None) -> Snapshot:
        """Append `response` (a 200) and return its saved Snapshot."""
        headers = [
            (name, value)
            for name, value in response.http_headers
            if name.lower() not in WIRE_HEADERS
        ]
        headers.append(("Content-Length", str(len(response.content))))
        status_line = f"{response.status} {response.reason or 'OK'}"
        with self._lock:
            if self._writer is None or self._file is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._file = self.path.open("ab")
                self._writer = WARCWriter(self._file, gzip=True)
            file, writer = self._file, self._writer
            record = writer.create_warc_record(
                response.url,
                "response",
                payload=BytesIO(response.content),
                http_headers=StatusAndHeaders(
                    status_line, headers, protocol="HTTP/1.1"
                ),
            )
            offset = file.tell()
            writer.write_record(record)
            file.flush()
            length = file.tell() - offset
        return Snapshot.objects.create(
            item=item,
            job=self.job,
            url=response.url,
            status_code=response.status,
            content_type=response.content_type,
            warc_file=self.relative,
            offset=offset,
            length=length,
            payload_digest=record.rec_headers.get_header("WARC-Payload-Digest") or "",
        )

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None
                self._writer = None

    def __enter__(self) -> WarcWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class CaptureMissing(Exception):
    """The WARC file of a snapshot is gone or unreadable."""


def read_capture(snapshot: Snapshot) -> tuple[int, list[tuple[str, str]], bytes]:
    """(status, headers, payload) of a kept original."""
    path = Path(settings.HARVEST_WARC_ROOT) / snapshot.warc_file
    try:
        with path.open("rb") as handle:
            handle.seek(snapshot.offset)
            data = handle.read(snapshot.length)
    except OSError as exc:
        raise CaptureMissing(
            f"The capture file {snapshot.warc_file} cannot be read ({exc}); "
            "restore HARVEST_WARC_ROOT from the backup."
        ) from exc
    for record in ArchiveIterator(BytesIO(data)):
        if record.rec_type == "response":
            http = record.http_headers
            status = int(http.get_statuscode() or 0)
            return status, list(http.headers), record.content_stream().read()
    raise CaptureMissing(
        f"No response record at {snapshot.warc_file}:{snapshot.offset}."
    )
