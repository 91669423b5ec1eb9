"""Dates as Korean and English public sites write them."""

from datetime import date

import pytest

from scis.harvest.dates import parse_date

MARCH_28 = date(2024, 3, 28)


@pytest.mark.parametrize(
    "text",
    [
        "2024.3.28",
        "2024.03.28.",
        "2024. 3. 28.",
        "2024-03-28",
        "2024/03/28",
        "2024년 3월 28일",
        "2024년3월28일",
        "2024년 3월 28일 (목)",
        "'24.3.28.",
        "24.3.28",
        "March 28, 2024",
        "Mar. 28, 2024",
        "28 March 2024",
        "Thu, 28 Mar 2024 09:00:00 +0900",
        "2024-03-28T09:00:00+09:00",
        "2024-03-28T10:00:00",
        "등록일 2024.03.28",
        "작성일 : 2024-03-28 14:22",
    ],
)
def test_reads_the_ways_sites_write_a_date(text):
    assert parse_date(text) == MARCH_28


def test_zoned_timestamps_take_the_date_in_korea():
    # 20:00 UTC on the 27th is 05:00 on the 28th in Seoul.
    assert parse_date("2024-03-27T20:00:00Z") == MARCH_28
    assert parse_date("Wed, 27 Mar 2024 20:00:00 GMT") == MARCH_28
    # Without a zone the date stays as written.
    assert parse_date("2024-03-27T20:00:00") == date(2024, 3, 27)


def test_two_digit_years():
    assert parse_date("'24.3.4.") == date(2024, 3, 4)
    assert parse_date("69.1.1") == date(2069, 1, 1)
    assert parse_date("99.12.31") == date(1999, 12, 31)


@pytest.mark.parametrize(
    "text", ["2024.2.30", "2024-13-01", "2024년 2월 30일", "", "조회수 1234", "1.2.3.4"]
)
def test_impossible_or_missing_dates_give_none(text):
    assert parse_date(text) is None


def test_the_date_written_first_wins():
    assert parse_date("Posted 14 May 2024 · updated 2024-06-02T16:30:00+09:00") == (
        date(2024, 5, 14)
    )
    assert parse_date("작성일 2024.04.02 수정일 2024-05-10") == date(2024, 4, 2)
