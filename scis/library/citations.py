"""Citations of literature records for reference managers: BibTeX, RIS and
CSL-JSON, built from one description of the work so the three agree.

What kind of work a record is follows from what is known of it: a venue
named as a brief, a report or a paper series (리포트, 보고서, "Policy
Brief") is a report from an institution; any other venue is a journal; no
venue at all makes a generic document. A venue written "Title (Publisher)"
names its publisher in the parentheses. Text stays in UTF-8 (Korean as
written); BibTeX escapes only the characters LaTeX reserves.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import bibtexparser
import rispy
from bibtexparser.library import Library
from bibtexparser.middlewares import (
    AddEnclosingMiddleware,
    MergeCoAuthors,
    MergeNameParts,
    NameParts,
)
from bibtexparser.model import Entry, Field
from django.urls import reverse
from django.utils import translation

from scis.core.plain_text import one_line, rich_text_to_plain

from .models import LiteraturePage
from .names import AuthorName, split_name

AbsoluteURL = Callable[[str], str]


class WorkKind(StrEnum):
    ARTICLE = "article"
    REPORT = "report"
    DOCUMENT = "document"


BIBTEX_TYPES = {
    WorkKind.ARTICLE: "article",
    WorkKind.REPORT: "techreport",
    WorkKind.DOCUMENT: "misc",
}
RIS_TYPES = {
    WorkKind.ARTICLE: "JOUR",
    WorkKind.REPORT: "RPRT",
    WorkKind.DOCUMENT: "GEN",
}
CSL_TYPES = {
    WorkKind.ARTICLE: "article-journal",
    WorkKind.REPORT: "report",
    WorkKind.DOCUMENT: "document",
}

_REPORT_VENUE = re.compile(
    r"\b(brief|report|working paper|white paper|policy paper|issue paper)\b"
    r"|리포트|보고서|브리프|백서|이슈페이퍼|워킹페이퍼",
    re.IGNORECASE,
)
_VENUE_WITH_PUBLISHER = re.compile(r"^(?P<title>.*\S)\s*\((?P<publisher>[^()]+)\)$")
_DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


@dataclass
class Citation:
    """What a reference manager needs to know of one literature record."""

    key: str
    kind: WorkKind
    title: str
    authors: list[AuthorName]
    year: int
    language: str
    container: str = ""  # the journal, or the report series
    publishers: list[str] = field(default_factory=list)  # or the institutions
    doi: str = ""
    url: str = ""
    permalink: str = ""
    pdf_url: str = ""
    abstract: str = ""
    keywords: list[str] = field(default_factory=list)


def citation_key(page: LiteraturePage) -> str:
    """The same key every time: it names the record's permanent id."""
    return f"scis-{page.pk}"


def normalise_doi(value: str) -> str:
    """A DOI without the resolver address or "doi:" in front (10.xxxx/…)."""
    return _DOI_PREFIX.sub("", value.strip())


def citation_for(page: LiteraturePage, absolute_url: AbsoluteURL) -> Citation:
    """Describe `page` once, in its own language, for every format."""
    venue = " ".join(page.venue.split())
    container, publishers = venue, []
    match = _VENUE_WITH_PUBLISHER.match(venue)
    if match:
        container, publishers = match["title"], [match["publisher"].strip()]
    if not venue:
        kind = WorkKind.DOCUMENT
    elif _REPORT_VENUE.search(venue):
        kind = WorkKind.REPORT
        if not publishers:
            with translation.override(page.locale.language_code):
                publishers = [org.name for org in page.organisations.all()]
    else:
        kind = WorkKind.ARTICLE
    permalink = absolute_url(reverse("permalink", args=[page.pk]))
    return Citation(
        key=citation_key(page),
        kind=kind,
        title=page.title,
        authors=[split_name(author.name) for author in page.authors.all()],
        year=page.year,
        language=page.locale.language_code,
        container=container,
        publishers=publishers,
        doi=normalise_doi(page.doi),
        url=page.external_url or permalink,
        permalink=permalink,
        pdf_url=absolute_url(page.pdf.url) if page.pdf else "",
        abstract=rich_text_to_plain(page.body) or page.summary.strip(),
        keywords=page.keyword_list,
    )


# --- BibTeX -----------------------------------------------------------------

_LATEX_SPECIAL = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)


def latex_escape(text: str) -> str:
    """Text safe in a BibTeX field; letters, Hangul included, stay UTF-8."""
    return one_line(text).translate(_LATEX_SPECIAL)


def _bibtex_name(name: AuthorName) -> NameParts:
    if name.is_literal:
        # Braces keep an organisation whole: BibTeX neither splits nor
        # abbreviates it, and "and" inside it does not start a new author.
        return NameParts(last=["{" + latex_escape(name.literal) + "}"])
    return NameParts(
        first=[latex_escape(name.given)] if name.given else [],
        last=[latex_escape(name.family)],
    )


def to_bibtex(citation: Citation) -> str:
    """One BibTeX entry (@article, @techreport or @misc)."""
    fields: list[tuple[str, object]] = []
    if citation.authors:
        fields.append(("author", [_bibtex_name(a) for a in citation.authors]))
    fields.append(("title", latex_escape(citation.title)))
    publishers = " and ".join(latex_escape(p) for p in citation.publishers)
    if citation.kind == WorkKind.ARTICLE:
        fields.append(("journal", latex_escape(citation.container)))
        if publishers:
            fields.append(("publisher", publishers))
    elif citation.kind == WorkKind.REPORT:
        fields.append(("institution", publishers or latex_escape(citation.container)))
        fields.append(("type", latex_escape(citation.container)))
    fields.append(("year", str(citation.year)))
    if citation.doi:
        fields.append(("doi", citation.doi))
    fields.append(("url", citation.url))
    fields.append(("language", citation.language))
    if citation.keywords:
        fields.append(("keywords", ", ".join(map(latex_escape, citation.keywords))))
    if citation.abstract:
        fields.append(("abstract", latex_escape(citation.abstract)))
    library = Library()
    library.add(
        Entry(
            BIBTEX_TYPES[citation.kind],
            citation.key,
            [Field(key, value) for key, value in fields],
        )
    )
    return bibtexparser.write_string(
        library,
        unparse_stack=[
            MergeNameParts(style="last"),
            MergeCoAuthors(),
            AddEnclosingMiddleware(
                reuse_previous_enclosing=False,
                enclose_integers=True,
                default_enclosing="{",
            ),
        ],
    )


# --- RIS --------------------------------------------------------------------


class _RisWriter(rispy.RisWriter):
    """RIS as reference managers write it: no numbered line before each TY."""

    def set_header(self, count: int) -> str:
        return ""


def _ris_name(name: AuthorName) -> str:
    if name.is_literal:
        return name.literal
    return f"{name.family}, {name.given}" if name.given else name.family


def to_ris(citation: Citation) -> str:
    """One RIS record (JOUR, RPRT or GEN); every value on one line."""
    record: dict[str, object] = {
        "type_of_reference": RIS_TYPES[citation.kind],
        "id": citation.key,
        "authors": [one_line(_ris_name(a)) for a in citation.authors],
        "title": one_line(citation.title),
    }
    if citation.kind == WorkKind.ARTICLE:
        record["secondary_title"] = one_line(citation.container)
    elif citation.kind == WorkKind.REPORT:
        record["tertiary_title"] = one_line(citation.container)
    if citation.publishers:
        record["publisher"] = one_line("; ".join(citation.publishers))
    record["year"] = str(citation.year)
    if citation.doi:
        record["doi"] = citation.doi
    record["urls"] = list(dict.fromkeys([citation.url, citation.permalink]))
    if citation.pdf_url:
        record["file_attachments1"] = citation.pdf_url
    record["language"] = citation.language
    if citation.keywords:
        record["keywords"] = [one_line(k) for k in citation.keywords]
    if citation.abstract:
        record["abstract"] = one_line(citation.abstract)
    return rispy.dumps([record], implementation=_RisWriter)


# --- CSL-JSON ---------------------------------------------------------------


def _csl_name(name: AuthorName) -> dict[str, str]:
    if name.is_literal:
        return {"literal": name.literal}
    return (
        {"family": name.family, "given": name.given}
        if name.given
        else {"family": name.family}
    )


def csl_item(citation: Citation) -> dict[str, object]:
    """One CSL item (Citation Style Language 1.0 data schema)."""
    item: dict[str, object] = {
        "id": citation.key,
        "type": CSL_TYPES[citation.kind],
        "title": citation.title,
        "author": [_csl_name(a) for a in citation.authors],
        "issued": {"date-parts": [[citation.year]]},
        "language": citation.language,
        "URL": citation.url,
    }
    if citation.kind == WorkKind.ARTICLE:
        item["container-title"] = citation.container
    elif citation.kind == WorkKind.REPORT:
        item["collection-title"] = citation.container
    if citation.publishers:
        item["publisher"] = "; ".join(citation.publishers)
    if citation.doi:
        item["DOI"] = citation.doi
    if citation.abstract:
        item["abstract"] = citation.abstract
    if citation.keywords:
        item["keyword"] = ", ".join(citation.keywords)
    return item


def to_csl_json(citation: Citation) -> str:
    """A CSL-JSON document: an array holding the one item."""
    return json.dumps([csl_item(citation)], ensure_ascii=False, indent=2) + "\n"
