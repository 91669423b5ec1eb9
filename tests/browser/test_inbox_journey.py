"""A moderator logs in, opens the harvest inbox, reviews a candidate, accepts
and publishes another in two clicks from the list, and opens the live
record; the inbox and review pages have no accessibility violations."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import axe_violations

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "inbox-journey-pw"

SEED = f"""
from django.contrib.auth.models import Group, User
from wagtail.users.models import UserProfile
from scis.harvest.models import Item, Source
user = User.objects.create_user("moderator", "m@example.org", {PASSWORD!r})
user.groups.add(Group.objects.get(name="Moderators"))
profile = UserProfile.get_for_user(user)
profile.preferred_language = "en"
profile.save()
source = Source.objects.create(
    name="국토교통부 보도자료 (journey)", slug="molit-journey", kind="rss",
    url="https://www.molit.go.kr/rss/press.xml", language="ko",
    section="policy-trend",
)
for n, title in enumerate([
    "세종 스마트시티 국가시범도시 첫 입주 시작",
    "부산 에코델타 스마트빌리지 실증 확대",
]):
    Item.objects.create(
        source=source, guid=f"journey-{{n}}",
        url=f"https://www.molit.go.kr/press/journey-{{n}}.html",
        title=title, language="ko",
        summary="국가시범도시의 새 소식.",
        body_html="<p>국토교통부는 스마트시티 국가시범도시 소식을 전했다.</p>",
        text="국토교통부는 스마트시티 국가시범도시 소식을 전했다.",
        suggestion={{"section": "policy-trend", "reasons": ["source default"]}},
    )
"""


@pytest.fixture
def moderator_with_candidates(portal_url, portal_var):
    """A moderator and two candidates, written into the portal's database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "scis.settings.test",
        "DATABASE_URL": f"sqlite:///{portal_var / 'portal.sqlite3'}",
        "SCIS_VAR_DIR": str(portal_var),
        "MEDIA_ROOT": str(portal_var / "media"),
    }
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", SEED],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return "moderator"


def test_publish_a_candidate_in_two_clicks(page, portal_url, moderator_with_candidates):
    page.goto(portal_url + "/admin/login/")
    # The login page is in the portal's default language (Korean).
    page.locator("#id_username").fill(moderator_with_candidates)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(portal_url + "/admin/")

    page.goto(portal_url + "/admin/harvest/inbox/")
    listing = page.get_by_role("table")
    assert "세종 스마트시티 국가시범도시 첫 입주 시작" in listing.inner_text()
    assert axe_violations(page) == []

    # The review page shows the text and the decisions.
    page.get_by_role(
        "link", name="부산 에코델타 스마트빌리지 실증 확대", exact=True
    ).click()
    page.wait_for_url("**/admin/harvest/inbox/review/**")
    assert "국가시범도시 소식" in page.get_by_role("main").inner_text()
    assert page.get_by_role(
        "button", name="Accept and publish", exact=True
    ).is_visible()
    assert axe_violations(page) == []

    # Two clicks from the list: the row's button, then the confirmation.
    page.goto(portal_url + "/admin/harvest/inbox/")
    page.get_by_role(
        "link", name="Accept and publish “세종 스마트시티 국가시범도시 첫 입주 시작”"
    ).click()
    page.get_by_role("button", name="Yes, publish").click()
    page.wait_for_url(portal_url + "/admin/harvest/inbox/")
    assert "Published" in page.locator(".messages").inner_text()

    page.get_by_role("link", name="View live").click()
    page.wait_for_load_state()
    assert (
        page.locator("h1").inner_text() == "세종 스마트시티 국가시범도시 첫 입주 시작"
    )
    assert "https://www.molit.go.kr/press/journey-0.html" in page.content()
