"""/oai: the OAI-PMH 2.0 endpoint. Every answer is XML built with lxml; a
protocol error is an <error> element in a 200 answer, as the protocol asks."""

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from . import repository
from .dublin_core import OAI_DC, SCHEMA, oai_dc
from .protocol import (
    METADATA_PREFIX,
    TOKEN_HOURS,
    ListRequest,
    OAIError,
    check_prefix,
    issue_token,
    list_request,
    read_arguments,
    resume,
)

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _element(parent, name: str, text=None, **attributes) -> etree._Element:
    element = etree.SubElement(parent, f"{{{OAI}}}{name}", attributes)
    if text is not None:
        element.text = str(text)
    return element


class Response:
    """One OAI-PMH answer being built."""

    def __init__(self, request):
        self.http = request
        self.base_url = request.build_absolute_uri(request.path)
        self.root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI})
        self.root.set(f"{{{XSI}}}schemaLocation", f"{OAI} {OAI_SCHEMA}")
        _element(self.root, "responseDate", repository.datestamp(timezone.now()))
        self.request_element = _element(self.root, "request", self.base_url)

    def echo(self, verb: str, arguments: dict[str, str]) -> None:
        """Repeat a valid request's arguments, as the protocol asks."""
        self.request_element.set("verb", verb)
        for name, value in arguments.items():
            self.request_element.set(name, value)

    def error(self, error: OAIError) -> None:
        _element(self.root, "error", error.message, code=error.code)

    def render(self) -> HttpResponse:
        body = etree.tostring(
            self.root, xml_declaration=True, encoding="UTF-8", pretty_print=True
        )
        return HttpResponse(body, content_type="text/xml; charset=utf-8")

    # -- answers ----------------------------------------------------------

    def identify(self) -> None:
        node = _element(self.root, "Identify")
        _element(node, "repositoryName", settings.OAI_REPOSITORY_NAME)
        _element(node, "baseURL", self.base_url)
        _element(node, "protocolVersion", "2.0")
        _element(node, "adminEmail", settings.OAI_ADMIN_EMAIL)
        _element(node, "earliestDatestamp", repository.datestamp(repository.earliest()))
        _element(node, "deletedRecord", "no")
        _element(node, "granularity", "YYYY-MM-DDThh:mm:ssZ")
        description = _element(node, "description")
        ns = "http://www.openarchives.org/OAI/2.0/oai-identifier"
        ident = etree.SubElement(
            description, f"{{{ns}}}oai-identifier", nsmap={None: ns}
        )
        ident.set(
            f"{{{XSI}}}schemaLocation",
            f"{ns} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd",
        )
        for name, value in (
            ("scheme", "oai"),
            ("repositoryIdentifier", repository.namespace()),
            ("delimiter", ":"),
            ("sampleIdentifier", repository.identifier(1234)),
        ):
            etree.SubElement(ident, f"{{{ns}}}{name}").text = value

    def list_metadata_formats(self, arguments: dict[str, str]) -> None:
        if "identifier" in arguments:
            self._page(arguments["identifier"])  # idDoesNotExist if unknown
        node = _element(self.root, "ListMetadataFormats")
        fmt = _element(node, "metadataFormat")
        _element(fmt, "metadataPrefix", METADATA_PREFIX)
        _element(fmt, "schema", SCHEMA)
        _element(fmt, "metadataNamespace", OAI_DC)

    def list_sets(self) -> None:
        node = _element(self.root, "ListSets")
        for spec, name_ko, name_en in repository.all_sets():
            entry = _element(node, "set")
            _element(entry, "setSpec", spec)
            _element(entry, "setName", f"{name_ko} / {name_en}")

    def get_record(self, arguments: dict[str, str]) -> None:
        page = self._page(arguments["identifier"])
        node = _element(self.root, "GetRecord")
        self._record(node, page, repository.translations([page])[page.pk])

    def list_items(self, verb: str, arguments: dict[str, str]) -> None:
        if "resumptionToken" in arguments:
            wanted = resume(verb, arguments["resumptionToken"])
        else:
            wanted = list_request(verb, arguments)
        matching = self._matching(wanted)
        total = matching.count()
        rows = list(
            self._after(matching, wanted)
            .order_by("last_published_at", "pk")
            .values_list("pk", "last_published_at")[: settings.OAI_PAGE_SIZE + 1]
        )
        if not rows:
            raise OAIError(
                "noRecordsMatch", "No record matches these arguments: widen them."
            )
        more = len(rows) > settings.OAI_PAGE_SIZE
        rows = rows[: settings.OAI_PAGE_SIZE]
        pages = repository.load([pk for pk, _stamp in rows])
        shown = [pages[pk] for pk, _stamp in rows if pk in pages]
        node = _element(self.root, verb)
        if verb == "ListRecords":
            others = repository.translations(shown)
            for page in shown:
                self._record(node, page, others[page.pk])
        else:
            for page in shown:
                self._header(node, page)
        sent = wanted.cursor + len(rows)
        token = _element(
            node,
            "resumptionToken",
            completeListSize=str(total),
            cursor=str(wanted.cursor),
        )
        if more:
            last_id, last_stamp = rows[-1]
            token.text = issue_token(wanted, last_stamp.isoformat(), last_id, sent)
            expiry = timezone.now() + dt.timedelta(hours=TOKEN_HOURS)
            token.set("expirationDate", repository.datestamp(expiry))
        elif not wanted.after:
            node.remove(token)  # a complete list in one answer needs none

    # -- parts ------------------------------------------------------------

    def _page(self, value: str):
        page_id = repository.page_id_of(value)
        if page_id is not None and repository.items().filter(pk=page_id).exists():
            page = repository.load([page_id]).get(page_id)
            if page is not None:
                return page
        raise OAIError(
            "idDoesNotExist",
            f"No record is identified as “{value[:80]}”; identifiers look like "
            f"{repository.identifier(1234)}.",
        )

    def _matching(self, wanted: ListRequest):
        matching = repository.in_set(repository.items(), wanted.set_spec)
        if wanted.start:
            matching = matching.filter(last_published_at__gte=wanted.start)
        if wanted.end:
            matching = matching.filter(last_published_at__lt=wanted.end)
        return matching

    def _after(self, matching, wanted: ListRequest):
        if not wanted.after:
            return matching
        stamp = dt.datetime.fromisoformat(wanted.after[0])
        return matching.filter(
            Q(last_published_at__gt=stamp)
            | Q(last_published_at=stamp, pk__gt=wanted.after[1])
        )

    def _header(self, parent, page) -> None:
        header = _element(parent, "header")
        _element(header, "identifier", repository.identifier(page.pk))
        _element(header, "datestamp", repository.datestamp(page.last_published_at))
        for spec in repository.set_specs(page):
            _element(header, "setSpec", spec)

    def _record(self, parent, page, translations: list) -> None:
        record = _element(parent, "record")
        self._header(record, page)
        metadata = _element(record, "metadata")
        absolute = self.http.build_absolute_uri
        metadata.append(
            oai_dc(
                page,
                absolute(page.get_url(self.http)),
                absolute(f"/id/{page.pk}/"),
                [absolute(other.get_url(self.http)) for other in translations],
            )
        )


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request):
    params = request.POST if request.method == "POST" else request.GET
    response = Response(request)
    try:
        verb, arguments = read_arguments(params)
        check_prefix(arguments)
        response.echo(verb, arguments)
        if verb == "Identify":
            response.identify()
        elif verb == "ListMetadataFormats":
            response.list_metadata_formats(arguments)
        elif verb == "ListSets":
            if "resumptionToken" in arguments:
                raise OAIError(
                    "badResumptionToken", "ListSets answers in one response."
                )
            response.list_sets()
        elif verb == "GetRecord":
            response.get_record(arguments)
        else:
            response.list_items(verb, arguments)
    except OAIError as error:
        if error.code in ("badVerb", "badArgument"):
            # The request element then carries no attributes.
            response.request_element.attrib.clear()
        response.error(error)
    return response.render()
