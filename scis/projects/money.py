"""Money as Korean editors write it and as the database keeps it.

Editors type budgets the way press releases print them: "15억 원",
"1조 2,000억 원", "3.5억", "150,000,000원" or plain won. The database keeps
an integer number of won, and readers see it back in their language's usual
unit (억 원 in Korean, KRW million/billion in English).
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Korean counts in groups of four digits (만, 억, 조); inside a group 천, 백
# and 십 scale a number, so "5천만" is 5 × 1,000 × 10,000.
GROUP_UNITS = {"조": 10**12, "억": 10**8, "만": 10**4}
DIGIT_UNITS = {"천": 10**3, "백": 10**2, "십": 10}
_PART = re.compile(r"(\d+(?:\.\d+)?)(천|백|십)?(조|억|만)?")
_NOISE = re.compile(r"[,\s]|원$|won$|krw", re.IGNORECASE)


def parse_won(text: str) -> int:
    """The integer number of won written in `text`; ValueError when it is
    not a sum of money."""
    cleaned = _NOISE.sub("", str(text).strip()).removesuffix("원")
    if not cleaned:
        raise ValueError("empty")
    position, total, last_unit = 0, Decimal(0), None
    while position < len(cleaned):
        match = _PART.match(cleaned, position)
        if not match or match.end() == position:
            raise ValueError(f"not a sum of money: {text!r}")
        number, digit_unit, group_unit = match.groups()
        unit = group_unit or digit_unit
        if unit is None and match.end() != len(cleaned):
            raise ValueError(f"not a sum of money: {text!r}")
        scale = DIGIT_UNITS.get(digit_unit, 1) * GROUP_UNITS.get(group_unit, 1)
        if last_unit is not None and scale >= last_unit:
            raise ValueError(f"units out of order: {text!r}")
        try:
            total += Decimal(number) * scale
        except InvalidOperation as exc:
            raise ValueError(f"not a sum of money: {text!r}") from exc
        last_unit = scale
        position = match.end()
    if total != total.to_integral_value():
        raise ValueError(f"less than one won: {text!r}")
    return int(total)


def total_won(*parts: int | None) -> int | None:
    """The sum of the known parts of a budget; None when none is known."""
    known = [part for part in parts if part is not None]
    return sum(known) if known else None


def format_won(value: int | None, language: str) -> str:
    """A sum of won the way a reader of `language` expects it."""
    if value is None:
        return ""
    if language.startswith("ko"):
        if value >= 10**12:
            jo, rest = divmod(value, 10**12)
            eok = rest // 10**8
            return f"{jo:,}조 {eok:,}억 원" if eok else f"{jo:,}조 원"
        if value >= 10**8:
            shown = f"{Decimal(value) / 10**8:,.1f}".removesuffix(".0")
            return f"{shown}억 원"
        if value >= 10**4:
            return f"{value // 10**4:,}만 원"
        return f"{value:,}원"
    if value >= 10**9:
        return f"KRW {Decimal(value) / 10**9:,.1f} billion".replace(".0 ", " ")
    if value >= 10**6:
        return f"KRW {Decimal(value) / 10**6:,.1f} million".replace(".0 ", " ")
    return f"KRW {value:,}"


class WonFormField(forms.CharField):
    """Accepts "15억 원", "1조 2,000억", "3.5억" or plain digits."""

    default_error_messages = {
        "invalid": _(
            "Write an amount in won, for example “15억 원”, “1조 2,000억 원” "
            "or “1500000000”."
        ),
    }

    def prepare_value(self, value):
        if isinstance(value, int):
            return format_won(value, "ko")
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse_won(value)
        except ValueError as exc:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from exc


class WonField(models.PositiveBigIntegerField):
    """An amount of money kept as integer won, typed in 억 원 or won."""

    def formfield(self, **kwargs):
        # Skip IntegerField's min/max bounds: the form field reads text.
        return models.Field.formfield(self, **{"form_class": WonFormField, **kwargs})
