"""The one number parser (qaliwarma/numbers.py): Peruvian writing, ambiguity refused, limits kept."""

import time
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qaliwarma.io.spreadsheet import csv_escape, csv_unescape
from qaliwarma.io.tabular import parse_date
from qaliwarma.numbers import AMOUNT, COUNT, NUTRIENT, QUANTITY, NumberRefused, Style, read_number


@pytest.mark.parametrize(("text", "expected"), [
    ("1,200", "1200"), ("1.200,50", "1200.50"), ("1200.5", "1200.5"), ("1200,5", "1200.5"),
    ("1,234,567", "1234567"), ("1.234.567", "1234567"), ("1,200.50", "1200.50"), ("0,250", "0.250"),
    ("12", "12"), (" 3 ", "3"), ("-5", "-5"),
])
def test_numbers_are_read_as_a_peruvian_user_means_them(text, expected):
    assert read_number(text, AMOUNT if "." not in expected or len(expected.split(".")[1]) <= 2 else QUANTITY) \
        == Decimal(expected)


def test_comma_thousands_is_refused_in_a_sheet_that_writes_decimal_commas():
    sheet = Style.of(["3,5", "1,250", "12"])
    with pytest.raises(NumberRefused) as caught:
        read_number("1,250", AMOUNT, sheet)
    assert caught.value.rule == "ambiguous-comma"
    assert "coma decimal" in caught.value.message
    # on its own (a CLI option) or in a sheet of decimal points it is one thousand two hundred fifty
    assert read_number("1,250", AMOUNT) == Decimal(1250)
    assert read_number("1,250", AMOUNT, Style.of(["3.5"])) == Decimal(1250)


def test_point_with_three_decimals_follows_the_sheet_or_is_refused():
    with pytest.raises(NumberRefused) as caught:
        read_number("1.250", QUANTITY)
    assert caught.value.rule == "ambiguous-point"
    assert read_number("1.250", QUANTITY, Style.of(["2.5"])) == Decimal("1.25")
    assert read_number("1.250", QUANTITY, Style.of(["2,5"])) == Decimal(1250)


@pytest.mark.parametrize(("text", "rule"), [
    ("1E+999999999", "scientific"), ("1e308", "scientific"), ("Inf", "not-a-number"), ("NaN", "not-a-number"),
    ("9" * 40, "too-long"), ("1,2,3", "separators"), ("", "empty"), ("12abc", "not-a-number"),
])
def test_what_cannot_be_read_for_certain_is_refused_with_its_rule(text, rule):
    started = time.perf_counter()
    with pytest.raises(NumberRefused) as caught:
        read_number(text, QUANTITY)
    assert caught.value.rule == rule
    assert time.perf_counter() - started < 0.1  # refused before any heavy arithmetic


def test_every_quantity_has_limits():
    with pytest.raises(NumberRefused, match="el valor nutricional no puede ser menor que cero"):
        read_number("-0.5", NUTRIENT)
    with pytest.raises(NumberRefused, match="la cantidad no puede ser menor que cero"):  # agrees: not «el cantidad»
        read_number("-2", QUANTITY)
    with pytest.raises(NumberRefused, match="la cantidad debe estar entre 0 y 1,000,000"):
        read_number("2000000", QUANTITY)
    with pytest.raises(NumberRefused, match="entero"):
        read_number("3.5", COUNT)
    with pytest.raises(NumberRefused, match="decimales"):
        read_number("1.0055", AMOUNT)
    for value in (float("inf"), float("nan"), 1e308, 10**30, Decimal("1E+999999999")):
        with pytest.raises(NumberRefused):
            read_number(value, QUANTITY)


def test_dates_must_be_plausible():
    assert parse_date("31/12/9999") is None
    assert parse_date("9999-01-01") is None
    assert parse_date("15/03/2027").isoformat() == "2027-03-15"


amounts = st.decimals(min_value=Decimal("-9999999.99"), max_value=Decimal("9999999.99"), places=2)


def _peruvian(value: Decimal) -> str:
    return f"{value:,.2f}"


def _european(value: Decimal) -> str:
    return _peruvian(value).replace(",", "_").replace(".", ",").replace("_", ".")


@settings(max_examples=300)
@given(amounts)
def test_both_written_forms_read_back_the_same_amount(value):
    assert read_number(_peruvian(value), AMOUNT) == value
    assert read_number(_european(value), AMOUNT) == value
    assert read_number(f"{value:f}", AMOUNT) == value


@settings(max_examples=500)
@given(st.text(alphabet="0123456789.,-+eE ", max_size=40) | st.text(max_size=40))
def test_any_text_is_read_within_limits_or_refused_never_crashes(text):
    try:
        value = read_number(text, QUANTITY)
    except NumberRefused as exc:
        # the text quoted, or, when there is none, said missing
        assert exc.message.startswith("«") or (exc.rule == "empty" and exc.message.startswith("falta el número"))
    else:
        assert value.is_finite() and Decimal(0) <= value <= Decimal(1000000)


@settings(max_examples=200)
@given(st.text(max_size=30))
def test_csv_escape_gives_back_what_was_written_and_never_starts_a_formula(text):
    escaped = csv_escape(text)
    assert csv_unescape(escaped) == text
    assert not escaped.startswith(("=", "@", "\t", "\r")) or escaped.lstrip("+-").replace(".", "").isdigit()


def test_formulas_in_a_school_name_stay_text_in_the_supervisors_spreadsheet(tmp_path):
    from openpyxl import load_workbook

    from qaliwarma.domain.flags import Flag
    from qaliwarma.services.supervision import SummaryRow, export_summary_xlsx

    evil = '=HYPERLINK("http://x.example","clic")'
    row = SummaryRow("0456789", evil, "+UGEL", "@distrito", "2026-11", 180, 20, 20, 3600, 1.0, 0.9, 0, 0,
                     Decimal("10.00"), True, 0, (Flag("mes_sin_cerrar"),))
    out = export_summary_xlsx([row], tmp_path / "resumen.xlsx")
    sheet = load_workbook(out)["Resumen"]
    cells = {c.value: c for c in sheet[2]}
    for text in (evil, "+UGEL", "@distrito"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix  # shown and kept as text
    alerts = load_workbook(out)["Alertas"]
    assert alerts["B2"].value == evil and alerts["B2"].data_type == "s" and alerts["B2"].quotePrefix


def test_an_empty_number_is_said_as_missing_not_as_an_invalid_empty_quote():
    with pytest.raises(NumberRefused) as caught:
        read_number("  ", QUANTITY)
    assert str(caught.value) == "falta el número: el dato está vacío"  # was «"» no es un número válido: está vacío.»
