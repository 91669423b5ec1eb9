"""Dates as the old newsletter wrote them: 2024.3.28, '24.3.4., 2024년 3월 28일,
2024-03-28, March 28, 2024, and ranges such as '24.4.17 (Wed) ~ 19 (Fri).
Every one becomes a `datetime.date`; text that is not a calendar date gives
None, so a caller can tell "no date here" from a date."""

import datetime as dt
import re
import unicodedata

# Apostrophes that stand for the century in '24 (typed, curly or backtick).
_APOSTROPHES = "'‘’`´"
_YEAR = rf"(?P<year>\d{{4}}|[{_APOSTROPHES}]?\d{{2}})"
_NUMERIC = re.compile(
    rf"^{_YEAR}\s*(?P<sep>[./-])\s*(?P<month>\d{{1,2}})\s*(?P=sep)\s*"
    r"(?P<day>\d{1,2})\s*\.?$"
)
_KOREAN = re.compile(
    rf"^{_YEAR}\s*년\s*(?P<month>\d{{1,2}})\s*월\s*(?P<day>\d{{1,2}})\s*일?\.?$"
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
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
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<mname>[a-z]{3,9})\.?"
_ENGLISH_MDY = re.compile(
    rf"^{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}$"
)
_ENGLISH_DMY = re.compile(
    rf"^(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+{_YEAR}$"
)
# (Wed), (수), (목요일), (Thursday): the day of the week adds nothing.
WEEKDAY = re.compile(
    r"\(\s*(?:[월화수목금토일](?:요일)?|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?"
    r"|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\.?\s*\)",
    re.IGNORECASE,
)
_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
# ", 3 days", "(3일간)", "3 days": how long, which the two dates already say.
_DURATION = re.compile(r",?\s*\(?\s*\d+\s*(?:days?|일간)\s*\)?\s*$", re.IGNORECASE)
_RANGE_SPLIT = re.compile(r"\s*[~～〜–—]\s*|\s+-\s+")
_DAY_ONLY = re.compile(r"^(?P<day>\d{1,2})\s*일?$")
_MONTH_DAY = re.compile(r"^(?P<month>\d{1,2})\s*(?:[./]|월)\s*(?P<day>\d{1,2})\s*일?$")


def _clean(text: str) -> str:
    # NFKC turns full-width digits and dots (２０２４．３．２８) into ASCII.
    return unicodedata.normalize("NFKC", text).strip()


def _year(value: str) -> int:
    digits = value.lstrip(_APOSTROPHES)
    # The portal's newsletter began in 2020: a two-digit year is 20xx.
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _make(year: int, month: int, day: int) -> dt.date | None:
    if not 1990 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:  # 2024.2.30, 2024.13.1
        return None


def parse_date(text: str) -> dt.date | None:
    """The date written in `text` (the whole of it, give or take a weekday
    and a final dot), or None if it is not a calendar date in a known form."""
    value = WEEKDAY.sub("", _clean(text)).strip().rstrip(".").strip()
    for pattern in (_NUMERIC, _KOREAN):
        found = pattern.match(value)
        if found:
            return _make(_year(found["year"]), int(found["month"]), int(found["day"]))
    lowered = value.casefold()
    for pattern in (_ENGLISH_MDY, _ENGLISH_DMY):
        found = pattern.match(lowered)
        if found and found["mname"] in _MONTHS:
            return _make(
                _year(found["year"]), _MONTHS[found["mname"]], int(found["day"])
            )
    return None


def _end_of(text: str, start: dt.date) -> dt.date | None:
    """The end of a range, which may leave out what it shares with the
    start: '~ 19' (the day), '~ 5.2' (month and day)."""
    full = parse_date(text)
    if full is not None:
        return full
    found = _DAY_ONLY.match(text)
    if found:
        return _make(start.year, start.month, int(found["day"]))
    found = _MONTH_DAY.match(text)
    if found:
        month, day = int(found["month"]), int(found["day"])
        # "12.30 ~ 1.2" crosses into the next year.
        year = start.year + 1 if (month, day) < (start.month, start.day) else start.year
        return _make(year, month, day)
    return None


def parse_date_range(text: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of '24.4.17 (Wed) ~ 19 (Fri), 3 days and the
    like (a single date gives the same day twice); None when the text is not
    a date or a range that ends before it starts."""
    value = _TIME.sub(" ", WEEKDAY.sub(" ", _clean(text)))
    value = _DURATION.sub("", value.strip(" ,")).strip(" ,")
    parts = [part.strip(" ,") for part in _RANGE_SPLIT.split(value)]
    parts = [part for part in parts if part]
    if not parts or len(parts) > 2:
        return None
    start = parse_date(parts[0])
    if start is None:
        return None
    if len(parts) == 1:
        return start, start
    end = _end_of(parts[1].rstrip("."), start)
    if end is None or end < start:
        return None
    return start, end
