"""An OAI-PMH 2.0 repository (literature: theses, reports, articles), read
with ListRecords and followed through its resumptionTokens.

Each record becomes an Entry: guid = the OAI identifier; url = the first
dc:identifier that is an http(s) URL; title; dc:creator → authors;
dc:description → summary; dc:date → date; dc:language → language;
`updated` = the header's datestamp. A record whose header says
status="deleted" becomes an Entry with `extra={"deleted": True}` (and no
URL), so the pipeline can flag the item it had. Metadata formats other than
oai_dc are read by element name (title, creator, description, date, …).

The OAI error noRecordsMatch means "nothing (new)": an empty result. Any
other OAI error (badArgument, cannotDisseminateFormat, noSetHierarchy…)
raises GatherError with the repository's message. A later page that fails
(an expired resumptionToken) is recorded in `Gathered.errors` and the
records read so far are kept. `complete` is True only for a full harvest
(no `from`) that reached the last page.

Config keys (`source.config`):
- `metadata_prefix` (default "oai_dc"): the metadataPrefix to ask for.
- `set`: an OAI set spec, to harvest one collection only.
- `from`: a date (YYYY-MM-DD) for an incremental harvest: only records
  changed since then.
- `max_pages` (default 200): at most this many ListRecords pages per run.
- `fetch_pages` (default true): set it to false to make candidates from the
  metadata alone, without fetching each record's landing page.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from ..dates import parse_date
from ..fetching import FetchError, Response
from . import register
from .base import Entry, Gathered, GatherError, Harvester
from .sitemap import local_name, whole_number, xml_root

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
DEFAULT_MAX_PAGES = 200
_LANGUAGES = {"ko": "ko", "kor": "ko", "korean": "ko", "en": "en", "eng": "en"}


@register
class OaiHarvester(Harvester):
    """An OAI-PMH repository."""

    kind = "oai"
    accept = ("text/xml", "application/xml", "+xml")

    def gather(self) -> Gathered:
        """ListRecords from the start (or `from`), page by page."""
        prefix = str(self.config.get("metadata_prefix") or "oai_dc")
        params = {"verb": "ListRecords", "metadataPrefix": prefix}
        if self.config.get("set"):
            params["set"] = str(self.config["set"])
        if self.config.get("from"):
            params["from"] = str(self.config["from"])
        max_pages = whole_number(self.config, "max_pages", DEFAULT_MAX_PAGES)

        url = _request_url(self.source.url, params)
        response = self.fetcher.get(
            url,
            etag=self.source.etag,
            last_modified=self.source.last_modified,
            accept=self.accept,
        )
        gathered = Gathered(etag=response.etag, last_modified=response.last_modified)
        if response.not_modified:
            gathered.not_modified = True
            return gathered

        token = self._read_page(response, gathered)
        pages = 1
        tokens = set()
        while token:
            if token in tokens or pages >= max_pages:
                return gathered  # a repository looping, or a long one: a window
            tokens.add(token)
            pages += 1
            url = _request_url(
                self.source.url, {"verb": "ListRecords", "resumptionToken": token}
            )
            try:
                token = self._read_page(
                    self.fetcher.get(url, accept=self.accept), gathered
                )
            except (FetchError, GatherError) as exc:
                gathered.errors.append((url, str(exc)))
                return gathered
        gathered.complete = "from" not in params
        return gathered

    def _read_page(self, response: Response, gathered: Gathered) -> str:
        """Add one ListRecords answer's records; return its resumptionToken
        ("" on the last page)."""
        root = xml_root(response, "OAI-PMH answer", self.fetcher.max_bytes)
        if local_name(root) != "OAI-PMH":
            raise GatherError(
                f"{response.url} is XML but not an OAI-PMH answer (its root is "
                f"<{local_name(root)}>); check that the URL is the repository's "
                "OAI-PMH base URL (often ending in /oai or /oai/request)."
            )
        error = root.find(f"{{{OAI_NS}}}error")
        if error is not None:
            code = error.get("code", "")
            if code == "noRecordsMatch":
                return ""
            raise GatherError(
                f"The OAI-PMH repository at {self.source.url} answered "
                f"{code or 'an error'}: {(error.text or '').strip()}. "
                f"{_ADVICE.get(code, 'Check the source settings.')}"
            )
        listing = root.find(f"{{{OAI_NS}}}ListRecords")
        if listing is None:
            raise GatherError(
                f"{response.url} answered without ListRecords; check the "
                "repository's OAI-PMH base URL."
            )
        for record in listing.iterfind(f"{{{OAI_NS}}}record"):
            entry = _entry(record)
            if entry is not None:
                gathered.entries.append(entry)
        token = listing.find(f"{{{OAI_NS}}}resumptionToken")
        return (token.text or "").strip() if token is not None else ""


_ADVICE = {
    "cannotDisseminateFormat": (
        "Set `metadata_prefix` to a format it offers (ask it with "
        "?verb=ListMetadataFormats)."
    ),
    "badArgument": "Check `set` and `from` (a date as YYYY-MM-DD) in the settings.",
    "noSetHierarchy": "The repository has no sets: remove `set` from the settings.",
    "badResumptionToken": "The next run starts again from the first page.",
    "badVerb": "Check that the URL is the repository's OAI-PMH base URL.",
}


def _request_url(base: str, params: dict[str, str]) -> str:
    """The base URL with the OAI arguments as its query (any query the base
    URL has is replaced: OAI-PMH allows no other arguments)."""
    parts = urlsplit(base)
    return urlunsplit(parts._replace(query=urlencode(params), fragment=""))


def _entry(record: Any) -> Entry | None:
    header = record.find(f"{{{OAI_NS}}}header")
    if header is None:
        return None
    identifier = _child_text(header, "identifier")
    if not identifier:
        return None
    datestamp = _child_text(header, "datestamp")
    if header.get("status") == "deleted":
        return Entry(
            guid=identifier, url="", updated=datestamp, extra={"deleted": True}
        )
    metadata = record.find(f"{{{OAI_NS}}}metadata")
    fields = _fields(metadata) if metadata is not None else {}
    identifiers = fields.get("identifier", [])
    url = next(
        (
            value
            for value in identifiers
            if value.lower().startswith(("http://", "https://"))
        ),
        "",
    )
    languages = [
        _LANGUAGES.get(value.lower().split("-")[0], "")
        for value in fields.get("language", [])
    ]
    extra: dict[str, Any] = {}
    for name in ("subject", "type", "publisher"):
        if fields.get(name):
            extra[name] = fields[name]
    return Entry(
        guid=identifier,
        url=url,
        title=" ".join(fields.get("title", [])[:1]),
        date=next(
            (found for found in map(parse_date, fields.get("date", [])) if found), None
        ),
        summary="\n\n".join(fields.get("description", [])),
        authors=list(dict.fromkeys(fields.get("creator", []))),
        language=next((code for code in languages if code), ""),
        updated=datestamp,
        extra=extra,
    )


def _fields(metadata: Any) -> dict[str, list[str]]:
    """Every element with text in the record's metadata, by local name."""
    found: dict[str, list[str]] = {}
    for element in metadata.iter():
        name = local_name(element)
        text = " ".join((element.text or "").split())
        if name and text:
            found.setdefault(name, []).append(text)
    return found


def _child_text(node: Any, name: str) -> str:
    child = node.find(f"{{{OAI_NS}}}{name}")
    return (child.text or "").strip() if child is not None else ""
