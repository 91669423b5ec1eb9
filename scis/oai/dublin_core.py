"""Simple Dublin Core (oai_dc) for a literature record or a document."""

from lxml import etree

from scis.core.plain_text import one_line, rich_text_to_plain
from scis.library.models import LiteraturePage

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
RIGHTS = {
    "ko": "출처를 밝히면 자유롭게 이용할 수 있습니다.",
    "en": "May be reused with attribution.",
}


def _names(terms, language: str) -> list[str]:
    return [
        (term.name_en or term.name_ko)
        if language == "en"
        else (term.name_ko or term.name_en)
        for term in terms
    ]


def oai_dc(
    page, page_url: str, permalink: str, translation_urls: list[str]
) -> etree._Element:
    """The <oai_dc:dc> element describing `page` (a specific page)."""
    language = page.locale.language_code
    root = etree.Element(
        f"{{{OAI_DC}}}dc",
        nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI},
    )
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} {SCHEMA}")

    def add(name: str, value, lang: bool = False) -> None:
        value = str(value or "").strip()
        if value:
            element = etree.SubElement(root, f"{{{DC}}}{name}")
            element.text = value
            if lang:
                element.set(XML_LANG, language)

    literature = isinstance(page, LiteraturePage)
    add("title", page.title, lang=True)
    if literature:
        for author in page.authors.all():
            add("creator", author.name)
    organisations = _names(page.organisations.all(), language)
    if not literature:
        for name in organisations:
            add("creator", name)
    for name in _names([*page.topics.all(), *page.programmes.all()], language):
        add("subject", name, lang=True)
    if literature:
        for keyword in page.keyword_list:
            add("subject", keyword, lang=True)
    add("description", one_line(page.summary), lang=True)
    body = rich_text_to_plain(page.body)
    if body and body != page.summary:
        add("description", body, lang=True)
    if literature:
        add("publisher", page.venue)
    else:
        for name in organisations:
            add("publisher", name)
    add("date", page.date.isoformat())
    add("type", "Text")
    add("type", "article" if literature else getattr(page, "kind", "document"))
    add("format", "text/html")
    attachment = page.pdf if literature else page.file
    if attachment is not None:
        add("format", "application/pdf")
    add("identifier", page_url)
    add("identifier", permalink)
    if literature and page.doi:
        add("identifier", f"https://doi.org/{page.doi}")
    add("language", language)
    for url in translation_urls:
        add("relation", url)
    if literature and page.external_url:
        add("relation", page.external_url)
    add("source", page.original_url)
    for name in _names(page.regions.all(), language):
        add("coverage", name, lang=True)
    add("rights", RIGHTS.get(language, RIGHTS["en"]), lang=True)
    return root
