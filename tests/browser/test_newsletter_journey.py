"""A reader subscribes to the newsletter from the footer, confirms through
the link in the mail the portal sent to a real SMTP server, changes their
choices and unsubscribes; the newsletter's pages have no accessibility
violations in either language."""

import email
import json
import re
import sqlite3
import time
from contextlib import closing
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest

from .conftest import axe_violations

pytestmark = pytest.mark.browser

URL = re.compile(r"https?://[^\s<>\"')]+")


def stored(portal_var, address: str) -> dict | None:
    """The subscriber row the portal's server stored for an address, read
    straight from its database (read-only)."""
    database = portal_var / "portal.sqlite3"
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        db.row_factory = sqlite3.Row
        row = db.execute(
            "SELECT status, language, sections, confirmed_at, unsubscribed_at "
            "FROM newsletter_subscriber WHERE email = ?",
            (address,),
        ).fetchone()
    if row is None:
        return None
    return {**dict(row), "sections": json.loads(row["sections"])}


def mail_to(portal_mail, address: str) -> EmailMessage:
    """The one message the portal sent to `address`, parsed from the bytes
    the SMTP server received."""
    for _attempt in range(50):
        received = [m for m in portal_mail.messages if address in m.rcpt_tos]
        if received:
            break
        time.sleep(0.1)
    [received_message] = received
    message = email.message_from_bytes(received_message.raw, policy=default_policy)
    assert isinstance(message, EmailMessage)
    return message


def links_in(message: EmailMessage, path: str) -> set[str]:
    """The links to `path` in the message, from its text and HTML parts."""
    found = set()
    for kind in ("plain", "html"):
        part = message.get_body((kind,))
        assert part is not None, f"no text/{kind} part"
        found |= {url for url in URL.findall(part.get_content()) if path in url}
    return found


def sign_up_and_confirm(page, portal_url, portal_mail, address: str) -> EmailMessage:
    """Sign up on the full form in English and open the mailed link."""
    page.goto(portal_url + "/en/newsletter/subscribe/")
    form = page.get_by_role("main")  # the footer has a form of its own
    form.get_by_label("E-mail address").fill(address)
    form.get_by_role("group", name="Language of the newsletter").get_by_label(
        "English"
    ).check()
    form.get_by_role("button", name="Subscribe", exact=True).click()
    page.wait_for_url("**/en/newsletter/subscribe/done/")
    message = mail_to(portal_mail, address)
    [confirm] = links_in(message, "/newsletter/confirm/")
    page.goto(confirm)
    return message


def test_subscribe_confirm_change_choices_and_unsubscribe(
    page, portal_url, portal_mail, portal_var
):
    address = "journey@example.org"
    page.goto(portal_url + "/")
    footer = page.get_by_role("region", name="월간 뉴스레터")
    footer.get_by_label("전자우편 주소").fill(address)
    footer.get_by_label("뉴스레터 언어").select_option("en")
    footer.get_by_role("button", name="구독하기").click()

    page.wait_for_url("**/newsletter/subscribe/done/")
    assert page.locator("h1").inner_text() == "메일함을 확인해 주세요"
    subscriber = stored(portal_var, address)
    assert subscriber is not None
    assert subscriber["status"] == "pending"
    assert subscriber["language"] == "en"
    assert subscriber["confirmed_at"] is None

    # The confirmation arrives in English, with one link in both parts.
    message = mail_to(portal_mail, address)
    assert message["To"] == address
    assert "Confirm" in message["Subject"]
    [confirm] = links_in(message, "/newsletter/confirm/")
    assert confirm.startswith(portal_url + "/en/newsletter/confirm/")

    page.goto(confirm)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Subscription confirmed"
    assert address in page.get_by_role("status").inner_text()
    subscriber = stored(portal_var, address)
    assert subscriber["status"] == "active"
    assert subscriber["confirmed_at"] is not None

    page.get_by_role("link", name="Change your language or sections").click()
    page.wait_for_url("**/en/newsletter/preferences/**")
    assert page.locator("h1").inner_text() == "Newsletter preferences"
    language = page.get_by_role("main").get_by_role(
        "group", name="Language of the newsletter"
    )
    assert language.get_by_label("English").is_checked()
    language.get_by_label("Korean").check()
    page.get_by_label("Smart City Literature").check()
    page.get_by_role("button", name="Save my choices").click()

    page.wait_for_url("**?saved=1")
    assert "saved" in page.get_by_role("status").inner_text()
    assert language.get_by_label("Korean").is_checked()
    assert page.get_by_label("Smart City Literature").is_checked()
    assert not page.get_by_label("Smart City News").is_checked()
    subscriber = stored(portal_var, address)
    assert subscriber["language"] == "ko"
    assert subscriber["sections"] == ["literature"]
    assert subscriber["status"] == "active"

    page.get_by_role("link", name="Unsubscribe").click()
    page.wait_for_url("**/en/newsletter/unsubscribe/**")
    assert page.locator("h1").inner_text() == "Unsubscribe from the newsletter"
    # Opening the page (as a mail scanner would) changes nothing.
    assert stored(portal_var, address)["status"] == "active"
    page.get_by_role("button", name="Unsubscribe").click()

    assert page.locator("h1").inner_text() == "You are unsubscribed"
    assert address in page.get_by_role("status").inner_text()
    subscriber = stored(portal_var, address)
    assert subscriber["status"] == "unsubscribed"
    assert subscriber["unsubscribed_at"] is not None
    assert page.get_by_role("link", name="Subscribe again").is_visible()
    # The journey's pages after sign-up: one message, no more.
    assert len([m for m in portal_mail.messages if address in m.rcpt_tos]) == 1


@pytest.fixture(scope="module")
def reader_pages(browser, portal_url, portal_mail):
    """The preferences and unsubscribe pages of a confirmed subscriber, as
    paths without the language prefix (the signed token is the same in
    both languages)."""
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    sign_up_and_confirm(page, portal_url, portal_mail, "axe@example.org")
    page.get_by_role("link", name="Change your language or sections").click()
    page.wait_for_url("**/en/newsletter/preferences/**")
    preferences = page.url
    unsubscribe = page.get_by_role("link", name="Unsubscribe").get_attribute("href")
    context.close()

    def unprefixed(url: str) -> str:
        path = "/" + url.split("://", 1)[-1].split("/", 1)[-1]
        return path.removeprefix("/en")

    return {
        "preferences": unprefixed(preferences),
        "unsubscribe": unprefixed(unsubscribe),
    }


NEWSLETTER_PAGES = {
    "subscribe": "/newsletter/subscribe/",
    "archive": "/newsletter/",
    "issue-49": "/newsletter/49/",
    "preferences": None,  # a subscriber's own pages: see reader_pages
    "unsubscribe": None,
}


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("name", NEWSLETTER_PAGES)
def test_newsletter_pages_have_no_accessibility_violations(
    page, portal_url, reader_pages, name, language
):
    path = NEWSLETTER_PAGES[name] or reader_pages[name]
    prefix = "/en" if language == "en" else ""
    response = page.goto(portal_url + prefix + path)
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    violations = axe_violations(page)
    assert violations == [], violations


def test_a_form_with_errors_has_no_accessibility_violations(page, portal_url):
    page.goto(portal_url + "/en/newsletter/subscribe/")
    form = page.get_by_role("main")
    form.get_by_label("E-mail address").fill("not an address")
    form.get_by_role("button", name="Subscribe", exact=True).click()
    field = form.get_by_label("E-mail address")
    assert field.get_attribute("aria-invalid") == "true"
    assert page.get_by_role("alert").is_visible()
    violations = axe_violations(page)
    assert violations == [], violations


@pytest.mark.parametrize("path", ["/newsletter/subscribe/", "/en/newsletter/49/"])
def test_newsletter_pages_work_on_a_phone(browser, portal_url, path):
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(portal_url + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
    context.close()
