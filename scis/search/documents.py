"""What the index holds for one record: its text, split into weighted fields.

The text comes from each page model's own `search_fields` declaration (the
same declaration Wagtail's admin search reads), so a new record type is
searchable without touching this module. Fields land in columns ranked from
the title down: title, summary, body, meta (authors, venues, keywords,
taxonomy names in both languages) and other (the title and summary of the
record's translation, so a reader searching in the other language still finds
it).
"""

import html
import re
from dataclasses import dataclass

from django.utils.html import strip_tags
from wagtail.search import index

from scis.core.records import TAXONOMY_FIELDS

# The engines weigh columns in this order, most important first.
COLUMNS = ("title", "summary", "body", "meta", "other")
_FIELD_COLUMN = {
    "title": "title",
    "summary": "summary",
    "introduction": "summary",
    "body": "body",
    "extracted_text": "body",
}
# PDFs can be very long: past this, more text adds cost and little recall.
MAX_BODY_CHARS = 60_000
SNIPPET_TEXT_CHARS = 20_000
_SPACE = re.compile(r"\s+")


@dataclass
class DocumentText:
    title: str
    summary: str
    body: str
    meta: str
    other: str

    def column(self, name: str) -> str:
        return getattr(self, name)

    @property
    def shown(self) -> str:
        """The text snippets are cut from."""
        return (self.summary + "\n" + self.body)[:SNIPPET_TEXT_CHARS]


def plain(value) -> str:
    """Text of a field value: rich text loses its markup, lists are joined."""
    if value is None:
        return ""
    if hasattr(value, "all"):
        return " ".join(plain(item) for item in value.all())
    text = str(value)
    if "<" in text:
        text = html.unescape(strip_tags(text.replace("<", " <")))
    return _SPACE.sub(" ", text).strip()


def _field_texts(obj, fields) -> list[tuple[str, str]]:
    found = []
    for declared in fields:
        if isinstance(declared, index.SearchField):
            found.append(
                (declared.field_name, plain(getattr(obj, declared.field_name)))
            )
        elif isinstance(declared, index.RelatedFields):
            related = getattr(obj, declared.field_name)
            items = related.all() if hasattr(related, "all") else [related]
            for item in items:
                found += [
                    ("meta", text)
                    for _name, text in _field_texts(item, declared.fields)
                ]
    return found


def taxonomy_names(page) -> str:
    names = []
    for field in TAXONOMY_FIELDS:
        for term in getattr(page, field).all():
            names += [term.name_ko, term.name_en]
    return " ".join(names)


def document_text(page, translation=None) -> DocumentText:
    """The weighted text of a record page; `translation` is its counterpart
    in the other language, if any."""
    columns: dict[str, list[str]] = {name: [] for name in COLUMNS}
    for name, text in _field_texts(page, page.search_fields):
        if text:
            columns[_FIELD_COLUMN.get(name, "meta")].append(text)
    columns["meta"].append(taxonomy_names(page))
    # A record whose title leaves out what it is about (a definition titled
    # by its source) says so through `search_context`.
    context = getattr(page, "search_context", "")
    if context:
        columns["summary"].append(context)
    if translation is not None:
        columns["other"] += [translation.title, translation.summary]
    joined = {name: "\n".join(dict.fromkeys(parts)) for name, parts in columns.items()}
    joined["body"] = joined["body"][:MAX_BODY_CHARS]
    return DocumentText(**joined)
