"""`import_wordpress` on a real WordPress export (fixtures/README.md): what
an editor and a reader find afterwards."""

import datetime as dt

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from scis.news.models import NewsPage
from scis.wordpress.models import ImportedPost

from .conftest import OLD_SITE, WXR, run_import

pytestmark = pytest.mark.django_db

FIRST_RUN = "created=12 updated=0 skipped=2"


def imported(title: str) -> NewsPage:
    return NewsPage.objects.get(source_id__startswith=OLD_SITE, title=title)


def slugs(page: NewsPage, field: str) -> set[str]:
    return {term.slug for term in getattr(page, field).all()}


def test_posts_land_in_their_language_tree_with_dates_and_classification(client):
    run = run_import(WXR, "--no-download")
    assert run.error is None
    assert run.summary == FIRST_RUN

    sejong = imported("세종 5-1 생활권 스마트시티 사업시행자 지정")
    assert sejong.locale.language_code == "ko"
    assert sejong.url == "/news/issue/sejong-5-1-operator/"
    assert sejong.live
    assert sejong.date == dt.date(2024, 3, 28)
    assert sejong.section == "issue"
    assert {"transport", "data"} <= slugs(sejong, "topics")
    assert slugs(sejong, "regions") == {"sejong"}
    assert slugs(sejong, "programmes") == {"national-pilot-city"}
    assert sejong.provenance == "imported"
    assert sejong.original_url == f"{OLD_SITE}/2024/03/28/sejong-5-1-operator/"
    assert sejong.source_id == f"{OLD_SITE}/?p=4"
    assert sejong.summary.startswith("국토교통부는 세종 5-1 생활권")  # the excerpt
    # Sanitised, shortcodes gone, the inline script dropped with its text.
    assert "[caption" not in sejong.body
    assert "<script" not in sejong.body and "alert(" not in sejong.body
    assert "onclick" not in sejong.body
    assert "<h3>추진 일정</h3>" in sejong.body

    page = client.get(sejong.url)
    assert page.status_code == 200
    assert "세종 5-1 생활권 스마트시티 사업시행자 지정" in page.content.decode()

    bucheon = imported("부천시 공유주차 서비스로 불법주차 48% 줄어")
    assert bucheon.url.startswith("/news/policy-trend/")
    assert slugs(bucheon, "regions") == {"bucheon"}
    assert slugs(bucheon, "programmes") == {"city-challenge"}
    # No excerpt: the summary is the text's first sentence(s).
    assert bucheon.summary.startswith("부천시는 스마트시티 챌린지 사업으로")

    village = imported("Busan Eco Delta Smart Village welcomes its first residents")
    assert village.locale.language_code == "en"
    assert village.url == "/en/news/issue/busan-smart-village-residents/"
    assert slugs(village, "regions") == {"busan"}
    assert client.get(village.url).status_code == 200

    kcity = imported("K-City Network 2020 call draws 80 applications from 23 countries")
    assert kcity.url.startswith("/en/news/policy-project/")
    assert kcity.video_url == "https://www.youtube.com/watch?v=scis-fixture"

    # A post whose title was left empty takes its slug's words.
    untitled = imported("autonomous driving services 2024")
    assert untitled.live and untitled.date == dt.date(2024, 5, 2)

    # A WordPress page becomes a news item in the "special" section.
    about = imported("스마트도시 정보시스템 소개")
    assert about.url == "/news/special/about-scis/"


def test_drafts_stay_drafts_and_private_posts_are_drafts_too():
    run = run_import(WXR, "--no-download")
    assert (
        "kept as drafts, not live: 4 (draft 1, future 1, pending 1, private 1)"
        in run.out
    )
    for title in (
        "제4차 스마트도시 종합계획(2024~2028) 설명 자료 초안",  # draft
        "통합플랫폼 연계 지자체 29곳 추가",  # pending
        "2030 월드스마트시티엑스포 참가 기업 모집 예고",  # future
        "내부 검토: K-City Network 협력도시 후보",  # private
    ):
        page = imported(title)
        assert not page.live
        assert page.has_unpublished_changes
        assert page.latest_revision is not None  # editable in Wagtail
        assert page.latest_revision.as_object().title == title
    # Trash and the navigation menu are skipped with a reason.
    assert "in the WordPress trash: 1" in run.out
    assert "navigation menu item: 1" in run.out
    assert not NewsPage.objects.filter(title="잘못 올린 게시물").exists()


def test_old_permalinks_answer_with_301_to_the_new_page(client):
    run_import(WXR, "--no-download")
    sejong = imported("세종 5-1 생활권 스마트시티 사업시행자 지정")

    for old in ("/2024/03/28/sejong-5-1-operator/", "/2024/03/28/sejong-5-1-operator"):
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == sejong.url
    # Korean slugs, percent-encoded as WordPress wrote them.
    sandbox = imported("스마트도시 규제샌드박스 첫 심의에서 16건 승인")
    response = client.get(
        "/2020/09/10/%ec%8a%a4%eb%a7%88%ed%8a%b8%eb%8f%84%ec%8b%9c-%ea%b7%9c%ec%a0%9c"
        "%ec%83%8c%eb%93%9c%eb%b0%95%ec%8a%a4-%ec%b2%ab-%ec%8b%ac%ec%9d%98%ec%97%90"
        "%ec%84%9c-16%ea%b1%b4-%ec%8a%b9%ec%9d%b8/"
    )
    assert response.status_code == 301
    assert response["Location"] == sandbox.url
    # The attachment page of a post leads to the post.
    response = client.get(
        "/2021/12/20/busan-smart-village-residents/smart-village-homes/"
    )
    assert response["Location"] == "/en/news/issue/busan-smart-village-residents/"
    # Plain links by post id (the GUIDs), even with a tracking parameter.
    response = client.get("/?p=7&utm_source=newsletter")
    assert response.status_code == 301
    assert (
        response["Location"]
        == imported("부천시 공유주차 서비스로 불법주차 48% 줄어").url
    )
    assert client.get("/?page_id=23")["Location"] == "/news/special/about-scis/"
    # Drafts were never public: their old links get no redirect.
    assert client.get("/?p=11").status_code == 200  # the home page
    assert not Redirect.objects.filter(old_path="/?p=11").exists()


def test_rerun_changes_nothing_and_duplicates_nothing():
    first = run_import(WXR, "--no-download")
    assert first.summary == FIRST_RUN
    pages, redirects = Page.objects.count(), Redirect.objects.count()
    revisions = imported("세종 5-1 생활권 스마트시티 사업시행자 지정").revisions.count()

    again = run_import(WXR, "--no-download")
    assert again.error is None
    assert again.summary == "created=0 updated=0 skipped=14"
    assert "unchanged since the last import: 12" in again.out
    assert Page.objects.count() == pages
    assert Redirect.objects.count() == redirects
    assert ImportedPost.objects.count() == 12
    assert (
        imported("세종 5-1 생활권 스마트시티 사업시행자 지정").revisions.count()
        == revisions
    )


def test_an_edited_post_is_updated_with_a_new_revision(wxr_copy, client):
    run_import(WXR, "--no-download")
    old = imported("부천시 공유주차 서비스로 불법주차 48% 줄어")
    revisions = old.revisions.count()
    pages = Page.objects.count()

    edited = wxr_copy(
        {
            "부천시 공유주차 서비스로 불법주차 48% 줄어": "부천시 공유주차로 불법주차 절반 가까이 줄어",
            # The draft was published in WordPress meanwhile.
            "<wp:status><![CDATA[draft]]></wp:status>": "<wp:status><![CDATA[publish]]></wp:status>",
        }
    )
    run = run_import(edited, "--no-download")
    assert run.summary == "created=0 updated=2 skipped=12"
    assert Page.objects.count() == pages

    page = NewsPage.objects.get(pk=old.pk)
    assert page.title == "부천시 공유주차로 불법주차 절반 가까이 줄어"
    assert page.live
    assert page.revisions.count() == revisions + 1
    assert page.url == old.url  # readers' links keep working
    assert "절반 가까이" in client.get(page.url).content.decode()

    plan = imported("제4차 스마트도시 종합계획(2024~2028) 설명 자료 초안")
    assert plan.live


def test_language_can_be_forced_for_a_one_language_export():
    run = run_import(WXR, "--no-download", "--language", "en")
    assert run.error is None
    sejong = imported("세종 5-1 생활권 스마트시티 사업시행자 지정")
    assert sejong.locale.language_code == "en"
    assert sejong.url.startswith("/en/news/issue/")
    assert "created: 12, updated: 0 (en 12)" in run.out


def test_unmapped_categories_and_tags_are_reported_with_counts(tmp_path):
    run = run_import(WXR, "--no-download")
    assert "unmapped categories and tags (add them to the mapping file): 2" in run.out
    assert "category '지난 소식 모음' [newsletter-archive]: 1 post" in run.out
    assert "tag '뉴스레터': 1 post" in run.out
    assert "정책홍보팀 (press): 9 (not in the mapping)" in run.out
    # The post is still imported, filed under the default section.
    assert imported("스마트시티 뉴스레터 제49호 발행").section == "issue"


def test_an_editors_mapping_files_unmapped_terms(tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "default_section: policy-trend\n"
        "pages: skip\n"
        "terms:\n"
        "  지난 소식 모음: {section: special}\n"
        "  뉴스레터: ignore\n"
        "  스마트도시 이슈: {section: issue}\n"
        "authors:\n"
        "  press: {organisations: [molit]}\n",
        encoding="utf-8",
    )
    run = run_import(WXR, "--no-download", "--mapping", mapping)
    assert run.error is None
    assert "지난 소식 모음" not in run.out
    newsletter = imported("스마트시티 뉴스레터 제49호 발행")
    assert newsletter.section == "special"
    assert slugs(newsletter, "organisations") == {"molit"}
    assert "WordPress page (mapping: pages: skip): 1" in run.out
    assert not NewsPage.objects.filter(title="스마트도시 정보시스템 소개").exists()


def test_a_mapping_with_unknown_slugs_is_refused_before_anything_is_written(tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("terms:\n  세종: {regions: [atlantis]}\n", encoding="utf-8")
    pages = Page.objects.count()
    run = run_import(WXR, "--no-download", "--mapping", mapping)
    assert run.error is not None
    assert "no region with slug 'atlantis'" in str(run.error)
    assert Page.objects.count() == pages


def test_dry_run_reports_and_saves_nothing():
    pages, redirects = Page.objects.count(), Redirect.objects.count()
    run = run_import(WXR, "--dry-run")
    assert run.error is None
    assert "dry run, nothing was saved" in run.out
    assert run.summary == FIRST_RUN
    assert Page.objects.count() == pages
    assert Redirect.objects.count() == redirects
    assert not ImportedPost.objects.exists()


def test_the_summary_line_is_the_last_line_of_output():
    run = run_import(WXR, "--no-download")
    assert run.lines[-1] == FIRST_RUN
    assert sum(line.startswith("created=") for line in run.lines) == 1


def test_imported_posts_are_found_by_search_with_their_provenance(
    client, django_capture_on_commit_callbacks
):
    # The search index follows each committed batch through the task queue.
    with django_capture_on_commit_callbacks(execute=True):
        run_import(WXR, "--no-download")
    results = client.get("/api/v1/search/?q=공유주차&lang=ko").json()["results"]
    found = next(
        r for r in results if r["title"].startswith("부천시 공유주차 서비스로")
    )
    assert found["provenance"]["original_url"] == (
        f"{OLD_SITE}/2022/06/15/bucheon-shared-parking/"
    )
    assert found["provenance"]["source_id"] == f"{OLD_SITE}/?p=7"
    drafts = client.get("/api/v1/search/?q=종합계획 설명 자료 초안&lang=ko").json()
    assert not any("설명 자료 초안" in r["title"] for r in drafts["results"])
