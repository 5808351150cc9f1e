"""Identifiers a committee types: what is accepted, and that refusals name the text and the problem."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaliwarma.domain.identifiers import (
    check_codigo_modular,
    check_dni,
    check_ruc,
    check_ubigeo,
    ruc_check_digit,
)

# Real RUCs published by their owners: SUNAT, BCP, BBVA Perú, Supermercados Peruanos.
REAL_RUCS = ["20131312955", "20100047218", "20100130204", "20100070970"]


@pytest.mark.parametrize("ruc", REAL_RUCS)
def test_real_rucs_are_accepted(ruc):
    assert check_ruc(ruc) is None


def test_ruc_with_one_digit_mistyped_is_refused_naming_it():
    message = check_ruc("20131312954")
    assert message is not None and "20131312954" in message and "último dígito" in message


@given(st.sampled_from(REAL_RUCS), st.integers(0, 10), st.integers(1, 9))
def test_any_single_digit_typo_in_a_real_ruc_is_caught(ruc, position, delta):
    # modulo 11 with these weights detects every single-digit substitution
    typo = ruc[:position] + str((int(ruc[position]) + delta) % 10) + ruc[position + 1 :]
    assert check_ruc(typo) is not None


def test_persona_natural_ruc_is_10_plus_dni_plus_check_digit():
    first_ten = "10" + "45678912"
    assert check_ruc(first_ten + str(ruc_check_digit(first_ten))) is None


@pytest.mark.parametrize(
    ("ruc", "fragment"),
    [
        ("30131312955", "10, 15, 17 o 20"),
        ("2013131295", "tiene 10 dígitos"),
        ("2013131295A", "solo números"),
        ("", "Falta el RUC"),
        (" 20131312955", "espacios"),
    ],
)
def test_malformed_ruc_says_what_is_wrong(ruc, fragment):
    message = check_ruc(ruc)
    assert message is not None and fragment in message


def test_codigo_modular_has_seven_digits_and_may_start_with_zero():
    assert check_codigo_modular("0234567") is None
    assert "tiene 6 dígitos; debe tener 7" in check_codigo_modular("234567")
    assert "«02345-67»" in check_codigo_modular("02345-67")


def test_dni_has_eight_digits():
    assert check_dni("04567891") is None
    assert "debe tener 8" in check_dni("4567891")
    assert "solo números" in check_dni("4567891X")
    assert "Falta el DNI" in check_dni("")


def test_ubigeo_of_a_district_is_accepted():
    assert check_ubigeo("200101") is None  # Piura, Piura, Piura
    assert check_ubigeo("070101") is None  # Callao


@pytest.mark.parametrize(
    ("ubigeo", "fragment"),
    [("260101", "entre 01 y 25"), ("000101", "entre 01 y 25"), ("200000", "distrito"), ("2001", "6")],
)
def test_wrong_ubigeo_is_refused(ubigeo, fragment):
    message = check_ubigeo(ubigeo)
    assert message is not None and fragment in message and ubigeo in message
