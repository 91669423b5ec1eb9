"""OAI-PMH as a harvester meets it: a real client (oaipmh-scythe) harvesting
over HTTP from a server on 127.0.0.1, page after page of resumption tokens;
then selective harvesting, the record format and every error code."""

import datetime as dt
import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.test import override_settings
from django.utils import timezone
from lxml import etree
from oaipmh_scythe import Scythe
from oaipmh_scythe.exceptions import BadArgument, IdDoesNotExist, NoRecordsMatch
from wagtail.models import Page, PageViewRestriction

from scis.library.models import DocumentPage, LiteraturePage

pytestmark = pytest.mark.django_db

NS = {
    "o": "http://www.openarchives.org/OAI/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
}


class _Threaded(WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _ClosingApp:
    """The site, closing this thread's database connection after each request."""

    def __init__(self):
        self.app = get_wsgi_application()

    def __call__(self, environ, start_response):
        try:
            return self.app(environ, start_response)
        finally:
            connections.close_all()


@pytest.fixture
def oai_url(db):
    """The portal served on a loopback port; it sees the committed demo archive."""
    server = make_server(
        "127.0.0.1", 0, _ClosingApp(), server_class=_Threaded, handler_class=_Quiet
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/oai"
    server.shutdown()
    server.server_close()


def live_items():
    ids = set(LiteraturePage.objects.live().public().values_list("pk", flat=True))
    ids |= set(DocumentPage.objects.live().public().values_list("pk", flat=True))
    return ids


def number(identifier: str) -> int:
    return int(identifier.rsplit(":", 1)[1])


@override_settings(OAI_PAGE_SIZE=7)
def test_a_harvester_walks_every_record_through_resumption_tokens(oai_url):
    with Scythe(oai_url) as scythe:
        identify = scythe.identify()
        assert identify.protocolVersion == "2.0"
        assert identify.baseURL == oai_url
        assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
        records = list(scythe.list_records(metadata_prefix="oai_dc"))
        headers = list(scythe.list_identifiers(metadata_prefix="oai_dc"))

    expected = live_items()
    assert len(expected) > 14  # several pages of 7
    got = [number(r.header.identifier) for r in records]
    assert len(got) == len(set(got))
    assert set(got) == expected
    assert {number(h.identifier) for h in headers} == expected
    earliest = identify.earliestDatestamp
    assert all(r.header.datestamp >= earliest for r in records)

    sample = next(r for r in records if r.header.identifier.endswith(f":{max(got)}"))
    page = Page.objects.get(pk=max(got)).specific
    assert sample.metadata["title"] == [page.title]
    assert (
        f"http://127.0.0.1:{oai_url.split(':')[2].split('/')[0]}/id/{page.pk}/"
        in (sample.metadata["identifier"])
    )
    assert sample.metadata["language"] == [page.locale.language_code]


def test_harvesting_a_set_gives_only_its_members(oai_url):
    with Scythe(oai_url) as scythe:
        sets = {s.setSpec for s in scythe.list_sets()}
        assert {
            "type:literature",
            "type:document",
            "programme:national-pilot-city",
        } <= sets
        literature = list(scythe.list_identifiers(set_="type:literature"))
        pilot = list(scythe.list_records(set_="programme:national-pilot-city"))
    expected = set(LiteraturePage.objects.live().public().values_list("pk", flat=True))
    assert {number(h.identifier) for h in literature} == expected
    assert pilot
    for record in pilot:
        assert "programme:national-pilot-city" in record.header.setSpecs
    formats = [f.metadataPrefix for f in Scythe(oai_url).list_metadata_formats()]
    assert formats == ["oai_dc"]


def test_the_client_reports_protocol_errors(oai_url):
    with Scythe(oai_url) as scythe:
        with pytest.raises(IdDoesNotExist):
            scythe.get_record("oai:scis.go.kr:999999999")
        with pytest.raises(NoRecordsMatch):
            list(scythe.list_records(from_="2099-01-01"))
        with pytest.raises(BadArgument):
            list(scythe.list_records(from_="2024-13-45"))


# -- the protocol read directly (same database connection as the test) -----


def oai(client, method="get", **params):
    response = getattr(client, method)("/oai", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return etree.fromstring(response.content)


def error_code(root) -> str | None:
    return root.xpath("string(/o:OAI-PMH/o:error/@code)", namespaces=NS) or None


def identifiers(root) -> list[int]:
    return [
        number(text)
        for text in root.xpath("//o:header/o:identifier/text()", namespaces=NS)
    ]


@pytest.mark.parametrize(
    "params, code",
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "colour": "blue"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-1-1"},
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-01-01",
                "until": "2024-06-01T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-06-01",
                "until": "2024-01-01",
            },
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]},
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "colour:red"},
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"},
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "resumptionToken": "not-a-token"},
            "badResumptionToken",
        ),
        ({"verb": "ListSets", "resumptionToken": "x"}, "badResumptionToken"),
        (
            {"verb": "ListRecords", "metadataPrefix": "marc21"},
            "cannotDisseminateFormat",
        ),
        (
            {
                "verb": "GetRecord",
                "metadataPrefix": "oai_dc",
                "identifier": "oai:elsewhere:1",
            },
            "idDoesNotExist",
        ),
        (
            {"verb": "ListMetadataFormats", "identifier": "oai:scis.go.kr:0"},
            "idDoesNotExist",
        ),
        (
            {
                "verb": "ListIdentifiers",
                "metadataPrefix": "oai_dc",
                "from": "2099-01-01",
            },
            "noRecordsMatch",
        ),
        (
            {
                "verb": "ListIdentifiers",
                "metadataPrefix": "oai_dc",
                "set": "programme:atlantis",
            },
            "noRecordsMatch",
        ),
        ({"verb": "Identify", "x": "\x00"}, "badArgument"),
    ],
)
def test_every_error_code_with_a_message(client, params, code):
    root = oai(client, **params)
    assert error_code(root) == code
    assert root.xpath("string(/o:OAI-PMH/o:error)", namespaces=NS).strip()
    request = root.xpath("/o:OAI-PMH/o:request", namespaces=NS)[0]
    if code in ("badVerb", "badArgument"):
        assert not request.attrib
    assert request.text == "http://testserver/oai"


def test_a_token_for_one_verb_does_not_resume_another(client, settings):
    settings.OAI_PAGE_SIZE = 5
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.xpath("string(//o:resumptionToken)", namespaces=NS)
    assert token
    assert error_code(oai(client, verb="ListRecords", resumptionToken=token)) == (
        "badResumptionToken"
    )
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert error_code(
        oai(client, verb="ListIdentifiers", resumptionToken=tampered)
    ) == ("badResumptionToken")


def test_dates_select_by_when_a_record_last_changed(client):
    pages = list(LiteraturePage.objects.live().order_by("pk")[:3])
    stamps = [
        dt.datetime(2021, 5, 4, 9, 30, tzinfo=dt.UTC),
        dt.datetime(2022, 7, 1, 0, 0, 0, tzinfo=dt.UTC),
        dt.datetime(2022, 7, 1, 23, 59, 59, tzinfo=dt.UTC),
    ]
    Page.objects.exclude(pk__in=[p.pk for p in pages]).update(
        last_published_at=timezone.now()
    )
    for page, stamp in zip(pages, stamps, strict=True):
        Page.objects.filter(pk=page.pk).update(last_published_at=stamp)

    def listed(**dates):
        root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **dates)
        return set(identifiers(root))

    ids = [p.pk for p in pages]
    assert listed(until="2022-06-30") == {ids[0]}
    assert listed(**{"from": "2022-07-01", "until": "2022-07-01"}) == {ids[1], ids[2]}
    assert listed(
        **{"from": "2022-07-01T00:00:01Z", "until": "2022-07-01T23:59:59Z"}
    ) == {ids[2]}
    assert listed(until="2021-05-04T09:30:00Z") == {ids[0]}
    root = oai(client, verb="Identify")
    earliest = root.xpath("string(//o:earliestDatestamp)", namespaces=NS)
    assert earliest == "2021-05-04T09:30:00Z"


def test_drafts_and_private_records_are_never_harvested(client):
    withdrawn, private = LiteraturePage.objects.live().order_by("pk")[:2]
    withdrawn.unpublish()
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    root = oai(
        client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="type:literature"
    )
    listed = set(identifiers(root))
    assert listed and withdrawn.pk not in listed and private.pk not in listed
    for page in (withdrawn, private):
        root = oai(
            client,
            verb="GetRecord",
            metadataPrefix="oai_dc",
            identifier=f"oai:scis.go.kr:{page.pk}",
        )
        assert error_code(root) == "idDoesNotExist"


def test_get_record_by_post_gives_full_dublin_core(client):
    record = LiteraturePage.objects.live().filter(locale__language_code="ko").first()
    record.doi = "10.23000/scis.2024.001"
    record.save_revision().publish()
    root = oai(
        client,
        method="post",
        verb="GetRecord",
        metadataPrefix="oai_dc",
        identifier=f"oai:scis.go.kr:{record.pk}",
    )
    dc = root.xpath("//oai_dc:dc", namespaces=NS)[0]

    def values(name):
        return dc.xpath(f"dc:{name}/text()", namespaces=NS)

    assert values("title") == [record.title]
    assert dc.xpath("dc:title/@xml:lang", namespaces=NS) == ["ko"]
    assert values("creator") == [a.name for a in record.authors.all()]
    assert f"https://doi.org/{record.doi}" in values("identifier")
    assert f"http://testserver/id/{record.pk}/" in values("identifier")
    assert values("date") == [record.date.isoformat()]
    translation = record.translation_in("en")
    if translation is not None:
        assert f"http://testserver{translation.url}" in values("relation")
    header_sets = root.xpath("//o:header/o:setSpec/text()", namespaces=NS)
    assert "type:literature" in header_sets
