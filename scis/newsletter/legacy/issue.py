"""An old issue as a whole: its number and date line, its section headings
in either language, its language, and the refusal of files that are no
complete issue."""

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .dates import parse_date
from .html_page import BLANK, BULLET, HEADING, TEXT, Line, html_lines, looks_like_html
from .items import (
    BULLET_MARK,
    KEY_JUNK,
    Item,
    Section,
    SectionReader,
    Skipped,
    fold,
    parse_dateline,
)

# Section headings in both languages, compared without "Smart City" /
# 스마트도시 in front, case, spaces and punctuation.
SECTION_NAMES = {
    "issue": ("issue", "issues", "issue of the month", "이슈", "이달의 이슈"),
    "policy-project": ("policy project", "policy projects", "정책 사업", "정책사업"),
    "policy-trend": ("policy trend", "policy trends", "정책 동향"),
    "special": ("special", "specials", "스페셜", "기획"),
    "literature": ("literature", "문헌", "연구 문헌", "연구·문헌"),
    "news": ("news", "events", "소식", "뉴스", "행사", "행사 소식"),
}
NEWS_SECTIONS = ("issue", "policy-project", "policy-trend", "special")
_PREFIX = re.compile(r"^(?:smart\s*city|스마트\s*도시|스마트\s*시티)\s*", re.IGNORECASE)
_SECTION_KEYS = {
    KEY_JUNK.sub("", name.casefold()): key
    for key, names in SECTION_NAMES.items()
    for name in names
}
# "No. 49 (2024.4.1)", "Vol. 49 | 2024.4.1", "뉴스레터 제49호 (2024년 4월 1일)"
_NUMBER_LINE = re.compile(
    r"^(?:(?:smart\s*city\s*)?newsletter\s*|(?:스마트\s*도시\s*)?뉴스레터\s*)?"
    r"(?:no\.?|vol\.?|issue|제)\s*(?P<number>\d{1,4})\s*호?\s*"
    r"(?:[(\[（](?P<date>[^)\]）]+)[)\]）]|[,|/·-]\s*(?P<date2>.+))?\s*\.?$",
    re.IGNORECASE,
)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z]")
# Share of Hangul among letters above which a file is Korean; the English
# issues carry stray Korean words from machine translation.
KOREAN_SHARE = 0.3


class LegacyFormatError(ValueError):
    """The file cannot be read as an issue: nothing of it may be imported."""


@dataclass
class ParsedIssue:
    number: int
    date: dt.date
    language: str
    format: str  # "text" or "html"
    sections: list[Section]
    skipped: list[Skipped]

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]


def section_key(text: str) -> str | None:
    """The section a heading names (e.g. "policy-trend"), or None."""
    value = fold(text)
    if not value or len(value) > 60:
        return None
    value = _PREFIX.sub("", value.casefold())
    return _SECTION_KEYS.get(KEY_JUNK.sub("", value))


def parse_number_line(text: str) -> tuple[int, dt.date | None] | None:
    """The issue number and date of a line such as "No. 49 (2024.4.1)"."""
    found = _NUMBER_LINE.match(fold(text))
    if not found:
        return None
    written = found["date"] or found["date2"] or ""
    return int(found["number"]), parse_date(written) if written else None


def detect_language(text: str) -> str:
    """ "ko" when Hangul makes up a good share of the letters, else "en"."""
    hangul = len(_HANGUL.findall(text))
    latin = len(_LATIN.findall(text))
    if not hangul + latin:
        return "ko"
    return "ko" if hangul / (hangul + latin) >= KOREAN_SHARE else "en"


def text_lines(text: str) -> list[Line]:
    """The lines of a plain-text issue, numbered from 1."""
    lines, after_blank = [], True
    for number, raw in enumerate(text.splitlines(), start=1):
        # Copied text is full of no-break spaces and runs of spaces.
        value = " ".join(raw.split())
        if not value:
            lines.append(Line(number, "", BLANK))
            after_blank = True
            continue
        kind = BULLET if BULLET_MARK.match(value) and len(value) > 2 else TEXT
        lines.append(Line(number, value, kind, starts_block=after_blank))
        after_blank = False
    return lines


# -- the whole issue -------------------------------------------------------


def _split(lines: list[Line]) -> tuple[list[Line], list[tuple[Line, list[Line]]]]:
    """The lines before the first section, and each section heading with its
    lines."""
    preamble: list[Line] = []
    sections: list[tuple[Line, list[Line]]] = []
    for line in lines:
        if line.kind != BULLET and line.kind != BLANK and section_key(line.text):
            sections.append((line, []))
        elif sections:
            sections[-1][1].append(line)
        else:
            preamble.append(line)
    return preamble, sections


def parse_lines(
    lines: list[Line], fmt: str, language: str | None = None
) -> ParsedIssue:
    """Read an issue from its lines; raises LegacyFormatError when the file
    is not an issue or stops in the middle of one."""
    preamble, chunks = _split(lines)
    skipped: list[Skipped] = []
    number, date = None, None
    for line in preamble:
        if line.kind == BLANK:
            continue
        found = parse_number_line(line.text) if number is None else None
        if found:
            number, date = found
        elif (
            number is not None
            and date is None
            and parse_date(line.text.strip("()[]（）"))
        ):
            date = parse_date(line.text.strip("()[]（）"))
        else:
            skipped.append(
                Skipped(line.number, "text before the first section", line.text)
            )
    if number is None or date is None:
        what = "issue number" if number is None else "issue date"
        raise LegacyFormatError(
            f"no {what} found before the first section: the file must start with "
            "a line such as 'No. 49 (2024.4.1)' or '제49호 (2024.4.1)'"
        )
    if not chunks:
        raise LegacyFormatError(
            "no section headings found (Smart City Issue, Policy Project, Policy "
            "Trend, Special, Literature, News or 스마트도시 이슈, 정책 사업, 정책 "
            "동향, 스페셜, 문헌, 소식): is this a newsletter issue?"
        )
    sections = []
    reader = None
    for heading, body in chunks:
        section = Section(section_key(heading.text) or "", heading.text, heading.number)
        marked = any(
            line.kind == HEADING and parse_dateline(line.text) is None for line in body
        )
        reader = SectionReader(section, marked, fmt, skipped)
        for line in body:
            if line.kind != BLANK:
                reader.read(line)
        reader.close()
        if section.items:
            sections.append(section)
        elif reader.incomplete is None:
            skipped.append(
                Skipped(heading.number, "section with no items", heading.text)
            )
    last_lines = [line for line in chunks[-1][1] if line.kind != BLANK]
    if reader is not None and reader.incomplete is not None:
        cut = reader.incomplete
        raise LegacyFormatError(
            f"the file ends in the middle of an item (line {cut.line}, "
            f"{cut.title[:60]!r}: {reader.missing(cut)}); it looks cut off — if "
            "the issue is complete, remove what follows its last item"
        )
    if not last_lines:
        raise LegacyFormatError(
            f"the file ends right after the heading {chunks[-1][0].text!r} "
            f"(line {chunks[-1][0].number}); it looks cut off"
        )
    if not sections:
        raise LegacyFormatError("no section has a single readable item")
    every_word = " ".join(
        f"{item.title} {item.summary}" for section in sections for item in section.items
    )
    skipped.sort(key=lambda entry: entry.line)
    return ParsedIssue(
        number=number,
        date=date,
        language=language or detect_language(every_word),
        format=fmt,
        sections=sections,
        skipped=skipped,
    )


def parse_issue(text: str, language: str | None = None) -> ParsedIssue:
    """Read an issue from its text, plain or HTML (told apart by content)."""
    if looks_like_html(text):
        return parse_lines(html_lines(text, section_key), "html", language)
    return parse_lines(text_lines(text), "text", language)


def decode(data: bytes) -> str:
    """The file's text: UTF-8, or CP949 (EUC-KR), which older Korean
    systems saved; refuses what is not text."""
    if b"\x00" in data[:8192]:
        raise LegacyFormatError("the file is binary, not text or HTML")
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LegacyFormatError(
        "the file is neither UTF-8 nor EUC-KR/CP949 text; save it as UTF-8"
    )


def read_issue(path: Path, language: str | None = None) -> ParsedIssue:
    """Read an issue file (plain text or HTML)."""
    return parse_issue(decode(path.read_bytes()), language)
