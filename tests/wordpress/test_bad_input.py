"""Broken exports get a clear error and lose nothing; a rerun with a good
file finishes the job without duplicates."""

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from scis.news.models import NewsPage
from scis.wordpress.models import ImportedPost

from .conftest import WXR, run_import

pytestmark = pytest.mark.django_db


def lines_of_fixture() -> list[str]:
    return WXR.read_text(encoding="utf-8").splitlines(keepends=True)


def test_a_truncated_export_names_the_line_and_a_rerun_completes_it(tmp_path):
    lines = lines_of_fixture()
    # Cut inside the newsletter post, as an interrupted download would.
    cut = (
        next(i for i, line in enumerate(lines) if "스마트시티 뉴스레터 제49호" in line)
        + 3
    )
    truncated = tmp_path / "truncated.xml"
    truncated.write_text("".join(lines[:cut]), encoding="utf-8")

    run = run_import(truncated, "--no-download")
    assert run.error is not None
    message = str(run.error)
    assert f"line {cut + 1}" in message or f"line {cut}" in message
    assert "Export the site again" in message
    # Everything before the break is in, whole; the summary still printed.
    assert run.summary == "created=7 updated=0 skipped=1"
    assert "STOPPED EARLY" in run.out
    assert NewsPage.objects.filter(
        title="부천시 공유주차 서비스로 불법주차 48% 줄어"
    ).exists()
    assert not NewsPage.objects.filter(title="스마트시티 뉴스레터 제49호 발행").exists()

    rerun = run_import(WXR, "--no-download")
    assert rerun.error is None
    assert rerun.summary == "created=5 updated=0 skipped=9"
    assert ImportedPost.objects.count() == 12
    assert (
        NewsPage.objects.filter(
            title="부천시 공유주차 서비스로 불법주차 48% 줄어"
        ).count()
        == 1
    )
    assert Redirect.objects.filter(old_path="/?p=7").count() == 1


def test_a_malformed_export_names_the_line(tmp_path):
    lines = lines_of_fixture()
    broken_at = next(
        i for i, line in enumerate(lines) if "<wp:post_id>18</wp:post_id>" in line
    )
    lines[broken_at] = lines[broken_at].replace("</wp:post_id>", "</wp:post_idd>")
    malformed = tmp_path / "malformed.xml"
    malformed.write_text("".join(lines), encoding="utf-8")
    pages = Page.objects.count()

    run = run_import(malformed, "--no-download")
    assert run.error is not None
    assert f"line {broken_at + 1}" in str(run.error)
    assert "not well-formed XML" in str(run.error)
    assert Page.objects.count() > pages  # the posts before it

    rerun = run_import(WXR, "--no-download")
    assert rerun.error is None
    assert ImportedPost.objects.count() == 12


def test_a_file_that_is_not_an_export_is_refused(tmp_path):
    html = tmp_path / "page.xml"
    html.write_text("<html><body>Not an export</body></html>", encoding="utf-8")
    run = run_import(html)
    assert run.error is not None
    assert "holds no WordPress items" in str(run.error)

    missing = run_import(tmp_path / "missing.xml")
    assert "no such file" in str(missing.error)


def test_a_post_with_an_impossible_date_is_skipped_and_the_rest_imported(wxr_copy):
    edited = wxr_copy(
        {
            "<wp:post_date><![CDATA[2022-06-15 14:30:00]]></wp:post_date>": (
                "<wp:post_date><![CDATA[2022-02-30 14:30:00]]></wp:post_date>"
            ),
            "<wp:post_date_gmt><![CDATA[2022-06-15 05:30:00]]></wp:post_date_gmt>": (
                "<wp:post_date_gmt><![CDATA[2022-02-30 05:30:00]]></wp:post_date_gmt>"
            ),
        }
    )
    run = run_import(edited, "--no-download")
    assert run.error is None
    assert "impossible date '2022-02-30 05:30:00': 1" in run.out
    assert run.summary == "created=11 updated=0 skipped=3"
    assert not NewsPage.objects.filter(title__startswith="부천시 공유주차").exists()


def test_a_bad_mapping_file_says_where(tmp_path):
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("terms:\n  세종: {regions: [sejong]\n", encoding="utf-8")
    run = run_import(WXR, "--mapping", mapping)
    assert run.error is not None
    assert "not valid YAML" in str(run.error)
    assert "line" in str(run.error)


def test_a_post_that_fails_to_save_does_not_take_the_others_with_it(monkeypatch):
    from scis.wordpress import writer

    real = writer.record_fields

    def failing(post):
        if post.title == "부천시 공유주차 서비스로 불법주차 48% 줄어":
            raise ValueError("disk full")
        return real(post)

    monkeypatch.setattr(writer, "record_fields", failing)
    run = run_import(WXR, "--no-download")
    assert run.error is None
    assert "failed: ValueError: disk full: 1" in run.out
    assert run.summary == "created=11 updated=0 skipped=3"
    assert not NewsPage.objects.filter(title__startswith="부천시 공유주차").exists()
    assert not Redirect.objects.filter(old_path="/?p=7").exists()

    monkeypatch.setattr(writer, "record_fields", real)
    rerun = run_import(WXR, "--no-download", "--batch-size", "1")
    assert rerun.summary == "created=1 updated=0 skipped=13"
    assert NewsPage.objects.filter(title__startswith="부천시 공유주차").count() == 1
