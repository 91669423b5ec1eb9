"""A harvest run end to end, against the local site serving recorded feeds
and pages from fixtures/runs/: what lands in the inbox, what a second run
does, and how errors, duplicates and deletions at the source show."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from scis.harvest import pipeline
from scis.harvest.local_site import Reply
from scis.harvest.models import Item, Job, JobError, Snapshot, Source
from scis.harvest.pipeline import harvest_source
from scis.harvest.snapshots import read_capture

RUNS = Path(__file__).parent / "fixtures" / "runs"
MOLIT_GUIDS = {
    "molit-2024-0328-01",
    "molit-2024-0402-01",
    "molit-2024-0410-01",
    "molit-2024-0415-en",
}

pytestmark = pytest.mark.django_db


class Served:
    """A payload from fixtures/runs/ served at a path, with {{BASE}} made
    the local site's address and conditional GETs answered with 304, as a
    real publisher does. Swap the body with `serve(...)` again."""

    def __init__(self, site, path: str, content_type: str):
        self.site, self.path, self.content_type = site, path, content_type
        self.body = b""
        site.route(path, self)

    def __call__(self, handler) -> Reply:
        etag = '"' + hashlib.sha1(self.body, usedforsecurity=False).hexdigest() + '"'
        headers = {"Content-Type": self.content_type, "ETag": etag}
        if handler.headers.get("If-None-Match") == etag:
            return Reply(304, b"", headers)
        return Reply(200, self.body, headers)


def serve(site, path: str, name: str, content_type: str = "") -> Served:
    """Serve fixtures/runs/NAME at PATH (again, replacing what was there)."""
    content_type = content_type or (
        "application/rss+xml; charset=utf-8"
        if name.endswith(".rss")
        else "application/xml; charset=utf-8"
    )
    served = site.server.routes.get(path)
    if not isinstance(served, Served):
        served = Served(site, path, content_type)
    text = (RUNS / name).read_text(encoding="utf-8")
    served.body = text.replace("{{BASE}}", site.base_url).encode("utf-8")
    return served


def mark_changed(served: Served, published: bytes) -> None:
    """Move one entry's publication time, as a publisher does when it
    corrects a post (the feed's change marker for that entry)."""
    assert published in served.body
    served.body = served.body.replace(published, published[:-2] + b"45")


def page_requests(site) -> list[str]:
    return [path for method, path in site.requests if path.startswith("/runs/pages/")]


def errors_of(job: Job) -> list[str]:
    """The job's error messages, to show when a count is off."""
    return list(JobError.objects.filter(job=job).values_list("message", flat=True))


def make_source(site, path="/molit.rss", name="MOLIT press releases", **fields):
    fields.setdefault("kind", Source.Kind.RSS)
    return Source.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        url=site.url(path),
        allow_private=True,
        **fields,
    )


@pytest.fixture
def molit(site, warc_root):
    serve(site, "/molit.rss", "molit.rss")
    return make_source(site)


def test_a_first_run_fills_the_inbox_with_clean_items_and_snapshots(molit):
    result = harvest_source(molit)

    job = result.job
    assert job.status == Job.Status.SUCCEEDED
    assert (job.new, job.errors, job.duplicates) == (4, 0, 0), errors_of(job)
    items = {item.guid: item for item in Item.objects.filter(source=molit)}
    assert set(items) == MOLIT_GUIDS
    shuttle = items["molit-2024-0328-01"]
    assert shuttle.state == Item.State.NEW
    assert shuttle.title == "세종 5-1 생활권 자율주행 셔틀 시민 시범 운행 시작"
    assert shuttle.date == date(2024, 3, 28)
    assert shuttle.language == "ko"
    # The page's full text, not the feed's one-line description.
    assert "20분 간격으로 운행한다" in shuttle.text
    assert "<script" not in shuttle.body_html
    assert shuttle.content_hash
    assert isinstance(shuttle.suggestion.get("reasons"), list)
    assert items["molit-2024-0415-en"].language == "en"

    snapshot = Snapshot.objects.get(item=shuttle)
    assert snapshot.job_id == job.pk
    status, _headers, payload = read_capture(snapshot)
    assert status == 200
    assert "자율주행 셔틀".encode() in payload

    reported = {report.url: report for report in result.items}
    assert len(reported) == 4
    assert reported[shuttle.url].state == "new"
    assert reported[shuttle.url].as_json()["date"] == "2024-03-28"


def test_a_second_run_with_nothing_changed_fetches_no_page(molit, site):
    harvest_source(molit)
    fetched_first = len(page_requests(site))

    job = harvest_source(molit).job

    assert job.status == Job.Status.SUCCEEDED
    assert (job.new, job.updated, job.unchanged, job.errors) == (0, 0, 4, 0)
    assert len(page_requests(site)) == fetched_first
    assert Item.objects.filter(source=molit).count() == 4


def test_a_regenerated_feed_with_the_same_entries_fetches_no_page(molit, site):
    harvest_source(molit)
    serve(site, "/molit.rss", "molit.rss").body += b"<!-- regenerated -->"
    before = len(page_requests(site))

    job = harvest_source(molit).job

    assert (job.new, job.updated, job.unchanged) == (0, 0, 4)
    assert len(page_requests(site)) == before


def test_entries_marked_changed_are_rechecked_conditionally(molit, site):
    harvest_source(molit)
    served = serve(site, "/molit.rss", "molit.rss")
    # Every entry's publication time moved: the pages must be asked again.
    served.body = served.body.replace(b"+0900", b"+0000")
    before = len(page_requests(site))

    job = harvest_source(molit).job

    assert (job.new, job.updated, job.unchanged) == (0, 0, 4)
    # Each page was asked for again, and each answered 304 Not Modified.
    assert len(page_requests(site)) == before + 4
    assert Snapshot.objects.filter(item__source=molit).count() == 4


def test_a_page_changed_at_the_source_counts_as_updated(molit, site):
    harvest_source(molit)
    original = (RUNS / "pages" / "challenge-2024.html").read_text()
    corrected = original.replace("5개 지자체", "6개 지자체")
    site.route(
        "/runs/pages/challenge-2024.html",
        Reply(200, corrected.encode(), {"Content-Type": "text/html; charset=utf-8"}),
    )
    mark_changed(serve(site, "/molit.rss", "molit.rss"), b"02 Apr 2024 11:00")

    job = harvest_source(molit).job

    assert (job.new, job.updated, job.unchanged) == (0, 1, 3)
    item = Item.objects.get(guid="molit-2024-0402-01")
    assert "6개 지자체" in item.text
    assert item.changed_at is not None
    assert item.state == Item.State.NEW


def test_an_accepted_item_keeps_its_state_when_its_page_changes(molit, site):
    harvest_source(molit)
    Item.objects.filter(guid="molit-2024-0402-01").update(state=Item.State.ACCEPTED)
    original = (RUNS / "pages" / "challenge-2024.html").read_text()
    site.route(
        "/runs/pages/challenge-2024.html",
        Reply(
            200,
            original.replace("150억", "200억").encode(),
            {"Content-Type": "text/html; charset=utf-8"},
        ),
    )
    mark_changed(serve(site, "/molit.rss", "molit.rss"), b"02 Apr 2024 11:00")

    assert harvest_source(molit).job.updated == 1
    item = Item.objects.get(guid="molit-2024-0402-01")
    assert item.state == Item.State.ACCEPTED
    assert item.changed_at is not None


def test_an_item_gone_from_a_complete_sitemap_is_flagged_not_deleted(site, warc_root):
    serve(site, "/sitemap.xml", "sitemap-before.xml")
    source = make_source(
        site, "/sitemap.xml", name="MOLIT sitemap", kind=Source.Kind.SITEMAP
    )
    assert harvest_source(source).job.new == 3

    serve(site, "/sitemap.xml", "sitemap-after.xml")
    result = harvest_source(source)

    assert result.job.removed == 1
    gone = Item.objects.get(url__endswith="/runs/pages/smart-village.html")
    assert gone.removed_at is not None
    assert Item.objects.filter(source=source, removed_at__isnull=True).count() == 2
    assert [r.state for r in result.items if r.url == gone.url] == ["removed"]

    serve(site, "/sitemap.xml", "sitemap-before.xml")
    harvest_source(source)
    gone.refresh_from_db()
    assert gone.removed_at is None


def test_copies_and_near_copies_are_flagged_as_duplicates(molit, site):
    harvest_source(molit)
    serve(site, "/sejong.rss", "sejong.rss")
    sejong = make_source(site, "/sejong.rss", name="Sejong news")

    result = harvest_source(sejong)

    original = Item.objects.get(guid="molit-2024-0328-01")
    copy = Item.objects.get(guid="sejong-news-1183")
    repost = Item.objects.get(guid="sejong-news-1182")
    assert copy.state == Item.State.DUPLICATE
    assert copy.duplicate_of == original
    assert copy.similarity == pytest.approx(1.0)
    assert repost.state == Item.State.DUPLICATE
    assert repost.duplicate_of == original
    assert 0.5 < repost.similarity <= 1.0
    assert Item.objects.get(guid="sejong-news-1190").state == Item.State.NEW
    assert (result.job.new, result.job.duplicates) == (1, 2)
    by_url = {report.url: report for report in result.items}
    assert by_url[copy.url].duplicate_of == original.url


def test_an_euc_kr_page_is_stored_without_mojibake(site, warc_root):
    serve(site, "/sejong.rss", "sejong.rss")
    site.server.content_types["runs/pages/crosswalk-euckr.html"] = "text/html"
    source = make_source(site, "/sejong.rss", name="Sejong news")

    harvest_source(source)

    item = Item.objects.get(guid="sejong-news-1190")
    assert "어린이 보호구역 24곳에 스마트 횡단보도를" in item.text
    assert "\ufffd" not in item.text
    assert item.language == "ko"


def _large_page(_handler) -> Reply:
    chunk = b"<p>" + b"x" * (1024 * 1024 - 7) + b"</p>\n"
    return Reply(
        200, (chunk for _ in range(50)), {"Content-Type": "text/html; charset=utf-8"}
    )


def test_failing_pages_are_recorded_per_item_and_retried_next_run(
    molit, site, monkeypatch
):
    # Small batches: a failure must not spoil the items committed beside it.
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 1)
    site.route("/runs/pages/smart-village.html", Reply(500, b"server error", {}))
    site.route("/runs/pages/challenge-2024.html", _large_page)

    result = harvest_source(molit)

    job = result.job
    assert job.status == Job.Status.SUCCEEDED
    assert (job.new, job.errors) == (2, 2)
    failed = Item.objects.filter(source=molit, state=Item.State.FAILED)
    assert {item.guid for item in failed} == {
        "molit-2024-0402-01",
        "molit-2024-0410-01",
    }
    # Nothing is lost: the entry's title and date are kept with the item.
    village = failed.get(guid="molit-2024-0410-01")
    assert village.title == "에코델타시티 스마트빌리지 리빙랩 성과 보고회 개최"
    errors = JobError.objects.filter(job=job)
    assert {error.item_id for error in errors} == {item.pk for item in failed}
    assert all(error.stage == JobError.Stage.FETCH for error in errors)
    assert any("500" in error.message for error in errors)
    assert {r.error != "" for r in result.items} == {True, False}

    # The server is fixed; the feed itself did not change (it answers 304).
    del site.server.routes["/runs/pages/smart-village.html"]
    del site.server.routes["/runs/pages/challenge-2024.html"]
    retry = harvest_source(molit).job

    assert (retry.new, retry.unchanged, retry.errors) == (2, 2, 0)
    assert not Item.objects.filter(state=Item.State.FAILED).exists()
    village.refresh_from_db()
    assert "56세대" in village.text


def test_a_rejected_item_never_comes_back(molit, site):
    harvest_source(molit)
    Item.objects.filter(guid="molit-2024-0410-01").update(state=Item.State.REJECTED)
    serve(site, "/molit.rss", "molit.rss").body += b"<!-- regenerated -->"

    job = harvest_source(molit).job

    assert (job.new, job.unchanged) == (0, 4)
    assert Item.objects.get(guid="molit-2024-0410-01").state == Item.State.REJECTED


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (Reply(404, b"not found", {"Content-Type": "text/plain"}), "404"),
        (None, "XML"),
    ],
    ids=["404", "malformed"],
)
def test_an_unreadable_source_fails_its_job_with_a_gather_error(
    site, warc_root, answer, words
):
    if answer is None:
        serve(site, "/broken.rss", "malformed.rss")
    else:
        site.route("/broken.rss", answer)
    source = make_source(site, "/broken.rss", name="Broken feed")

    job = harvest_source(source).job

    assert job.status == Job.Status.FAILED
    assert job.finished_at is not None
    error = JobError.objects.get(job=job)
    assert error.stage == JobError.Stage.GATHER
    assert words in error.message or words.lower() in error.message.lower()
    source.refresh_from_db()
    assert source.consecutive_failures == 1
    assert source.last_error
    assert not Item.objects.filter(source=source).exists()


def test_a_run_past_its_time_limit_stops_and_the_next_run_finishes(molit, settings):
    settings.HARVEST_JOB_TIMEOUT_SECONDS = 0

    job = harvest_source(molit).job

    assert job.status == Job.Status.TIMED_OUT
    assert "HARVEST_JOB_TIMEOUT_SECONDS" in job.message
    settings.HARVEST_JOB_TIMEOUT_SECONDS = 600
    finished = harvest_source(molit).job
    assert finished.status == Job.Status.SUCCEEDED
    assert Item.objects.filter(source=molit, state=Item.State.NEW).count() == 4


def test_progress_is_reported_up_to_the_total(molit):
    seen: list[tuple[int, int]] = []

    harvest_source(molit, progress=lambda done, total: seen.append((done, total)))

    assert seen[-1] == (4, 4)


def test_an_api_with_full_text_is_imported_without_fetching_pages(site, warc_root):
    posts = [
        {
            "id": "kaia-2024-117",
            "link": site.url("/notice/117"),
            "title": "스마트시티 혁신기술 발굴사업 공모 안내",
            "regDate": "2024.05.07",
            "content": "<p>국토교통과학기술진흥원은 스마트시티 혁신기술 발굴사업 "
            "신규 과제를 공모합니다. 접수 기간은 5월 7일부터 6월 7일까지입니다.</p>",
        },
        {
            "id": "kaia-2024-118",
            "link": site.url("/notice/118"),
            "title": "Call for smart city living lab partners",
            "regDate": "2024-05-09",
            "content": "<p>KAIA invites cities and companies to run living labs "
            "that test smart city services with residents for two years.</p>",
        },
    ]
    answer = {"items": posts}
    site.route(
        "/api/notices",
        lambda _handler: Reply(
            200,
            json.dumps(answer, ensure_ascii=False).encode(),
            {"Content-Type": "application/json"},
        ),
    )
    source = make_source(
        site,
        "/api/notices",
        name="KAIA notices",
        kind=Source.Kind.JSON,
        config={
            "items": "items",
            "fields": {
                "guid": "id",
                "url": "link",
                "title": "title",
                "date": "regDate",
                "body": "content",
            },
            "fetch_pages": False,
        },
    )

    assert harvest_source(source).job.new == 2
    notice = Item.objects.get(guid="kaia-2024-117")
    assert "6월 7일까지" in notice.text
    assert notice.date == date(2024, 5, 7)
    assert Item.objects.get(guid="kaia-2024-118").language == "en"
    assert page_requests(site) == []
    assert not [path for _method, path in site.requests if path.startswith("/notice/")]

    # The notice is corrected and re-dated (the API's change marker).
    posts[0]["content"] = posts[0]["content"].replace("6월 7일", "6월 14일")
    posts[0]["regDate"] = "2024.05.10"
    job = harvest_source(source).job

    assert (job.new, job.updated, job.unchanged) == (0, 1, 1)
    notice.refresh_from_db()
    assert "6월 14일까지" in notice.text
    assert notice.date == date(2024, 5, 10)


def test_large_runs_extract_in_worker_processes_with_the_same_result(
    molit, site, settings
):
    """Runs of many items hand extraction and classification to forked
    processes (HARVEST_CONTENT_PROCESSES); what lands in the inbox is the
    same as when the fetch threads do it."""
    settings.HARVEST_CONTENT_PROCESSES = 0
    in_threads = harvest_source(molit).job
    expected = {
        item.guid: (item.title, item.text, item.date, item.language, item.suggestion)
        for item in Item.objects.filter(source=molit)
    }
    Item.objects.filter(source=molit).delete()
    molit.etag = molit.last_modified = ""
    molit.save()
    settings.HARVEST_CONTENT_PROCESSES = 2
    settings.HARVEST_PROCESS_MIN_ITEMS = 1

    in_processes = harvest_source(molit).job

    assert (in_processes.new, in_processes.errors) == (in_threads.new, 0), errors_of(
        in_processes
    )
    got = {
        item.guid: (item.title, item.text, item.date, item.language, item.suggestion)
        for item in Item.objects.filter(source=molit)
    }
    assert got == expected
