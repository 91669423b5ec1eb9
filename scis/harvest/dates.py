"""Dates as Korean public sites write them.

CONTRACT: `parse_date(text: str) -> date | None` reads 2024.3.28,
'24.3.4., 2024년 3월 28일, 2024-03-28, ISO timestamps, RFC 822 dates.

Time zones: a timestamp that names its zone ("2024-03-27T20:00:00Z",
"Thu, 28 Mar 2024 09:00:00 +0900") is converted to Korea time before its
date is taken, because the portal dates news the way its Korean readers
saw it published (a 20:00 UTC release is the next morning in Seoul). A
timestamp without a zone keeps the date as written.

Regexes do the work; no dateparser (too slow for per-item use). Text that
only *contains* a date ("등록일 2024.03.28", "작성일 : 24.3.4.") is read too:
the date written first wins. Impossible dates (2024.2.30) give None.
"""

import re
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

KOREA = timezone(timedelta(hours=9), "KST")
# What a reader found: where the date starts in the text, and the date
# (None if the text there is no real date, such as 2024.2.30).
Found = tuple[int, date | None] | None

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))

# ISO 8601 with a time and maybe a zone: 2024-03-28T09:00:00+09:00, ...Z.
_ISO_TIMESTAMP = re.compile(
    r"(?<!\d)(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)
# 2024년 3월 28일 (목), 2024년3월28일, '24년 3월 4일
_KOREAN = re.compile(r"(?<!\d)'?(\d{4}|\d{2})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일")
# 2024.3.28, 2024.03.28., 2024-03-28, 2024/03/28, 2024. 3. 28.
_NUMERIC_FULL = re.compile(
    r"(?<![\d.])(\d{4})\s*([./-])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?![\d])"
)
# '24.3.4., 24.3.4 (two-digit years only with dots or an apostrophe, so
# "3/4/24" style American dates are not misread).
_NUMERIC_SHORT = re.compile(r"(?<![\d.])'?(\d{2})\.\s*(\d{1,2})\.\s*(\d{1,2})(?![\d])")
# March 28, 2024 / Mar. 28 2024
_ENGLISH_MDY = re.compile(
    rf"\b({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b",
    re.IGNORECASE,
)
# 28 March 2024 / 28 Mar. 2024
_ENGLISH_DMY = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_NAMES})\.?,?\s+(\d{{4}})\b",
    re.IGNORECASE,
)
# RFC 822 needs a weekday-or-day, month name, year and a time.
_RFC822 = re.compile(
    rf"(?:[A-Za-z]{{3}},\s*)?\d{{1,2}}\s+(?:{_MONTH_NAMES})\s+\d{{2,4}}\s+"
    r"\d{1,2}:\d{2}(?::\d{2})?\s*(?:[+-]\d{4}|[A-Z]{1,5})?",
    re.IGNORECASE,
)


def parse_date(text: str) -> date | None:
    """Return the first date written in `text`, or None.

    Zoned timestamps are converted to Korea time first (see the module
    docstring). Two-digit years 00–69 are 20xx, 70–99 are 19xx.
    """
    if not text:
        return None
    text = text.strip()
    found = []
    # Readers in order of precedence: where two read the same spot (an ISO
    # timestamp is also a plain 2024-03-28), the earlier reader wins.
    for precedence, reader in enumerate(
        (
            _read_iso_timestamp,
            _read_rfc822,
            _read_korean,
            _read_numeric_full,
            _read_numeric_short,
            _read_english,
        )
    ):
        result = reader(text)
        if result is not None and result[1] is not None:
            found.append((result[0], precedence, result[1]))
    return min(found)[2] if found else None


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _full_year(year: int) -> int:
    if year >= 100:
        return year
    return 2000 + year if year < 70 else 1900 + year


def _in_korea(moment: datetime) -> date:
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(KOREA).date()


def _read_iso_timestamp(text: str) -> Found:
    match = _ISO_TIMESTAMP.search(text)
    if not match:
        return None
    year, month, day, hour, minute = (int(match.group(i)) for i in range(1, 6))
    second = int(match.group(6) or 0)
    zone = match.group(7)
    try:
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    if zone:
        moment = moment.replace(tzinfo=_zone(zone))
    return match.start(), _in_korea(moment)


def _zone(text: str) -> timezone:
    if text.upper() == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return timezone(sign * offset)


def _read_rfc822(text: str) -> Found:
    match = _RFC822.search(text)
    if not match:
        return None
    try:
        moment = parsedate_to_datetime(match.group(0))
    except (TypeError, ValueError, IndexError):
        return None
    # parsedate_to_datetime marks "-0000" (zone unknown) as naive.
    return match.start(), _in_korea(moment)


def _read_korean(text: str) -> Found:
    match = _KOREAN.search(text)
    if not match:
        return None
    year, month, day = (int(group) for group in match.groups())
    return match.start(), _make(_full_year(year), month, day)


def _read_numeric_full(text: str) -> Found:
    match = _NUMERIC_FULL.search(text)
    if not match:
        return None
    day = _make(int(match.group(1)), int(match.group(3)), int(match.group(4)))
    return match.start(), day


def _read_numeric_short(text: str) -> Found:
    match = _NUMERIC_SHORT.search(text)
    if not match:
        return None
    year, month, day = (int(group) for group in match.groups())
    return match.start(), _make(_full_year(year), month, day)


def _read_english(text: str) -> Found:
    candidates = []
    match = _ENGLISH_MDY.search(text)
    if match:
        month, day, year = match.groups()
        candidates.append((match.start(), _MONTHS[month.lower()], int(day), year))
    match = _ENGLISH_DMY.search(text)
    if match:
        day, month, year = match.groups()
        candidates.append((match.start(), _MONTHS[month.lower()], int(day), year))
    if not candidates:
        return None
    start, month_number, day_number, year = min(candidates)
    return start, _make(int(year), month_number, day_number)
