"""A small web site served on 127.0.0.1: the harvester's tests, its
benchmark and the demo's offline source all fetch from one of these.

Files under `root` are served with an ETag and Last-Modified and answer
conditional requests with 304, as a well-behaved publisher does. `routes`
adds answers made in code (a slow response, a redirect loop, a 50 MB page…):
a path maps to a function taking the request handler and returning a
`Reply`. Run it by hand with `python -m scis.harvest.local_site DIR --port N`.
"""

from __future__ import annotations

import argparse
import contextlib
import email.utils
import gzip
import hashlib
import mimetypes
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

CONTENT_TYPES = {
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
}


@dataclass
class Reply:
    """An answer made in code. `body` may be an iterable of chunks, sent as
    they come (for large or slow answers)."""

    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)


Route = Callable[["Handler"], Reply]


class Handler(BaseHTTPRequestHandler):
    server: LocalSiteServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - quiet test output
        if self.server.verbose:
            super().log_message(format, *args)

    def do_HEAD(self):
        self._answer(head=True)

    def do_GET(self):
        self._answer(head=False)

    def _answer(self, head: bool) -> None:
        self.server.requests.append((self.command, self.path))
        path = urlsplit(self.path).path
        route = self.server.routes.get(path)
        try:
            reply = route(self) if route else self._file(path)
        except BrokenPipeError:
            return
        self._send(reply, head)

    def _file(self, path: str) -> Reply:
        root = self.server.root
        if root is None:
            return Reply(404, b"not found", {"Content-Type": "text/plain"})
        target = (root / path.lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(root) or not target.is_file():
            return Reply(404, b"not found", {"Content-Type": "text/plain"})
        body = target.read_bytes()
        etag = '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:16] + '"'
        modified = email.utils.formatdate(target.stat().st_mtime, usegmt=True)
        headers = {
            "Content-Type": self.server.content_type(target),
            "ETag": etag,
            "Last-Modified": modified,
        }
        if self.headers.get("If-None-Match") == etag or (
            not self.headers.get("If-None-Match")
            and self.headers.get("If-Modified-Since") == modified
        ):
            return Reply(304, b"", headers)
        if "gzip" in (self.headers.get("Accept-Encoding") or "") and len(body) > 1024:
            body = gzip.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"
        return Reply(200, body, headers)

    def _send(self, reply: Reply, head: bool) -> None:
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if isinstance(reply.body, bytes):
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if not head and reply.status != 304:
                self.wfile.write(reply.body)
            return
        # A body made of chunks: close the connection to mark its end.
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if head:
            return
        try:
            for chunk in reply.body:
                self.wfile.write(chunk)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


class LocalSiteServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, root: Path | None, routes: dict[str, Route]):
        super().__init__(address, Handler)
        self.root = root.resolve() if root else None
        self.routes = routes
        self.requests: list[tuple[str, str]] = []
        self.verbose = False
        self.content_types: dict[str, str] = {}

    def handle_error(self, request, client_address):
        # A client that hangs up mid-answer (a size cap, a timeout) is
        # expected here, not an error worth a traceback.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def content_type(self, target: Path) -> str:
        relative = str(target.relative_to(self.root)) if self.root else ""
        if relative in self.content_types:
            return self.content_types[relative]
        return CONTENT_TYPES.get(target.suffix) or (
            mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        )


class LocalSite:
    """A running site on 127.0.0.1 (an ephemeral port unless one is given)."""

    def __init__(
        self,
        root: Path | str | None = None,
        routes: dict[str, Route] | None = None,
        port: int = 0,
    ):
        self.server = LocalSiteServer(
            ("127.0.0.1", port), Path(root) if root else None, dict(routes or {})
        )
        self.thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base_url + "/" + path.lstrip("/")

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(method, path) of every request answered so far."""
        return self.server.requests

    def route(self, path: str, answer: Route | Reply) -> None:
        """Answer `path` in code from now on."""
        if isinstance(answer, Reply):
            reply = answer

            def answer(_handler: Handler) -> Reply:
                return reply

        self.server.routes[path] = answer

    def start(self) -> LocalSite:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> LocalSite:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", help="Folder to serve.")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    site = LocalSite(args.root, port=args.port)
    print(f"local source site: {site.base_url}/ serving {args.root}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        site.server.serve_forever()


if __name__ == "__main__":
    main()
