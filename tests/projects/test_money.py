"""Budgets typed the way Korean press releases print them are kept as won."""

import pytest
from django.core.exceptions import ValidationError

from scis.projects.money import WonFormField, format_won, parse_won


@pytest.mark.parametrize(
    ("typed", "won"),
    [
        ("15억 원", 1_500_000_000),
        ("15억원", 1_500_000_000),
        ("3.5억", 350_000_000),
        ("1조 2,000억 원", 1_200_000_000_000),
        ("1,159억", 115_900_000_000),
        ("6억 5천만 원", 650_000_000),
        ("150,000,000원", 150_000_000),
        ("1500000000", 1_500_000_000),
        ("KRW 2,000", 2_000),
    ],
)
def test_typed_amounts_become_won(typed, won):
    assert parse_won(typed) == won


@pytest.mark.parametrize(
    "typed", ["", "억", "십오억", "15억 3조", "1.5", "15 apples", "0.5원"]
)
def test_what_is_not_money_is_refused(typed):
    with pytest.raises(ValueError):
        parse_won(typed)


def test_the_admin_field_explains_what_to_type():
    field = WonFormField(required=False)
    assert field.clean("15억 원") == 1_500_000_000
    assert field.clean("") is None
    with pytest.raises(ValidationError) as refused:
        field.clean("fifteen")
    assert "15억 원" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("won", "ko", "en"),
    [
        (1_500_000_000, "15억 원", "KRW 1.5 billion"),
        (26_200_000_000, "262억 원", "KRW 26.2 billion"),
        (150_000_000, "1.5억 원", "KRW 150 million"),
        (1_200_000_000_000, "1조 2,000억 원", "KRW 1,200 billion"),
        (50_000, "5만 원", "KRW 50,000"),
    ],
)
def test_readers_see_their_own_unit(won, ko, en):
    assert format_won(won, "ko") == ko
    assert format_won(won, "en") == en
