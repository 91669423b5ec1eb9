"""Programmes, projects and policies as a reader meets them: programme pages
grouped by cohort and stage, project pages, the map and its list, the
figures with their downloads, the GeoJSON API and the policy timeline."""

import csv
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from scis.demo.records import read_archive
from scis.projects.models import PolicyPage, ProgrammePage, ProjectPage
from scis.projects.money import format_won

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker):
    """The demo records as written in the YAML files: what readers should see."""
    with django_db_blocker.unblock():
        return read_archive().records


def _of_type(archive, kind):
    return [r for r in archive if r["type"] == kind]


def _total(record) -> int:
    return sum((record.get("budget") or {}).values())


def _challenge_2021(archive):
    return [
        r
        for r in _of_type(archive, "project")
        if r["programme"] == "city-challenge" and r["cohort"] == 2021
    ]


def _geojson(client, **params):
    response = client.get(reverse("api_projects_geojson"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)


# The question the issue asks: "which Smart City Challenge projects in 2021,
# where, with what budget, at what stage" — from the programme page …
@pytest.mark.parametrize("language", ["ko", "en"])
def test_programme_page_answers_who_won_in_2021(client, archive, language):
    page = ProgrammePage.objects.get(
        programme__slug="city-challenge", locale__language_code=language
    )
    html = client.get(page.url).content.decode()
    expected = _challenge_2021(archive)
    assert len(expected) >= 6
    for record in expected:
        assert record[language]["title"] in html
        total = _total(record)
        if total:
            assert format_won(total, language) in html
    stage_names = {
        "ko": ["예비사업", "본사업"],
        "en": ["Preliminary stage", "Main stage"],
    }
    assert any(name in html for name in stage_names[language])


# … from the map's list, filtered …
def test_map_filters_to_one_programme_and_year(client, archive):
    response = client.get(
        "/en/projects/map/", {"programme": "city-challenge", "year": "2021"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    expected = _challenge_2021(archive)
    for record in expected:
        assert record["en"]["title"] in html
    others = [r for r in _of_type(archive, "project") if r not in expected]
    assert not any(f">{r['en']['title']}<" in html for r in others)
    assert f"{len(expected)} projects" in html


# … and from the figures.
def test_figures_count_and_sum_the_filtered_projects(client, archive):
    response = client.get(
        "/projects/figures/", {"programme": "city-challenge", "year": "2021"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg") == 8  # count and budget for four figures
    assert '<title id="chart-programme-count-title">' in html
    download = client.get(
        "/en/projects/figures/year/csv/",
        {"programme": "city-challenge", "year": "2021"},
    )
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Group"
    assert rows[1][0] == "2021"
    expected = _challenge_2021(archive)
    assert int(rows[1][1]) == len(expected)
    assert int(rows[1][5]) == sum(_total(r) for r in expected)


def test_every_figure_downloads_as_a_spreadsheet(client, archive):
    from openpyxl import load_workbook

    projects = _of_type(archive, "project")
    for name in ("programme", "region", "year", "domain"):
        response = client.get(f"/projects/figures/{name}/xlsx/")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.iter_rows(values_only=True))
        assert len(values[1]) == 6  # group, projects, three budgets, total
        counted = sum(row[1] for row in values[2:])
        if name == "domain":  # a project counts once in each of its domains
            assert counted == sum(len(r["topics"]) for r in projects)
        else:
            assert counted == len(projects)
    assert client.get("/projects/figures/nothing/csv/").status_code == 404
    assert client.get("/projects/figures/year/pdf/").status_code == 404


def test_geojson_lists_every_project_and_marks_unknown_locations(client, archive):
    projects = _of_type(archive, "project")
    collection = _geojson(client)
    assert collection["type"] == "FeatureCollection"
    assert collection["count"] == len(projects) == len(collection["features"])
    unknown = [r for r in projects if "latitude" not in r and not r.get("area")]
    assert len(unknown) >= 1
    assert collection["without_location"] == len(unknown)
    by_title = {f["properties"]["title"]: f for f in collection["features"]}
    for record in unknown:
        assert by_title[record["ko"]["title"]]["geometry"] is None
    located = next(r for r in projects if "latitude" in r)
    point = by_title[located["ko"]["title"]]["geometry"]["coordinates"]
    assert point == pytest.approx([located["longitude"], located["latitude"]], abs=1e-5)
    feature = by_title[located["ko"]["title"]]
    assert feature["properties"]["url"].startswith("http://testserver/projects/")
    assert feature["properties"]["budget_total"] == (_total(located) or None)


def test_geojson_filters_like_the_map_and_speaks_english(client, archive):
    collection = _geojson(client, lang="en", programme="city-challenge", year="2021")
    titles = sorted(f["properties"]["title"] for f in collection["features"])
    assert titles == sorted(r["en"]["title"] for r in _challenge_2021(archive))
    assert all(
        "/en/projects/" in f["properties"]["url"] for f in collection["features"]
    )
    stage = _geojson(client, stage="preliminary")
    assert stage["count"] == sum(
        1 for r in _of_type(archive, "project") if r["stage"] == "preliminary"
    )


def test_geojson_refuses_bad_input_with_a_clear_400(client):
    url = reverse("api_projects_geojson")
    assert client.get(url, {"lang": "fr"}).status_code == 400
    refused = client.get(url, {"programme": "no-such-thing", "year": "1066x"})
    assert refused.status_code == 400
    assert set(refused.json()["filters"]) == {"programme", "year"}
    assert client.get(url, {"colour": "red"}).status_code == 400


def test_geojson_is_in_the_api_schema(client):
    schema = client.get(reverse("api_schema"), {"format": "json"})
    paths = json.loads(schema.content)["paths"]
    operation = paths["/api/v1/projects/geojson/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"lang", "programme", "year", "stage", "domain", "region"} <= names


def test_map_page_lists_unknown_locations_and_survives_bad_filters(client):
    response = client.get("/projects/map/", {"stage": "imaginary", "page": "999"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "project-map-config" in html and "project-map-regions" in html
    assert "위치 미상" in html
    assert html.count('class="notice"') >= 2


def test_region_filter_includes_the_municipalities_of_a_province(client, archive):
    in_gyeonggi = [
        r
        for r in _of_type(archive, "project")
        if "gyeonggi" in (r.get("regions") or [])
    ]
    assert in_gyeonggi
    collection = _geojson(client, region="gyeonggi")
    assert collection["count"] == len(in_gyeonggi)


def test_project_page_shows_budget_outcomes_and_news(client, archive):
    record = next(r for r in _of_type(archive, "project") if r.get("outcomes"))
    page = ProjectPage.objects.get(slug=record["slug"], locale__language_code="ko")
    html = client.get(page.url).content.decode()
    assert record["ko"]["title"] in html
    if _total(record):
        assert format_won(_total(record), "ko") in html
    for outcome in record["outcomes"]:
        assert outcome["ko"] in html
    linked = next((r for r in _of_type(archive, "news") if r.get("projects")), None)
    if linked is not None:
        project = ProjectPage.objects.get(
            slug=linked["projects"][0], locale__language_code="en"
        )
        english = client.get(project.url).content.decode()
        assert linked["en"]["title"] in english


def test_archived_policy_keeps_its_address_and_names_its_successor(client, archive):
    policies = _of_type(archive, "policy")
    replaced = next(
        r
        for r in policies
        if r["status"] == "past"
        and any(p.get("supersedes") == r["slug"] for p in policies)
    )
    successor = next(p for p in policies if p.get("supersedes") == replaced["slug"])
    page = PolicyPage.objects.get(slug=replaced["slug"], locale__language_code="en")
    html = client.get(page.url).content.decode()
    assert "archived-banner" in html
    assert successor["en"]["title"] in html
    current = PolicyPage.objects.filter(status="current").first()
    assert "archived-banner" not in client.get(current.url).content.decode()
    assert client.get(f"/id/{page.pk}/").status_code == 302


def test_timeline_runs_from_u_city_to_plans_ahead(client, archive):
    html = client.get("/en/policies/").content.decode()
    assert "U-City era" in html and "Smart city era" in html
    policies = sorted(
        _of_type(archive, "policy"), key=lambda r: (r["valid_from"], r["en"]["title"])
    )
    positions = [html.index(f">{r['en']['title']}</a></h3>") for r in policies]
    assert positions == sorted(positions)
    programme = next(
        r for r in _of_type(archive, "programme") if r["programme"] == "u-city"
    )
    assert programme["en"]["title"] in html
    planned = client.get("/en/policies/", {"status": "planned"}).content.decode()
    for record in policies:
        shown = record["en"]["title"] in planned
        assert shown == (record["status"] == "planned")
    bad = client.get("/en/policies/", {"status": "someday"})
    assert bad.status_code == 200
    assert "There is no status" in bad.content.decode()


def test_impossible_periods_are_refused(archive):
    page = ProjectPage.objects.filter(start_date__isnull=False).first()
    page.end_date = page.start_date.replace(year=page.start_date.year - 1)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert "cannot be before" in str(refused.value)
    policy = PolicyPage.objects.first()
    policy.valid_until = policy.valid_from.replace(year=policy.valid_from.year - 1)
    with pytest.raises(ValidationError):
        policy.full_clean()


def test_half_a_location_or_a_broken_area_is_refused():
    page = ProjectPage.objects.filter(latitude__isnull=False).first()
    page.longitude = None
    with pytest.raises(ValidationError):
        page.full_clean()
    page = ProjectPage.objects.filter(latitude__isnull=False).first()
    page.area = {"type": "Polygon", "coordinates": [[[127, 36], [127.1, 36]]]}
    with pytest.raises(ValidationError):
        page.full_clean()


def test_language_switch_keeps_the_map_and_its_filters(client):
    html = client.get(
        "/projects/map/", {"programme": "city-challenge"}
    ).content.decode()
    assert 'href="/en/projects/map/?programme=city-challenge"' in html


def _add_project_form(programme_page, **overrides):
    from scis.taxonomy.models import Programme

    data = {
        "title": "시험 사업",
        "slug": "test-project-admin",
        "date": "2024-05-01",
        "programme": Programme.objects.get(slug="city-challenge").pk,
        "cohort_year": "2024",
        "stage": "main",
        "start_date": "2024-06-01",
        "end_date": "2025-12-31",
        "summary": "",
        "body": json.dumps({"blocks": [], "entityMap": {}}),
        "latitude": "37.50345",
        "longitude": "126.76600",
        "area": "null",
        "budget_national": "15억 원",
        "budget_local": "6억 5천만",
        "budget_private": "",
        "provenance": "typed",
        "outcomes-TOTAL_FORMS": "0",
        "outcomes-INITIAL_FORMS": "0",
        "outcomes-MIN_NUM_FORMS": "0",
        "outcomes-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_editor_types_budgets_in_eok_and_gets_won(admin_client):
    parent = ProgrammePage.objects.get(
        programme__slug="city-challenge", locale__language_code="ko"
    )
    url = reverse("wagtailadmin_pages:add", args=["projects", "projectpage", parent.pk])
    response = admin_client.post(url, _add_project_form(parent))
    assert response.status_code == 302, response.content.decode()[:3000]
    created = ProjectPage.objects.get(slug="test-project-admin")
    assert created.budget_national == 1_500_000_000
    assert created.budget_local == 650_000_000
    assert created.budget_private is None
    assert created.programmes.filter(slug="city-challenge").exists()


def test_editor_sees_why_a_period_or_budget_is_refused(admin_client):
    parent = ProgrammePage.objects.get(
        programme__slug="city-challenge", locale__language_code="ko"
    )
    url = reverse("wagtailadmin_pages:add", args=["projects", "projectpage", parent.pk])
    response = admin_client.post(
        url, _add_project_form(parent, end_date="2023-01-01", budget_local="lots")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not ProjectPage.objects.filter(slug="test-project-admin").exists()
    # The admin speaks Korean to this editor, as to most.
    assert "종료일은 시작일보다 앞설 수 없습니다" in html
    assert "15억 원" in html  # the example of what to type


def test_home_page_leads_to_the_featured_programme_on_the_map(client):
    from scis.taxonomy.models import Programme

    featured = Programme.objects.get(featured=True)
    html = client.get("/en/").content.decode()
    link = f'href="/en/projects/map/?programme={featured.slug}"'
    assert link in html
    assert client.get(f"/en/projects/map/?programme={featured.slug}").status_code == 200


def test_project_page_lists_its_programmes_documents(client, archive):
    documents = [
        r
        for r in _of_type(archive, "document")
        if "data-hub" in (r.get("programmes") or [])
    ]
    assert documents
    page = ProjectPage.objects.get(
        slug="siheung-data-hub-test-city", locale__language_code="en"
    )
    html = client.get(page.url).content.decode()
    for record in documents:
        assert record["en"]["title"] in html


def test_sitemap_lists_the_map_and_figures(client):
    xml = client.get("/sitemap.xml").content.decode()
    for path in ("/projects/map/", "/projects/figures/", "/policies/"):
        assert f"{path}</loc>" in xml
