"""The items of one section of an old issue: news items (title, "date /
source organisation" line, summary), literature (title, abstract, authors
line) and events (title and a list of details). SectionReader reads a
section's lines into items and reports, with its line number, whatever it
cannot place."""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from .dates import parse_date, parse_date_range
from .html_page import BULLET, HEADING, Line

KEY_JUNK = re.compile(r"[\W_]+")
BULLET_MARK = re.compile(r"^[•·◦▪▫●○■□◆◇‣∙*\-–]\s*")
_DETAIL = re.compile(r"^(?P<key>[^:：]{1,30}?)\s*[:：]\s*(?P<value>.*)$")
_SEPARATOR = re.compile(r"\s*[/|｜]\s*")
_PHONE = re.compile(r"\s*/\s*(?P<phone>\+?\d[\d\s)(-]{6,}\d)\s*$")
_NAME_SPLIT = re.compile(r"\s*[,、·;]\s*|\s+and\s+|\s*&\s*")
# What the event detail keys of the old issues mean.
EVENT_KEYS = {
    "name": ("event name", "event", "name", "title", "행사명", "행사"),
    "when_where": (
        "date/location",
        "date/place",
        "date/venue",
        "date and location",
        "date and venue",
        "일시/장소",
        "일시·장소",
        "일시 및 장소",
    ),
    "when": ("date", "dates", "period", "일시", "기간", "일자"),
    "where": ("location", "venue", "place", "장소"),
    "topic": ("topic", "subject", "theme", "description", "주제", "내용"),
    "organiser": ("host", "hosted by", "organiser", "organizer", "주최", "주관"),
    "contact": ("contact", "inquiry", "inquiries", "문의"),
    "website": ("website", "homepage", "registration", "홈페이지", "신청"),
}
_EVENT_KEYS = {
    KEY_JUNK.sub("", name.casefold()): meaning
    for meaning, names in EVENT_KEYS.items()
    for name in names
}


@dataclass
class Author:
    name: str
    affiliation: str = ""


@dataclass
class Item:
    """One entry of a section. News items have a date and source organisation;
    literature has authors; events (the News section) a start and end."""

    section: str
    line: int
    title: str
    date: dt.date | None = None
    end_date: dt.date | None = None
    organisation: str = ""
    summary: str = ""
    authors: list[Author] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    event_name: str = ""
    venue: str = ""
    contact: str = ""
    stage: str = field(default="title", repr=False)  # how far the reader got


@dataclass
class Section:
    key: str
    heading: str
    line: int
    items: list[Item] = field(default_factory=list)


@dataclass
class Skipped:
    line: int
    reason: str
    text: str = ""

    def __str__(self) -> str:
        shown = f": {self.text[:70]!r}" if self.text else ""
        return f"line {self.line}: skipped: {self.reason}{shown}"


def fold(text: str) -> str:
    """NFKC (full-width digits and signs become ASCII), trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def parse_dateline(text: str) -> tuple[dt.date, str] | None:
    """A "date / source organisation" line, or a date alone."""
    value = fold(text)
    for separator in _SEPARATOR.finditer(value):
        date = parse_date(value[: separator.start()])
        if date is not None:
            return date, value[separator.end() :].strip()
    date = parse_date(value)
    return (date, "") if date else None


def _split_groups(text: str) -> list[str]:
    """Split an authors line at " / " outside parentheses."""
    groups, depth, current = [], 0, ""
    for char in text:
        depth += char in "(（"
        depth -= char in ")）"
        if char == "/" and depth == 0:
            groups.append(current)
            current = ""
        else:
            current += char
    return [*groups, current]


def parse_authors(text: str) -> list[Author] | None:
    """The authors of a literature item: "Name, Name (Affiliation) / Name
    (Affiliation)"; None when the line is not of that form."""
    authors = []
    for group in _split_groups(fold(text)):
        found = re.fullmatch(r"\s*([^()（）]+?)\s*[(（]([^()（）]+)[)）]\s*", group)
        if not found:
            return None
        for name in _NAME_SPLIT.split(found[1]):
            name = name.strip()
            # Names are short and have no digits; a sentence is not a name.
            if not name or len(name) > 40 or len(name.split()) > 4:
                return None
            if any(char.isdigit() for char in name):
                return None
            authors.append(Author(name, found[2].strip()))
    return authors or None


class SectionReader:
    """Reads the lines of one section into items. How an item starts
    depends on the layout: titles marked as headings (HTML) or titles after
    a blank line (plain text)."""

    def __init__(self, section: Section, marked: bool, fmt: str, skipped: list):
        self.section = section
        self.marked = marked
        self.fmt = fmt
        self.skipped = skipped
        self.item: Item | None = None
        self.incomplete: Item | None = None  # the last item, if it was cut short

    def skip(self, line: Line | int, reason: str, text: str = "") -> None:
        number = line.number if isinstance(line, Line) else line
        shown = text or (line.text if isinstance(line, Line) else "")
        self.skipped.append(Skipped(number, reason, shown))

    def start(self, line: Line) -> None:
        self.close()
        self.item = Item(self.section.key, line.number, line.text, links=line.links)

    def close(self) -> None:
        item, self.item = self.item, None
        if item is None:
            return
        missing = self.missing(item)
        if missing:
            self.incomplete = item
            self.skip(item.line, missing, item.title)
        else:
            self.incomplete = None
            item.summary = item.summary.strip()
            self.section.items.append(item)

    def missing(self, item: Item) -> str:
        if self.section.key == "literature":
            return "" if item.authors else "no authors line (Name, Name (Affiliation))"
        if self.section.key == "news":
            return "" if item.date else "no event date (Date: 2024.4.17 ~ 19)"
        return "" if item.date else "no date / source line under the title"

    def read(self, line: Line) -> None:
        if self.section.key == "literature":
            self._literature(line)
        elif self.section.key == "news":
            self._event(line)
        else:
            self._news(line)

    def _add_summary(self, line: Line) -> None:
        assert self.item is not None  # noqa: S101 — callers check
        joiner = "\n\n" if line.starts_block else " "
        self.item.summary = (
            f"{self.item.summary}{joiner}{line.text}"
            if self.item.summary
            else line.text
        )
        self.item.links += line.links
        self.item.stage = "summary"

    def _continue_title(self, line: Line) -> None:
        assert self.item is not None  # noqa: S101 — callers check
        self.item.title = f"{self.item.title} {line.text}"
        self.item.links += line.links

    def _note(self, line: Line) -> bool:
        """A "※ …" remark (photo credit, "go to video"): kept with the item."""
        if not line.text.startswith(("※", "*")) or line.kind == BULLET:
            return False
        if self.item is None:
            self.skip(line, "remark with no item above it")
        else:
            self.item.notes.append(line.text.lstrip("※* ").strip())
            self.item.links += line.links
        return True

    def _news(self, line: Line) -> None:
        item = self.item
        dated = parse_dateline(line.text)
        if dated is not None and len(line.text) < 200:
            if item is not None and item.date is None and item.stage == "title":
                item.date, item.organisation = dated
                item.stage = "dated"
            else:
                self.skip(line, "date / source line with no title above it")
            return
        if self._note(line):
            return
        if item is None or (self.marked and line.kind == HEADING):
            self.start(line)
        elif self.marked:
            if item.stage == "title":
                self.skip(line, "text between a title and its date / source line")
            else:
                self._add_summary(line)
        elif item.stage == "title":
            if line.starts_block:
                self.start(line)  # the item above had no date line
            else:
                self._continue_title(line)
        elif line.starts_block and (self.fmt == "text" or item.stage == "summary"):
            self.start(line)
        else:
            self._add_summary(line)

    def _literature(self, line: Line) -> None:
        item = self.item
        authors = parse_authors(line.text) if len(line.text) < 300 else None
        if authors:
            if item is not None and not item.authors and item.stage != "title":
                item.authors = authors
                item.stage = "authors"
            else:
                self.skip(line, "authors line with no title and abstract above it")
            return
        if self._note(line):
            return
        new = item is None or (self.marked and line.kind == HEADING)
        if new or (item is not None and item.stage == "authors"):
            self.start(line)
            return
        assert item is not None  # noqa: S101 — `new` covers None
        if item.stage == "title" and not line.starts_block:
            self._continue_title(line)
        else:
            self._add_summary(line)

    def _event(self, line: Line) -> None:
        item = self.item
        # Details are list items, or lines that start with a bullet sign.
        marked = BULLET_MARK.match(line.text) and _DETAIL.match(
            BULLET_MARK.sub("", line.text)
        )
        if line.kind == BULLET or marked:
            if item is None:
                self.skip(line, "event detail with no event title above it")
                return
            self._event_detail(item, line)
            return
        if self._note(line):
            return
        dated = parse_dateline(line.text)
        if dated is not None and item is not None and item.date is None:
            item.date, item.organisation = dated
            item.end_date = item.date
            item.stage = "details"
            return
        if item is None or line.kind == HEADING or item.stage == "details":
            self.start(line)
        elif item.stage == "title" and not line.starts_block:
            self._continue_title(line)
        else:
            self._add_summary(line)

    def _event_detail(self, item: Item, line: Line) -> None:
        text = BULLET_MARK.sub("", line.text).strip()
        item.links += line.links
        item.stage = "details"
        found = _DETAIL.match(text)
        meaning = (
            _EVENT_KEYS.get(KEY_JUNK.sub("", found["key"].casefold()))
            if found
            else None
        )
        if found is None or meaning is None:
            item.notes.append(text)
            return
        value = found["value"].strip()
        phone = _PHONE.search(value)
        if phone and meaning != "when_where":
            item.contact = item.contact or phone["phone"].strip()
            value = value[: phone.start()].strip()
        if meaning == "name":
            item.event_name = value
        elif meaning in ("when_where", "when"):
            when, where = value, ""
            if meaning == "when_where":
                parts = re.split(r"\s+/\s+", value, maxsplit=1)
                when, where = parts[0], parts[1] if len(parts) > 1 else ""
            span = parse_date_range(when)
            if span is None:
                self.skip(line, "event date in no known form")
            else:
                item.date, item.end_date = span
            item.venue = item.venue or where
        elif meaning == "where":
            item.venue = value
        elif meaning == "topic":
            item.summary = f"{item.summary}\n\n{value}" if item.summary else value
        elif meaning == "organiser":
            item.organisation = value
        elif meaning == "contact":
            item.contact = value
        elif meaning == "website":
            item.links.append(value)
