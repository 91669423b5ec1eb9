"""Rich text as plain text for formats that cannot carry HTML (calendar
descriptions, citation abstracts), keeping paragraphs apart."""

import html
import re

from django.utils.html import strip_tags

_BLOCK_END = re.compile(r"</(p|h[1-6]|blockquote|pre|div|ul|ol)\s*>", re.IGNORECASE)
_LINE_END = re.compile(r"<br\s*/?>|</li\s*>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<li(\s[^>]*)?>", re.IGNORECASE)
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def rich_text_to_plain(value: str) -> str:
    """Plain text of a rich text value: blocks become paragraphs separated by
    a blank line, list items lines starting with "- ", entities decoded."""
    if not value:
        return ""
    text = _BLOCK_END.sub("\n\n", value)
    text = _LINE_END.sub("\n", text)
    text = _LIST_ITEM.sub("- ", text)
    text = html.unescape(strip_tags(text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def one_line(value: str) -> str:
    """Text on a single line, for formats whose values end at a line break."""
    return " ".join(value.split())
