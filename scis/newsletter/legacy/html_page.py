"""The HTML page of an old issue, as lines the issue reader understands.

WordPress served each issue as a page: headings or bold text for section
names and item titles, paragraphs (often inside a table layout) for date
lines and summaries, lists for event details, sometimes an image whose alt
text names the section. Each block becomes one line (a <br> splits it)
with the number of the source line it starts on, marked as a heading, a
list item or plain text, so the same reader handles both forms."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

TEXT, BLANK, HEADING, BULLET = "text", "blank", "heading", "bullet"

BLOCK_TAGS = {
    "address",
    "article",
    "blockquote",
    "body",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BOLD_TAGS = {"strong", "b"}
# Not the issue: what the page does not show, and the site's navigation,
# sidebars, forms and footer around it. Skipped with everything inside.
HIDDEN_TAGS = {
    "aside",
    "footer",
    "form",
    "head",
    "nav",
    "noscript",
    "script",
    "style",
    "template",
    "title",
}
_SPACE = re.compile(r"\s+")


@dataclass
class Line:
    """One line of an issue: its number in the file, its text, what it looks
    like (TEXT, BLANK, HEADING or BULLET), whether it starts a new block (a
    blank line or a new paragraph before it) and the links in it."""

    number: int
    text: str
    kind: str = TEXT
    starts_block: bool = True
    links: list[str] = field(default_factory=list)


class _Blocks(HTMLParser):
    def __init__(self, is_heading) -> None:
        super().__init__(convert_charrefs=True)
        self.is_heading = is_heading  # which image alt texts name a section
        self.lines: list[Line] = []
        self._parts: list[tuple[str, bool]] = []  # (text, in bold or heading)
        self._first_line = 0
        self._new_block = True
        self._links: list[str] = []
        self._alts: list[str] = []
        self._hidden = 0
        self._bold = 0
        self._heading = 0
        self._list_item = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_TAGS:
            self._hidden += 1
            return
        if tag == "br":
            self._flush(new_block=False)
            return
        if tag in BLOCK_TAGS:
            self._flush()
        if tag in HEADING_TAGS:
            self._heading += 1
        elif tag in BOLD_TAGS:
            self._bold += 1
        elif tag == "li":
            self._list_item += 1
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self._links.append(values["href"].strip())
        elif tag == "img" and (values.get("alt") or "").strip():
            self._alts.append(_SPACE.sub(" ", values["alt"]).strip())

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img", "hr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in HIDDEN_TAGS:
            self._hidden = max(self._hidden - 1, 0)
            return
        if tag in BLOCK_TAGS:
            self._flush()
        if tag in HEADING_TAGS:
            self._heading = max(self._heading - 1, 0)
        elif tag in BOLD_TAGS:
            self._bold = max(self._bold - 1, 0)
        elif tag == "li":
            self._list_item = max(self._list_item - 1, 0)

    def handle_data(self, data):
        if self._hidden:
            return
        if data.strip() and not any(text.strip() for text, _bold in self._parts):
            self._first_line = self.getpos()[0] + data[
                : len(data) - len(data.lstrip())
            ].count("\n")
        self._parts.append((data, bool(self._bold or self._heading)))

    def _flush(self, new_block: bool = True) -> None:
        text = _SPACE.sub(" ", "".join(text for text, _bold in self._parts)).strip()
        if text:
            shown = [(part, bold) for part, bold in self._parts if part.strip()]
            if self._heading or all(bold for _part, bold in shown):
                kind = HEADING
            elif self._list_item:
                kind = BULLET
            else:
                kind = TEXT
            self.lines.append(
                Line(
                    self._first_line,
                    text,
                    kind,
                    starts_block=self._new_block,
                    links=self._links,
                )
            )
            self._links = []
        else:
            # An image alone: its alt text counts when it names a section
            # (headings drawn as pictures); other pictures are decoration.
            named = [alt for alt in self._alts if self.is_heading(alt)]
            if named:
                line = self.getpos()[0]
                self.lines.append(Line(line, named[0], HEADING, links=self._links))
                self._links = []
            elif self._links and self.lines:
                # A linked picture (the video of the item above) belongs to
                # the line before it.
                self.lines[-1].links.extend(self._links)
                self._links = []
        self._parts = []
        self._alts = []
        self._new_block = new_block or (self._new_block and not text)


def html_lines(source: str, is_heading) -> list[Line]:
    """The visible lines of an HTML issue. `is_heading(text)` says whether an
    image's alt text names a section."""
    reader = _Blocks(is_heading)
    reader.feed(source)
    reader.close()
    reader._flush()
    return reader.lines


def looks_like_html(text: str) -> bool:
    """Whether a file holds an HTML page rather than plain text."""
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or bool(
        re.search(r"<(?:body|div|table|p|h[1-6])\b[^>]*>", head)
    )
