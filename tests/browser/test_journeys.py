"""What a reader does: open the portal, switch language, filter, read, all on
pages with no accessibility violations."""

import re

import pytest

from .conftest import RESULTS, axe_violations

pytestmark = pytest.mark.browser


def test_open_home_switch_language_filter_and_read(page, portal_url):
    page.goto(portal_url + "/")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator("h1").first.inner_text() == "스마트도시 정보시스템"

    page.get_by_role("navigation", name="언어").get_by_role(
        "link", name="English"
    ).click()
    page.wait_for_url(re.compile(r"/en/$"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").first.inner_text() == "Smart City Information System"

    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="News", exact=True
    ).click()
    page.wait_for_url(re.compile(r"/en/news/$"))
    before = page.locator(".listing__count").inner_text()
    page.get_by_label("Region").select_option("sejong")
    page.get_by_label("Year").select_option("2024")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"region=sejong"))
    after = page.locator(".listing__count").inner_text()
    assert after != before
    assert page.get_by_role("list", name="Active filters").inner_text().count("×") == 2

    first = page.locator(".record-card__title a").first
    title = first.inner_text()
    first.click()
    assert page.locator("h1").inner_text() == title
    assert page.get_by_role("heading", name="How to cite").is_visible()

    page.get_by_role("navigation", name="Language").get_by_role(
        "link", name="한국어"
    ).click()
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.get_by_role("heading", name="인용 방법").is_visible()


AXE_PAGES = [
    "/",
    "/en/",
    "/news/policy-trend/?year=2024",
    "/en/records/?topic=transport",
    "/news/issue/2024-sejong-pilot-city-operator-designated/",
    "/en/literature/2024-dea-kpi-smart-city-efficiency/",
    "/about/history/",
    "/en/about/what-is-a-smart-city/",
    "/en/events/",
    "/search/?q=세종",
    "/en/search/?q=certfication&sort=date",
    "/search/?q=수요응답형+버스를&type=news",
    "/projects/",
    "/en/projects/city-challenge/",
    "/projects/city-challenge/incheon-city-challenge-main/",
    "/en/projects/map/?programme=city-challenge",
    "/projects/map/",
    "/projects/figures/",
    "/en/policies/",
    "/policies/u-city-act/",
    "/data/",
    "/en/data/",
    "/feeds/",
]


@pytest.mark.parametrize("path", AXE_PAGES)
def test_no_accessibility_violations(page, portal_url, path):
    response = page.goto(portal_url + path)
    assert response.status == 200
    violations = axe_violations(page)
    assert violations == [], violations


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/en/news/",
        "/literature/2024-dea-kpi-smart-city-efficiency/",
        "/search/?q=도시를",
        "/projects/map/",
        "/en/projects/figures/",
        "/en/policies/",
    ],
)
def test_works_on_a_phone(browser, portal_url, path):
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(portal_url + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
    assert page.locator("#site-search-q").is_visible()
    RESULTS.mkdir(exist_ok=True)
    name = path.strip("/").replace("/", "_") or "home"
    page.screenshot(path=str(RESULTS / f"phone-{name}.png"), full_page=True)
    context.close()


def test_search_from_the_header_with_suggestions(page, portal_url):
    page.goto(portal_url + "/en/")
    box = page.locator("#site-search-q")
    box.fill("digital tw")
    # Suggestions arrive in the box's datalist as the reader types.
    page.wait_for_function(
        "document.querySelectorAll('#site-search-suggestions option').length > 0"
    )
    box.fill("digital twins")
    box.press("Enter")
    page.wait_for_url("**/en/search/?q=digital+twins")
    first = page.locator(".search-results li").first
    assert "digital twin" in first.inner_text().lower()
    assert page.locator(".search-results mark").count() > 0
    page.select_option("#filter-type", "news")
    page.locator(".filter-form button").click()
    page.wait_for_url("**type=news**")
    assert "q=digital+twins" in page.url


def test_find_the_2021_challenge_projects_on_the_map(page, portal_url):
    page.goto(portal_url + "/en/projects/map/")
    page.wait_for_selector("#project-map .leaflet-marker-icon")
    everything = page.locator(".project-list tbody tr").count()
    page.get_by_label("Programme").select_option("city-challenge")
    page.get_by_label("Cohort year").select_option("2021")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**programme=city-challenge**year=2021**")
    rows = page.locator(".project-list tbody tr")
    assert 0 < rows.count() < everything
    # The map asks the API for the same projects and shows them.
    page.wait_for_selector("#project-map .leaflet-marker-icon")
    regions = page.locator("#project-map path.leaflet-interactive").count()
    assert regions >= 17  # the provinces, drawn with no tile server
    shown = page.evaluate(
        """() => fetch(JSON.parse(document.getElementById('project-map-config')
               .textContent).geojson).then(r => r.json()).then(c => c.count)"""
    )
    assert shown == rows.count()
    page.get_by_label("Colour regions by").select_option("budget")
    first = rows.first.locator("a")
    title = first.inner_text()
    first.click()
    assert page.locator("h1").inner_text() == title
    assert page.get_by_role("table", name=re.compile("Budget")).is_visible()
