"""Fixtures for the WordPress import: the real export in fixtures/, copies of
it edited or broken on purpose, and a local HTTP server for attachments."""

import functools
import http.server
import io
import ipaddress
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

FIXTURES = Path(__file__).resolve().parent / "fixtures"
WXR = FIXTURES / "scis-wordpress.xml"
OLD_SITE = "https://www.smartcity.go.kr"


@pytest.fixture(autouse=True)
def _no_name_lookups(monkeypatch):
    """Tests reach nothing but their own loopback server: a host name other
    than an IP address is "not found" without asking any resolver."""
    from scis.wordpress import media

    def resolve(host: str) -> list[str]:
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            raise OSError(f"no name lookups in tests ({host})") from None

    monkeypatch.setattr(media, "resolve_host", resolve)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Downloaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


class Run:
    """What one `import_wordpress` run printed (or the error it raised)."""

    def __init__(self, out: str, error: CommandError | None):
        self.out = out
        self.error = error
        self.lines = out.rstrip("\n").splitlines()

    @property
    def summary(self) -> str:
        return self.lines[-1]


def run_import(*args: str | Path) -> Run:
    out = io.StringIO()
    try:
        call_command("import_wordpress", *[str(a) for a in args], stdout=out)
    except CommandError as exc:
        return Run(out.getvalue(), exc)
    return Run(out.getvalue(), None)


@pytest.fixture
def wxr_copy(tmp_path):
    """A copy of the fixture with text replaced: wxr_copy({"old": "new"})."""

    def make(replacements: dict[str, str], name: str = "edited.xml") -> Path:
        text = WXR.read_text(encoding="utf-8")
        for old, new in replacements.items():
            assert old in text, f"{old!r} is not in the fixture"
            text = text.replace(old, new)
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return make


class UploadServer:
    """A loopback HTTP server for the old site's uploads; counts requests."""

    def __init__(self, root: Path):
        self.root = root
        self.requests: list[str] = []
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 — http.server's name
                server.requests.append(self.path)
                super().do_GET()

            def log_message(self, *args):  # keep test output quiet
                pass

        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=str(root))
        )
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def put_fixture_files(self) -> None:
        """The three uploads the fixture's posts use: two pictures, one PDF."""
        from PIL import Image

        for relative, size in (
            ("wp-content/uploads/2024/03/sejong-5-1.png", (64, 48)),
            ("wp-content/uploads/2021/12/smart-village.png", (32, 32)),
        ):
            path = self.root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            Image.new("RGB", size, (20, 120, 200)).save(path)
        pdf = self.root / "wp-content/uploads/2020/09/sandbox-results.pdf"
        pdf.parent.mkdir(parents=True, exist_ok=True)
        pdf.write_bytes(
            b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
        )


@pytest.fixture
def upload_server(tmp_path):
    server = UploadServer(tmp_path / "site")
    server.root.mkdir()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def wxr_on_server(wxr_copy, upload_server):
    """The fixture with every upload address pointing at the local server."""
    return wxr_copy(
        {f"{OLD_SITE}/wp-content/uploads": f"{upload_server.url}/wp-content/uploads"},
        name="on-server.xml",
    )
