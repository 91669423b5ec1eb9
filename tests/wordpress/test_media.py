"""Attachments and featured images, fetched from a local server standing in
for the old WordPress site."""

import pytest
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from scis.news.models import NewsPage

from .conftest import run_import

pytestmark = pytest.mark.django_db


def page(title: str) -> NewsPage:
    return NewsPage.objects.get(title=title)


def test_uploads_are_downloaded_into_the_image_and_document_libraries(
    upload_server, wxr_on_server, client
):
    upload_server.put_fixture_files()
    images, documents = (
        get_image_model().objects.count(),
        get_document_model().objects.count(),
    )

    run = run_import(wxr_on_server, "--allow-private")
    assert run.error is None
    assert "attachments: downloaded 3 (images 2, documents 1)" in run.out
    assert get_image_model().objects.count() == images + 2
    assert get_document_model().objects.count() == documents + 1

    # The featured image, with the attachment's caption as the photo credit.
    sejong = page("세종 5-1 생활권 스마트시티 사업시행자 지정")
    assert sejong.image is not None
    assert sejong.image.width == 64
    assert sejong.image.description == "세종 5-1 생활권 조감도"  # alt text
    assert sejong.photo_credit == "사진: 행정중심복합도시건설청"
    # The inline picture (a resized copy) now shows the downloaded image.
    assert f'<embed embedtype="image" id="{sejong.image.pk}"' in sejong.body
    assert upload_server.url not in sejong.body
    html = client.get(sejong.url).content.decode()
    assert "/media/" in html and "smartcity.go.kr/wp-content" not in html

    # The PDF link points at the Wagtail document.
    sandbox = page("스마트도시 규제샌드박스 첫 심의에서 16건 승인")
    document = get_document_model().objects.get(title="규제샌드박스 첫 심의 결과")
    assert f'<a linktype="document" id="{document.pk}">' in sandbox.body
    assert document.url in client.get(sandbox.url).content.decode()

    # A rerun fetches nothing again.
    requests = len(upload_server.requests)
    again = run_import(wxr_on_server, "--allow-private")
    assert again.summary == "created=0 updated=0 skipped=14"
    assert len(upload_server.requests) == requests


def test_unreachable_uploads_stay_links_and_a_rerun_fetches_them_later(
    upload_server, wxr_on_server
):
    run = run_import(wxr_on_server, "--allow-private")  # the server has no files
    assert run.error is None
    assert "kept as links 3" in run.out
    assert "kept as a link, HTTP 404: 3" in run.out
    sejong = page("세종 5-1 생활권 스마트시티 사업시행자 지정")
    assert sejong.image is None
    assert (
        f'<a href="{upload_server.url}/wp-content/uploads/2024/03/sejong-5-1.png">'
        in (sejong.body)
    )
    sandbox = page("스마트도시 규제샌드박스 첫 심의에서 16건 승인")
    assert f"{upload_server.url}/wp-content/uploads/2020/09/sandbox-results.pdf" in (
        sandbox.body
    )

    # The files come back: the rerun downloads them and updates the posts.
    upload_server.put_fixture_files()
    again = run_import(wxr_on_server, "--allow-private")
    assert again.summary == "created=0 updated=3 skipped=11"
    assert page("세종 5-1 생활권 스마트시티 사업시행자 지정").image is not None


def test_loopback_and_private_addresses_are_refused_unless_allowed(
    upload_server, wxr_on_server
):
    upload_server.put_fixture_files()
    run = run_import(wxr_on_server)
    assert (
        "kept as a link, private or loopback address (use --allow-private): 3"
        in run.out
    )
    assert upload_server.requests == []


def test_no_download_keeps_the_old_addresses_as_links(upload_server, wxr_on_server):
    upload_server.put_fixture_files()
    run = run_import(wxr_on_server, "--no-download")
    assert "kept as links 3" in run.out
    assert upload_server.requests == []
