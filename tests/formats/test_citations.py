"""Citations of literature records, read back with the parsers reference
tools use: bibtexparser for BibTeX, rispy for RIS, json for CSL-JSON."""

import json
import re

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import (
    LatexDecodingMiddleware,
    SeparateCoAuthors,
    SplitNameParts,
)

from scis.events.models import EventPage
from scis.library.models import DocumentPage, LiteratureAuthor, LiteraturePage
from scis.news.models import NewsPage
from tests.factories import LiteraturePageFactory

MEDIA_TYPES = {
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "json": "application/vnd.citationstyles.csl+json",
}
TITLE = "교통 & 에너지: 50% 절감 {실증} 연구"
AUTHORS = ["김도시", "Kim, Dosi", "Dosi Kim", "국토연구원"]


def _record(**values) -> LiteraturePage:
    values.setdefault("title", TITLE)
    values.setdefault("venue", "Sustainability (MDPI)")
    values.setdefault("doi", "https://doi.org/10.3390/su_1234")
    values.setdefault("external_url", "https://www.mdpi.com/")
    values.setdefault("keywords", "스마트도시, 데이터 허브")
    values.setdefault("body", "<p>첫 문단입니다.</p><p>둘째 문단입니다.</p>")
    names = values.pop("authors", AUTHORS)
    return LiteraturePageFactory(
        authors=[LiteratureAuthor(name=name) for name in names], **values
    )


def _get(client, page_id: int, extension: str, query: str = "") -> str:
    response = client.get(f"/id/{page_id}/cite.{extension}{query}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == MEDIA_TYPES[extension]
    return response.content.decode("utf-8")


def _bibtex_entry(text: str, decode: bool = True):
    middleware = [SeparateCoAuthors(), SplitNameParts()]
    if decode:
        middleware.append(LatexDecodingMiddleware())
    library = bibtexparser.parse_string(text, append_middleware=middleware)
    assert not library.failed_blocks
    (entry,) = library.entries
    return entry


def _demo(slug: str, language: str = "ko") -> LiteraturePage:
    return LiteraturePage.objects.live().get(slug=slug, locale__language_code=language)


@pytest.mark.django_db
def test_bibtex_entry_reads_back_with_names_split_and_korean_intact(client):
    page = _record()
    text = _get(client, page.pk, "bib")
    assert "교통" in text and r"50\%" in text and r"\&" in text  # UTF-8, escaped
    entry = _bibtex_entry(text)

    assert entry.entry_type == "article"
    assert entry["title"] == TITLE
    assert entry["journal"] == "Sustainability"
    assert entry["publisher"] == "MDPI"
    assert entry["year"] == str(page.year)
    names = [(n.last, n.first) for n in entry["author"]]
    assert names == [
        (["김"], ["도시"]),
        (["Kim"], ["Dosi"]),
        (["Kim"], ["Dosi"]),
        (["{국토연구원}"], []),  # braced: BibTeX keeps an organisation whole
    ]
    raw = _bibtex_entry(text, decode=False)
    assert raw["doi"] == "10.3390/su_1234"
    assert raw["url"] == "https://www.mdpi.com/"


@pytest.mark.django_db
def test_citation_key_is_stable_and_names_one_record(client):
    page = _record()
    keys = {_bibtex_entry(_get(client, page.pk, "bib")).key for _ in range(2)}
    other = _demo("2018-national-pilot-smart-city-spatial-planning")
    assert len(keys) == 1
    assert keys != {_bibtex_entry(_get(client, other.pk, "bib")).key}
    (item,) = json.loads(_get(client, page.pk, "json"))
    assert {item["id"]} == keys  # the same key in CSL-JSON


@pytest.mark.django_db
def test_report_and_undescribed_works_get_their_own_types(client):
    report = _demo("2018-national-pilot-smart-city-spatial-planning")
    entry = _bibtex_entry(_get(client, report.pk, "bib"))
    assert entry.entry_type == "techreport"
    assert entry["institution"] == "국토연구원"
    assert entry["type"] == "국토정책 Brief"
    assert rispy.loads(_get(client, report.pk, "ris"))[0]["type_of_reference"] == "RPRT"
    assert json.loads(_get(client, report.pk, "json"))[0]["type"] == "report"

    undescribed = _record(venue="", doi="")
    assert _bibtex_entry(_get(client, undescribed.pk, "bib")).entry_type == "misc"
    (ris,) = rispy.loads(_get(client, undescribed.pk, "ris"))
    assert ris["type_of_reference"] == "GEN"


@pytest.mark.django_db
def test_ris_record_reads_back(client):
    page = _record()
    text = _get(client, page.pk, "ris")
    for line in filter(None, text.splitlines()):
        assert re.match(r"^[A-Z][A-Z0-9]  - ", line), f"not an RIS line: {line!r}"
    (record,) = rispy.loads(text)

    assert record["type_of_reference"] == "JOUR"
    assert record["title"] == TITLE
    assert record["authors"] == ["김, 도시", "Kim, Dosi", "Kim, Dosi", "국토연구원"]
    assert record["secondary_title"] == "Sustainability"
    assert record["publisher"] == "MDPI"
    assert record["year"] == str(page.year)
    assert record["doi"] == "10.3390/su_1234"
    assert record["urls"] == [
        "https://www.mdpi.com/",
        f"http://testserver/id/{page.pk}/",
    ]
    assert record["language"] == "ko"
    assert record["keywords"] == ["스마트도시", "데이터 허브"]
    assert record["abstract"] == "첫 문단입니다. 둘째 문단입니다."


@pytest.mark.django_db
def test_csl_json_item_reads_back(client):
    page = _record()
    items = json.loads(_get(client, page.pk, "json"))
    assert isinstance(items, list) and len(items) == 1
    (item,) = items

    assert item["type"] == "article-journal"
    assert item["title"] == TITLE
    assert item["author"] == [
        {"family": "김", "given": "도시"},
        {"family": "Kim", "given": "Dosi"},
        {"family": "Kim", "given": "Dosi"},
        {"literal": "국토연구원"},
    ]
    assert item["issued"] == {"date-parts": [[page.year]]}
    assert item["container-title"] == "Sustainability"
    assert item["DOI"] == "10.3390/su_1234"
    assert item["URL"] == "https://www.mdpi.com/"
    assert item["language"] == "ko"
    assert item["abstract"] == "첫 문단입니다.\n\n둘째 문단입니다."
    assert item["keyword"] == "스마트도시, 데이터 허브"


@pytest.mark.django_db
def test_no_doi_is_invented_when_none_is_known(client):
    page = _record(doi="", external_url="")
    assert "doi" not in _bibtex_entry(_get(client, page.pk, "bib")).fields_dict
    assert "doi" not in rispy.loads(_get(client, page.pk, "ris"))[0]
    (item,) = json.loads(_get(client, page.pk, "json"))
    assert "DOI" not in item
    assert item["URL"] == f"http://testserver/id/{page.pk}/"  # the record itself


@pytest.mark.django_db
def test_english_request_gives_the_english_citation(client):
    korean = _demo("2018-national-pilot-smart-city-spatial-planning")
    english = _demo("2018-national-pilot-smart-city-spatial-planning", "en")
    english_names = [author.name for author in english.authors.all()]
    assert english_names[0] == "Kim Do-yun"  # as the demo archive prints it
    for page_id, query in ((english.pk, ""), (korean.pk, "?lang=en")):
        response = client.get(f"/id/{page_id}/cite.json{query}")
        assert response["Content-Language"] == "en"
        (item,) = json.loads(response.content)
        assert item["title"] == english.title
        assert item["language"] == "en"
        assert item["author"][0] == {"family": "Kim", "given": "Do-yun"}
        entry = _bibtex_entry(_get(client, page_id, "bib", query))
        assert entry["title"] == english.title


@pytest.mark.django_db
def test_given_name_first_english_names_are_split_at_the_family_name(client):
    page = _record(authors=["Seong Choi", "Kooksik Jeong", "Min Yun-hong"])
    (item,) = json.loads(_get(client, page.pk, "json"))
    assert item["author"] == [
        {"family": "Choi", "given": "Seong"},
        {"family": "Jeong", "given": "Kooksik"},
        {"family": "Min", "given": "Yun-hong"},
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("extension", sorted(MEDIA_TYPES))
def test_files_are_named_after_the_record(client, extension):
    page = _record(slug="named-record")
    response = client.get(f"/id/{page.pk}/cite.{extension}")
    assert response["Content-Type"] == MEDIA_TYPES[extension]
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="named-record.{extension}"'
    )


@pytest.mark.django_db
def test_drafts_other_record_types_and_unknown_ids_are_not_found(client):
    withdrawn = _record(title="철회한 문헌")
    withdrawn.unpublish()
    others = [
        EventPage.objects.live().first().pk,
        DocumentPage.objects.live().first().pk,
        999999,
    ]
    for page_id in (withdrawn.pk, *others):
        for extension in MEDIA_TYPES:
            response = client.get(f"/id/{page_id}/cite.{extension}")
            assert response.status_code == 404
            assert f"번호 {page_id}에 해당하는 공개된 문헌이 없습니다" in response.text


@pytest.mark.django_db
def test_literature_page_offers_the_three_citation_files(client):
    for language in ("ko", "en"):
        page = _demo("2018-national-pilot-smart-city-spatial-planning", language)
        html = client.get(page.url).text
        cite = html.split('id="cite-heading"')[1].split("</section>")[0]
        links = re.findall(
            r'<a href="([^"]+)" type="([^"]+)" download>([^<]+)</a>', cite
        )
        assert [text for _url, _type, text in links] == [
            "BibTeX (.bib)",
            "RIS (.ris)",
            "CSL-JSON (.json)",
        ]
        for url, media_type, _text in links:
            assert url.startswith(f"/id/{page.pk}/cite.")
            response = client.get(url)
            assert response.status_code == 200
            assert response["Content-Type"].split(";")[0] == media_type


@pytest.mark.django_db
def test_other_records_show_no_citation_files(client):
    page = NewsPage.objects.live().filter(locale__language_code="ko").first()
    assert "cite.bib" not in client.get(page.url).text
