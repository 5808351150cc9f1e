"""Money: amounts read as people write them, written "S/ 1,234.50", shared to the céntimo."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaliwarma.errors import InvalidInput
from qaliwarma.money import format_soles, split_evenly, to_money

amounts = st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.5", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("S/ 12,50", "12.50"),
        ("S/. 3.00", "3.00"),
        ("S/2.31", "2.31"),
        ("-S/ 12.00", "-12.00"),
        ("1,234", "1234.00"),
        ("0.005", "0.01"),
        ("12.50 soles", "12.50"),
    ],
)
def test_amounts_are_read_as_people_write_them(text, expected):
    assert to_money(text) == Decimal(expected)


def test_amount_is_exact_and_rounded_half_up_to_the_centimo():
    assert to_money(Decimal("2.675")) == Decimal("2.68")
    assert to_money(7) == Decimal("7.00")
    assert str(to_money("2.3")) == "2.30"


def test_float_is_refused():
    with pytest.raises(InvalidInput, match="coma flotante"):
        to_money(2.31)


@pytest.mark.parametrize("text", ["abc", "12 50", "1,2,3", "S/", "1e5", "NaN", "--5", "٣"])
def test_garbage_is_refused_naming_the_text(text):
    with pytest.raises(InvalidInput) as caught:
        to_money(text)
    assert f"«{text}»" in str(caught.value)


def test_ambiguous_point_thousands_is_refused_not_guessed():
    # "1.500" may be one thousand five hundred (Spain) or one and a half (Peru): a 1000x error either way
    with pytest.raises(InvalidInput, match="no se sabe"):
        to_money("1.500")


def test_format_is_peruvian():
    assert format_soles(Decimal("1234.5")) == "S/ 1,234.50"
    assert format_soles("-12") == "-S/ 12.00"
    assert format_soles(Decimal("2.31"), lang="en") == "S/ 2.31"
    assert format_soles(0) == "S/ 0.00"


def _babel_soles(amount: Decimal, locale: str) -> str:
    """What format_soles wrote when it asked Babel: its es_PE (or qu_PE) currency format, with plain spaces."""
    from babel.numbers import format_currency

    text = format_currency(to_money(amount), "PEN", locale=locale, currency_digits=True)
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize("value", ["0", "-0", "-0.00", "0.004", "-0.005", "0.01", "-0.01", "999.995", "1000",
                                   "-1234567.891", "999999999.99", "-999999999.99", "1E+5", "12.5"])
def test_format_is_babels_peruvian_currency_format(value):
    for lang, locale in (("es", "es_PE"), ("en", "es_PE"), ("qu", "qu_PE")):
        assert format_soles(Decimal(value), lang=lang) == _babel_soles(Decimal(value), locale)


@given(st.decimals(min_value=Decimal("-999999999.994"), max_value=Decimal("999999999.994"), allow_nan=False))
def test_format_writes_every_amount_as_babel_does(amount):
    assert format_soles(amount) == _babel_soles(amount, "es_PE")


@given(amounts)
def test_what_is_written_reads_back_the_same(amount):
    assert to_money(format_soles(amount)) == amount


@given(amounts)
def test_old_style_prefix_and_european_separators_read_the_same(amount):
    european = format_soles(amount).replace(",", "_").replace(".", ",").replace("_", ".")
    assert to_money(european.replace("S/", "S/.")) == amount


@given(amounts, st.integers(min_value=1, max_value=500))
def test_split_evenly_adds_up_exactly_and_differs_by_at_most_a_centimo(total, n):
    parts = split_evenly(total, n)
    assert len(parts) == n
    assert sum(parts, Decimal(0)) == total
    assert max(parts) - min(parts) <= Decimal("0.01")
    assert all(p == p.quantize(Decimal("0.01")) for p in parts)


def test_split_evenly_ten_soles_three_ways():
    assert split_evenly("10", 3) == [Decimal("3.34"), Decimal("3.33"), Decimal("3.33")]


@pytest.mark.parametrize("n", [0, -1, True, 2.0])
def test_split_into_no_parts_is_refused(n):
    with pytest.raises(InvalidInput):
        split_evenly("10", n)
