"""Importing the old newsletter issues: the seed issue No. 49 as plain text,
its HTML page, and a Korean table layout, against the demo archive (which
holds the records of No. 49, provenance source id `newsletter-49`)."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from scis.core.models import CatalogueEntry
from scis.events.models import EventPage
from scis.library.models import LiteraturePage
from scis.news.models import NewsPage
from scis.newsletter.importer import import_issue
from scis.newsletter.legacy import (
    LegacyFormatError,
    parse_authors,
    parse_issue,
    read_issue,
)
from scis.newsletter.legacy.dates import parse_date, parse_date_range
from scis.newsletter.models import NewsletterIssuePage

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "no49.txt"  # the seed issue, as the old portal had it
# The seed cut off after a title, before its date line.
CUT = SEED.read_text(encoding="utf-8").split("\n2024.3.18 / Seoul Metropolitan City")[0]
HTML = FIXTURES / "no49.html"
KOREAN_TABLE = FIXTURES / "no49_ko_table.html"
SECTIONS = ["issue", "policy-project", "policy-trend", "special", "literature", "news"]
# Items per section, counted by reading the seed file.
COUNTS = [2, 2, 5, 2, 3, 2]


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_newsletter", *map(str, args), "--no-progress", stdout=out)
    return out.getvalue()


def record_counts() -> tuple[int, int, int, int]:
    return (
        NewsPage.objects.count(),
        LiteraturePage.objects.count(),
        EventPage.objects.count(),
        NewsletterIssuePage.objects.count(),
    )


def issue_records(issue: NewsletterIssuePage) -> list[tuple[str, list]]:
    return [
        (
            block.value["section"],
            [entry["record"].specific for entry in block.value["items"]],
        )
        for block in issue.sections
    ]


# -- dates -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2024.3.28", dt.date(2024, 3, 28)),
        ("2024.03.28.", dt.date(2024, 3, 28)),
        ("2024. 3. 28.", dt.date(2024, 3, 28)),
        ("'24.3.4.", dt.date(2024, 3, 4)),
        ("’24.3.4", dt.date(2024, 3, 4)),
        ("24.3.4", dt.date(2024, 3, 4)),
        ("2024년 3월 28일", dt.date(2024, 3, 28)),
        ("2024년3월28일(목)", dt.date(2024, 3, 28)),
        ("'24년 3월 4일", dt.date(2024, 3, 4)),
        ("2024-03-28", dt.date(2024, 3, 28)),
        ("2024/3/28", dt.date(2024, 3, 28)),
        ("２０２４．３．２８", dt.date(2024, 3, 28)),
        ("2024.3.28 (Thu)", dt.date(2024, 3, 28)),
        ("March 28, 2024", dt.date(2024, 3, 28)),
        ("28 Mar. 2024", dt.date(2024, 3, 28)),
    ],
)
def test_old_date_forms_become_iso_dates(written, expected):
    assert parse_date(written) == expected
    assert parse_date(written).isoformat() == expected.isoformat()


@pytest.mark.parametrize(
    "written",
    [
        "2024.2.30",
        "2024.13.1",
        "2024-03",
        "3.28",
        "No. 49",
        "1850.1.1",
        "",
        "2024.3-28",
    ],
)
def test_what_is_not_a_calendar_date_gives_none(written):
    assert parse_date(written) is None


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        (
            "'24.4.17 (Wed) ~ 19 (Fri), 3 days",
            dt.date(2024, 4, 17),
            dt.date(2024, 4, 19),
        ),
        (
            "'24.4.11 (Thursday) ~ 12 (Friday)",
            dt.date(2024, 4, 11),
            dt.date(2024, 4, 12),
        ),
        (
            "2024. 4. 17.(수) ~ 19.(금), 3일간",
            dt.date(2024, 4, 17),
            dt.date(2024, 4, 19),
        ),
        ("2024.4.30 ~ 5.2", dt.date(2024, 4, 30), dt.date(2024, 5, 2)),
        ("2024.12.30 ~ 1.2", dt.date(2024, 12, 30), dt.date(2025, 1, 2)),
        ("2024년 4월 30일 ~ 5월 2일", dt.date(2024, 4, 30), dt.date(2024, 5, 2)),
        ("2024-04-17 - 2024-04-19", dt.date(2024, 4, 17), dt.date(2024, 4, 19)),
        ("2024.4.17 10:00 ~ 17:00", dt.date(2024, 4, 17), dt.date(2024, 4, 17)),
        ("2024.4.17", dt.date(2024, 4, 17), dt.date(2024, 4, 17)),
    ],
)
def test_event_date_ranges(written, start, end):
    assert parse_date_range(written) == (start, end)


@pytest.mark.parametrize("written", ["2024.4.19 ~ 17", "soon", "2024.4.17 ~ later"])
def test_impossible_ranges_give_none(written):
    assert parse_date_range(written) is None


def test_authors_lines_and_sentences_are_told_apart():
    authors = parse_authors(
        "Lee Sang-ho, Min Yun-hong (Incheon National University) / "
        "Jo Hee-yeon (Incheon National University College of Northeast Asian Logistics)"
    )
    assert [(a.name, a.affiliation) for a in authors] == [
        ("Lee Sang-ho", "Incheon National University"),
        ("Min Yun-hong", "Incheon National University"),
        (
            "Jo Hee-yeon",
            "Incheon National University College of Northeast Asian Logistics",
        ),
    ]
    assert (
        parse_authors(
            "developed key performance indicators (KPIs) to measure the smartness"
        )
        is None
    )


# -- reading the seed ------------------------------------------------------


def test_the_seed_text_is_read_completely():
    issue = read_issue(SEED)
    assert (issue.number, issue.date, issue.language, issue.format) == (
        49,
        dt.date(2024, 4, 1),
        "en",
        "text",
    )
    assert [section.key for section in issue.sections] == SECTIONS
    assert [len(section.items) for section in issue.sections] == COUNTS
    first = issue.sections[0].items[0]
    assert first.title.startswith("The government, region, and private sector")
    assert first.date == dt.date(2024, 3, 28)
    assert first.organisation == "Ministry of Land, Infrastructure, and Transport"
    assert first.summary.startswith("Ministry of Land, Infrastructure, and Transport(")
    daegu = issue.sections[2].items[1]
    # A date inside a summary is text, not a date line.
    assert "('24.3.4.)" in daegu.summary and daegu.date == dt.date(2024, 3, 25)
    air_taxi = issue.sections[3].items[1]
    assert air_taxi.summary == "" and air_taxi.notes == ["Go to video > Click image"]
    literature = issue.sections[4].items[2]
    assert [a.name for a in literature.authors] == [
        "Lee Sang-ho",
        "Min Yun-hong",
        "Jo Hee-yeon",
    ]
    assert literature.date is None
    world_it, gen_ai = issue.sections[5].items
    assert (world_it.date, world_it.end_date, world_it.venue) == (
        dt.date(2024, 4, 17),
        dt.date(2024, 4, 19),
        "COEX",
    )
    assert world_it.event_name == "World IT Show 2024 (WIS 2024)"
    assert (gen_ai.date, gen_ai.end_date, gen_ai.venue, gen_ai.contact) == (
        dt.date(2024, 4, 11),
        dt.date(2024, 4, 12),
        "COEX B2 Hall",
        "02-3667-3114",
    )
    # The tagline above the number is not part of any section: reported.
    assert [(s.line, s.reason) for s in issue.skipped] == [
        (1, "text before the first section")
    ]


def _plain(text: str) -> str:
    # The HTML page has typographic quotes where the text copy has some
    # straight ones; the words are the same.
    return text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'}))


def _shape(issue):
    return [
        (
            item.section,
            _plain(item.title),
            item.date,
            item.end_date,
            item.organisation,
            _plain(item.summary),
            [(a.name, a.affiliation) for a in item.authors],
            item.venue,
            item.contact,
        )
        for item in issue.items
    ]


def test_the_html_page_gives_the_same_issue_as_the_text():
    text, html = read_issue(SEED), read_issue(HTML)
    assert html.format == "html"
    assert (html.number, html.date, html.language) == (text.number, text.date, "en")
    assert [s.key for s in html.sections] == [s.key for s in text.sections]
    assert _shape(html) == _shape(text)
    # The linked picture under the air taxi item is its video.
    assert html.sections[3].items[1].links == [
        "https://www.youtube.com/watch?v=kaia-air-taxi"
    ]
    # The page's navigation and footer are not the issue; the tagline is
    # reported with its line in the HTML file.
    assert [(s.line, s.reason) for s in html.skipped] == [
        (14, "text before the first section")
    ]


def test_a_korean_table_layout_with_picture_headings():
    issue = read_issue(KOREAN_TABLE)
    assert (issue.number, issue.date, issue.language) == (49, dt.date(2024, 4, 1), "ko")
    # "이달의 이슈" (Issue of the Month) is the earlier name of Smart City Issue.
    assert issue.sections[0].heading == "이달의 이슈"
    assert [s.key for s in issue.sections] == SECTIONS
    assert [len(s.items) for s in issue.sections] == [2, 2, 6, 2, 3, 2]
    dates = [item.date for item in issue.sections[0].items + issue.sections[1].items]
    assert dates == [
        dt.date(2024, 3, 28),  # 2024년 3월 28일
        dt.date(2024, 3, 27),  # 2024. 3. 27.
        dt.date(2024, 3, 26),  # 2024-03-26
        dt.date(2024, 3, 18),  # '24.3.18.
    ]
    world_it = issue.sections[5].items[0]
    assert (world_it.date, world_it.end_date, world_it.venue) == (
        dt.date(2024, 4, 17),
        dt.date(2024, 4, 19),
        "코엑스",
    )
    assert issue.sections[4].items[0].authors[0].name == "고은비"
    assert issue.skipped == []


def test_an_older_korean_issue_saved_as_euc_kr(tmp_path):
    text = "\r\n".join(
        [
            "스마트도시 뉴스레터 제12호 (2021. 1. 4.)",
            "이달의 이슈",
            "",
            "스마트시티 챌린지 본사업 도시 선정",
            "2020년 12월 28일 / 국토교통부",
            "국토교통부는 스마트시티 챌린지 본사업에 참여할 도시를 선정했다고 밝혔다.",
            "스마트도시 소식",
            "스마트시티 챌린지 성과 공유회",
            "· 일시/장소 : '21.1.20.(수) / 온라인",
        ]
    )
    path = tmp_path / "no12.txt"
    path.write_bytes(text.encode("cp949"))
    issue = read_issue(path)
    assert (issue.number, issue.date, issue.language) == (12, dt.date(2021, 1, 4), "ko")
    assert [s.key for s in issue.sections] == ["issue", "news"]
    assert issue.items[0].date == dt.date(2020, 12, 28)
    assert (issue.items[1].date, issue.items[1].venue) == (
        dt.date(2021, 1, 20),
        "온라인",
    )


def test_issue_of_the_month_is_the_earlier_name_of_smart_city_issue():
    issue = parse_issue(
        "No. 3 (2020.5.4)\nIssue of the Month\n\nA title\n2020.4.28 / MOLIT\nText.\n"
    )
    assert [s.key for s in issue.sections] == ["issue"]


def test_the_language_can_be_given():
    assert read_issue(SEED, language="ko").language == "ko"


def test_lines_that_fit_no_pattern_are_reported_with_their_line_numbers():
    text = "\n".join(
        [
            "No. 50 (2024.5.2)",  # 1
            "Smart City Issue",  # 2
            "",  # 3
            "2024.4.30 / Ministry of Land, Infrastructure and Transport",  # 4
            "",  # 5
            "A title with its date line",  # 6
            "2024.4.29 / Ministry of Land, Infrastructure and Transport",  # 7
            "Its summary.",  # 8
            "",  # 9
            "A title that never gets a date line",  # 10
            "",  # 11
            "Another dated title",  # 12
            "2024.4.28 / Seoul Metropolitan City",  # 13
            "Smart City Special",  # 14
            "Smart City Literature",  # 15
            "",  # 16
            "A paper",  # 17
            "",  # 18
            "Its abstract.",  # 19
            "Kim Min-su (Korea Research Institute for Human Settlements)",  # 20
        ]
    )
    issue = parse_issue(text)
    assert [str(entry) for entry in issue.skipped] == [
        "line 4: skipped: date / source line with no title above it: "
        "'2024.4.30 / Ministry of Land, Infrastructure and Transport'",
        "line 10: skipped: no date / source line under the title: "
        "'A title that never gets a date line'",
        "line 14: skipped: section with no items: 'Smart City Special'",
    ]
    assert [item.title for item in issue.items] == [
        "A title with its date line",
        "Another dated title",
        "A paper",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "no issue number"),
        ("Smart City Issue\n\nA title\n2024.3.28 / MOLIT\n", "no issue number"),
        ("No. 49\nSmart City Issue\n\nA title\n2024.3.28 / MOLIT\n", "no issue date"),
        ("No. 49 (2024.4.1)\nThe government joins forces\n", "no section headings"),
        # Cut off in the middle of the first item of the last section.
        (CUT, "looks cut off"),
        # Cut off right after a section heading.
        (
            SEED.read_text(encoding="utf-8").split("Smart City News")[0]
            + "Smart City News",
            "looks cut off",
        ),
    ],
)
def test_files_that_are_no_complete_issue_are_refused(content, message):
    with pytest.raises(LegacyFormatError, match=message):
        parse_issue(content)


# -- importing -------------------------------------------------------------


@pytest.mark.django_db
def test_the_seed_issue_imports_onto_the_demo_records(en):
    before = record_counts()
    existed = NewsletterIssuePage.objects.filter(locale=en, number=49).exists()
    output = run(SEED)
    issue = NewsletterIssuePage.objects.get(locale=en, number=49)
    assert issue.issue_date == dt.date(2024, 4, 1)
    sections = issue_records(issue)
    assert [key for key, _records in sections] == SECTIONS
    assert [len(records) for _key, records in sections] == COUNTS
    records = [record for _key, group in sections for record in group]
    # Every item is one of the demo's records of No. 49, each used once, in
    # English, and keeps its own clean title rather than the machine
    # translation of the old issue.
    assert all(r.source_id == "newsletter-49" and r.locale == en for r in records)
    assert len({r.pk for r in records}) == 16
    assert sections[0][1][0].title == (
        "The government, regions and private sector join forces to create smart cities"
    )
    assert [type(r) for r in sections[4][1]] == [LiteraturePage] * 3
    assert [r.title for r in sections[5][1]] == [
        "World IT Show 2024 (WIS 2024)",
        "Gen AI Korea 2024 Generative AI Red Team Challenge",
    ]
    assert record_counts()[:3] == before[:3]  # nothing created
    assert "records: matched 16, created 0" in output
    assert "line 1: skipped: text before the first section" in output
    # The demo may hold its own issue No. 49 already: it is updated then.
    assert output.splitlines()[-1] == (
        "created=0 updated=1 skipped=1" if existed else "created=1 updated=0 skipped=1"
    )


@pytest.mark.django_db
def test_importing_again_updates_the_same_issue_and_creates_nothing(en):
    run(SEED)
    issue = NewsletterIssuePage.objects.get(locale=en, number=49)
    first_records = issue_records(issue)
    # An editor retitles the issue and shortens one item's summary.
    issue.title = "Smart cities made together"
    stream = issue.sections.raw_data
    stream[0]["value"]["items"][0]["value"]["summary"] = "Applications open."
    issue.sections = stream
    issue.save_revision().publish()
    counts = record_counts()
    output = run(HTML)  # the same issue, from its HTML page this time
    again = NewsletterIssuePage.objects.get(locale=en, number=49)
    assert again.pk == issue.pk
    assert record_counts() == counts
    assert issue_records(again) == first_records
    assert output.splitlines()[-1] == "created=0 updated=1 skipped=1"
    assert again.live
    assert again.title == "Smart cities made together"
    assert again.sections[0].value["items"][0]["summary"] == "Applications open."


@pytest.mark.django_db
def test_a_korean_issue_matches_by_title_and_creates_what_is_missing(ko, client):
    # Issue No. 62 has no records of its own yet: its items are found by
    # their titles and dates, and the one new item is created.
    text = KOREAN_TABLE.read_text(encoding="utf-8").replace("제49호", "제62호")
    before = record_counts()
    report = import_issue(parse_issue(text), file="no62.html")
    issue = NewsletterIssuePage.objects.get(locale=ko, number=62)
    assert report.issue_action == "created" and issue.live
    assert issue.title == "스마트도시 뉴스레터 제62호"
    hows = [outcome.how for outcome in report.outcomes]
    assert hows.count("") == 1  # created
    assert {"same title", "similar title, same date"} <= set(hows)
    created = NewsPage.objects.get(
        title="부산시, 에코델타 스마트빌리지 2기 입주 가구 모집"
    )
    assert record_counts() == (before[0] + 1, before[1], before[2], before[3] + 1)
    assert (created.section, created.date, created.locale) == (
        "policy-trend",
        dt.date(2024, 3, 20),
        ko,
    )
    assert (created.provenance, created.source_id) == ("imported", "newsletter-62")
    assert [o.slug for o in created.organisations.all()] == ["busan-city"]
    assert created.live
    # The new record is listed like any other: catalogue row, section page.
    assert CatalogueEntry.objects.filter(page=created, language="ko").exists()
    response = client.get(created.get_parent().url)
    assert (
        "부산시, 에코델타 스마트빌리지 2기 입주 가구 모집" in response.content.decode()
    )
    assert client.get(created.url).status_code == 200


@pytest.mark.django_db
def test_the_other_language_becomes_the_translation_of_the_issue(ko, en):
    korean = KOREAN_TABLE.read_text(encoding="utf-8").replace("제49호", "제62호")
    import_issue(parse_issue(korean), file="no62.html")
    english = SEED.read_text(encoding="utf-8").replace("No. 49", "No. 62")
    report = import_issue(parse_issue(english), file="no62.txt")
    assert report.issue_action == "translated"
    ko_issue = NewsletterIssuePage.objects.get(locale=ko, number=62)
    en_issue = NewsletterIssuePage.objects.get(locale=en, number=62)
    assert en_issue.translation_key == ko_issue.translation_key
    assert en_issue.title == "Smart City Newsletter No. 62" and en_issue.live
    # The English edition lists English records only.
    records = [r for _key, group in issue_records(en_issue) for r in group]
    assert len(records) == 16 and {r.locale for r in records} == {en}


@pytest.mark.django_db
def test_new_literature_and_events_are_created_with_their_details(
    en, client, django_capture_on_commit_callbacks
):
    text = """No. 61 (2025.1.2)
Smart City Literature

Digital twins for small cities: a field guide

How small municipalities can start a digital twin with the data they hold.
Hana Kim, Jun Park (Korea Research Institute for Human Settlements)
Smart City News
Smart City Data Forum 2025

    • Event name: Smart City Data Forum 2025
    • Date/Location: 2025.1.21 (Tue) ~ 22 (Wed) / KINTEX
    • Topic: Open urban data for services / 031-995-8000
"""
    with django_capture_on_commit_callbacks(execute=True):  # search indexing
        report = import_issue(parse_issue(text), file="no61.txt")
    assert [outcome.action for outcome in report.outcomes] == ["created", "created"]
    found = client.get("/api/v1/search/?q=digital twins small cities&lang=en").json()
    assert "Digital twins for small cities: a field guide" in [
        result["title"] for result in found["results"]
    ]
    paper = LiteraturePage.objects.get(
        title="Digital twins for small cities: a field guide"
    )
    assert paper.locale == en and paper.year == 2025
    assert [(a.name, a.affiliation) for a in paper.authors.all()] == [
        ("Hana Kim", "Korea Research Institute for Human Settlements"),
        ("Jun Park", "Korea Research Institute for Human Settlements"),
    ]
    assert [o.slug for o in paper.organisations.all()] == ["krihs"]
    forum = EventPage.objects.get(title="Smart City Data Forum 2025")
    # Whole days in Korea time: the old issues give no hours.
    assert timezone.localtime(forum.start).isoformat() == "2025-01-21T00:00:00+09:00"
    assert timezone.localtime(forum.end).isoformat() == "2025-01-22T23:59:00+09:00"
    assert (forum.venue, forum.contact, forum.summary) == (
        "KINTEX",
        "031-995-8000",
        "Open urban data for services",
    )
    assert report.summary_line() == "created=3 updated=0 skipped=0"


@pytest.mark.django_db
def test_dry_run_reports_and_writes_nothing():
    before = record_counts()
    text = SEED.read_text(encoding="utf-8").replace("No. 49", "No. 63")
    path = FIXTURES.parent / "no63.tmp.txt"
    try:
        path.write_text(text, encoding="utf-8")
        output = run(path, "--dry-run")
    finally:
        path.unlink()
    assert "dry run, nothing was saved" in output
    assert "issue page: would be created" in output
    assert record_counts() == before
    assert not NewsletterIssuePage.objects.filter(number=63).exists()
    assert output.splitlines()[-1].startswith("created=")


@pytest.mark.django_db
def test_a_broken_file_is_refused_with_nothing_written(tmp_path):
    before = record_counts()
    truncated = tmp_path / "no49-cut.txt"
    truncated.write_text(CUT, encoding="utf-8")
    with pytest.raises(CommandError, match="looks cut off.*Nothing was imported"):
        run(truncated)
    garbled = tmp_path / "no49.bin"
    garbled.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    with pytest.raises(CommandError, match="binary.*Nothing was imported"):
        run(garbled)
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "missing.txt")
    assert record_counts() == before
