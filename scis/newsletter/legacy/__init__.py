"""Reading one issue of the old portal's newsletter — the plain text editors
pasted or the HTML page WordPress served — into a plain structure: number,
date, language, and the sections in order with their items. No database
here: scis/newsletter/importer.py maps the result onto records.

The old issues were put together by hand, so the reader is forgiving about
layout (blank lines, headings, tables, image headings) and strict about
meaning: every line it cannot place is reported with its line number as
skipped, never dropped quietly, and a file with no issue number and date,
no sections, or that stops in the middle of an item is refused as a whole.

dates.py reads the old date forms, html_page.py turns an HTML page into lines,
items.py reads a section's items, issue.py the issue around them."""

from .dates import parse_date, parse_date_range
from .issue import (
    NEWS_SECTIONS,
    LegacyFormatError,
    ParsedIssue,
    decode,
    detect_language,
    parse_issue,
    parse_lines,
    parse_number_line,
    read_issue,
    section_key,
    text_lines,
)
from .items import Author, Item, Section, Skipped, parse_authors, parse_dateline

__all__ = [
    "NEWS_SECTIONS",
    "Author",
    "Item",
    "LegacyFormatError",
    "ParsedIssue",
    "Section",
    "Skipped",
    "decode",
    "detect_language",
    "parse_authors",
    "parse_date",
    "parse_date_range",
    "parse_dateline",
    "parse_issue",
    "parse_lines",
    "parse_number_line",
    "read_issue",
    "section_key",
    "text_lines",
]
