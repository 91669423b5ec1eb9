"""Browser journeys: a real portal server on loopback, with its own SQLite
database holding the demo archive, driven by Debian's chromium."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ..newsletter.smtp_server import SMTPServer

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RESULTS = ROOT / "test-results"


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(
            "CI needs Debian's chromium for browser tests: apt-get install chromium"
        )
    skip = pytest.mark.skip(
        reason="Debian's chromium is not installed (apt-get install chromium)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def portal_mail():
    """The mail server the portal sends to: a real SMTP server on loopback
    that keeps every message it accepts (tests/newsletter/smtp_server.py)."""
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def portal_var(tmp_path_factory) -> Path:
    """The portal's own folder: its SQLite database (`portal.sqlite3`, which
    tests read to check what the server stored), media and log."""
    return tmp_path_factory.mktemp("portal")


@pytest.fixture(scope="session")
def portal_url(portal_var, portal_mail):
    """Base URL of a running portal with the demo archive."""
    var = portal_var
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "scis.settings.test",
        "DATABASE_URL": f"sqlite:///{var / 'portal.sqlite3'}",
        "SCIS_VAR_DIR": str(var),
        "MEDIA_ROOT": str(var / "media"),
        "OPEN_DATA_ROOT": str(var / "opendata"),
        # Mail goes to portal_mail.
        "SCIS_TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(portal_mail.port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput"], ["load_demo"], ["publish_open_data"]):
        subprocess.run(
            manage + command, env=env, cwd=ROOT, check=True, capture_output=True
        )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (var / "server.log").open("w")
    server = subprocess.Popen(
        manage + ["runserver", f"127.0.0.1:{port}", "--noreload"],
        # Links in the portal's mail lead back to this server.
        env={**env, "PUBLIC_BASE_URL": url},
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _attempt in range(100):
            try:
                urllib.request.urlopen(url + "/", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"the portal did not start; see {var / 'server.log'}")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser():
    """Playwright's sync API keeps an event loop running while it is open,
    and Django refuses database work inside one: the browser closes with
    its test module, before the worker goes on to other tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="ko-KR"
    )
    page = context.new_page()
    yield page
    context.close()


AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the current page."""
    page.add_script_tag(content=AXE)
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return result
