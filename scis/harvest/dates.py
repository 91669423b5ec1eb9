"""Dates as Korean public sites write them.

CONTRACT: `parse_date(text: str) -> date | None` reads 2024.3.28,
'24.3.4., 2024년 3월 28일, 2024-03-28, ISO timestamps, RFC 822 dates.
"""

from datetime import date


def parse_date(text: str) -> date | None:
    raise NotImplementedError
