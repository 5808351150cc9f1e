"""Units: deliveries, purchases and cooks' measures all become exact grams, or a clear refusal."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qaliwarma import units
from qaliwarma.errors import UnitError
from qaliwarma.units import (
    HOUSEHOLD_NAMES,
    default_presentations,
    household_hint,
    household_measures,
    parse_quantity,
    presentation,
    suggest_household,
    text_to_grams,
    to_grams,
)


def test_three_cans_of_fish_are_510_grams():
    lata = presentation("LATA", "0.170 kg")
    assert to_grams(3, "LATA", presentation=lata) == Decimal("510")
    assert text_to_grams("3 latas", presentation=lata) == Decimal("510")


def test_purchases_in_arrobas_libras_and_kilos():
    assert to_grams(2, "arrobas") == Decimal("23000")
    assert to_grams("1,5", "kilos") == Decimal("1500")
    assert to_grams(1, "libra") == Decimal("453.59237")
    assert to_grams(16, "onzas") == Decimal("453.59237")
    assert to_grams(1, "tonelada") == Decimal("1000000")
    assert to_grams(250, "mg") == Decimal("0.25")


@pytest.mark.parametrize(
    ("text", "grams"),
    [("1,5 kg", "1500"), ("1.5 Kg.", "1500"), ("2 @", "23000"), ("½ kilo", "500"), ("1 1/2 kilos", "1500"),
     ("3 gramos", "3"), ("1,234.5 g", "1234.5")],
)
def test_quantities_are_read_as_people_write_them(text, grams):
    assert text_to_grams(text) == Decimal(grams)


def test_parse_quantity_keeps_exact_decimals():
    quantity = parse_quantity("0,170 kg")
    assert quantity.magnitude == Decimal("0.170")
    assert str(quantity.units) == "kilogram"


def test_unknown_unit_is_refused_naming_it_and_suggesting_the_right_one():
    with pytest.raises(UnitError) as caught:
        parse_quantity("2 arrobaz")
    assert "Unidad desconocida «arrobaz» en «2 arrobaz»" in str(caught.value)
    assert "arroba" in str(caught.value).split("?")[0]


@pytest.mark.parametrize(("text", "fragment"), [("kg", "Falta la cantidad"), ("25", "Falta la unidad"),
                                                  ("1..2 kg", "Número no válido «1..2»"), ("", "Falta")])
def test_malformed_quantity_is_refused(text, fragment):
    with pytest.raises(UnitError, match=fragment):
        parse_quantity(text)


def test_volume_without_density_is_refused():
    with pytest.raises(UnitError, match="densidad"):
        to_grams(2, "L")


def test_volume_converts_with_the_presentation_density_or_a_given_one():
    oil = default_presentations()["botella-aceite"]
    assert to_grams(2, "botellas", presentation=oil) == Decimal("1840")
    assert to_grams(500, "ml", presentation=oil) == Decimal("460")
    assert to_grams(1, "litro", density_kg_per_l="1.03") == Decimal("1030")


def test_presentation_in_litres_without_density_cannot_give_grams():
    with pytest.raises(UnitError, match="densidad"):
        presentation("BOTELLA", "1 L").grams()


def test_commercial_unit_needs_its_presentation():
    with pytest.raises(UnitError, match="presentación"):
        to_grams(3, "latas")


def test_unit_that_does_not_match_the_chosen_presentation_is_refused():
    with pytest.raises(UnitError, match="LATA de 0.170 kg"):
        to_grams(1, "bolsa", presentation=default_presentations()["lata-pescado"])


def test_unidad_counts_units_of_the_presentation():
    assert to_grams(12, "unidades", presentation=default_presentations()["unidad-huevo"]) == Decimal("660")


def test_length_is_not_a_weight():
    with pytest.raises(UnitError, match="«2 m» no es un peso ni un volumen"):
        to_grams(2, "m")


def test_default_presentations_hold_the_programme_deliveries():
    p = default_presentations()
    assert p["lata-pescado"].grams() == Decimal("170")
    assert p["lata-leche"].grams() == Decimal("400")
    assert p["bolsa-1kg"].grams() == Decimal("1000")
    assert p["bolsa-galletas"].grams() == Decimal("30")
    assert p["saco-50kg"].grams() == Decimal("50000")
    assert p["botella-aceite"].grams() == Decimal("920")


def test_rice_spoonfuls_weigh_what_cenan_measured():
    assert to_grams(1, "cucharada colmada", food_code="A3") == Decimal("23.8")
    assert to_grams(2, "cucharadas llenas", food_code="A3") == Decimal("32.5")
    assert to_grams(1, "puñado", food_code="A3") == Decimal("64.4")
    assert to_grams(1, "taza al ras", food_code="A3") == Decimal("193")
    assert to_grams(1, "cucharada llena", food_code="A7") == Decimal("7.0")
    spoon = next(m for m in household_measures("a3") if m.name == "cucharada llena")
    assert (spoon.grams_min, spoon.grams_max) == (Decimal("14.7"), Decimal("17.8"))
    assert "TAFERA" in spoon.source


def test_oil_spoon_is_a_team_estimate_and_says_so():
    spoon = next(m for m in household_measures("D3") if m.name == "cucharada llena")
    assert spoon.grams == Decimal("13.6") and "estimación del equipo" in spoon.source


def test_group_default_applies_to_foods_without_their_own_measures():
    assert to_grams(1, "puñado", food_code="T7") == Decimal("50")  # frejol bayo: group T default
    assert household_measures("T52") != household_measures("T7")  # lentils have their own


def test_household_measure_needs_the_food():
    with pytest.raises(UnitError, match="depende del alimento"):
        to_grams(1, "cucharada")


def test_unknown_measure_for_a_food_names_food_and_measure():
    with pytest.raises(UnitError, match="«puñado» para el alimento G7"):
        to_grams(1, "puñado", food_code="G7")
    assert household_measures("Z99") == []


def test_household_hints_for_cooks():
    assert household_hint("A3", 25) == "1 cucharada colmada"
    assert household_hint("A3", 193) == "1 taza al ras"
    assert household_hint("A3", 1) == "menos de 1/2 cucharada llena"
    assert household_hint("Z99", 25) is None


@pytest.mark.parametrize("grams", [12, 30, 45, 80, 100, 300, 1000])
def test_household_hint_is_close_and_simple(grams):
    parts = suggest_household("A3", grams)
    assert parts is not None and 1 <= len(parts) <= 2
    total = sum(float(n) * float(m.grams) for n, m in parts)
    assert abs(total - grams) / grams < 0.1
    assert household_hint("A3", grams)


def test_hint_for_30_grams_of_rice_is_a_plain_sentence():
    assert household_hint("A3", 30) in {"2 cucharadas llenas", "1 cucharada colmada y 1/2 cucharada llena"}


def test_household_file_uses_only_known_measures_and_cites_a_source():
    for code in ("A3", "A7", "K1", "D3", "G7", "T52", "T7", "A36", "A54"):
        measures = household_measures(code)
        assert measures, code
        assert all(m.name in HOUSEHOLD_NAMES and m.source and m.grams > 0 for m in measures)


def test_bad_household_file_is_refused_listing_every_problem(tmp_path):
    bad = tmp_path / "medidas.toml"
    bad.write_text('[[set]]\ncodes = ["A3"]\nmeasures = [{ name = "cucharon grande", grams = 5 },'
                   ' { name = "vaso", grams = -1 }]\n', encoding="utf-8")
    with pytest.raises(UnitError) as caught:
        units.load_household_measures(bad)
    assert len(caught.value.problems) == 2
    assert "cucharon grande" in str(caught.value)


@given(st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=3, allow_nan=False))
def test_kilograms_and_grams_round_trip_exactly(kg):
    grams = to_grams(kg, "kg")
    assert grams == kg * 1000
    assert to_grams(grams, "g") == grams
    assert parse_quantity(f"{grams} g").to("kilogram").magnitude == kg


@given(st.integers(min_value=0, max_value=10_000), st.sampled_from(["arroba", "libra", "onza", "tonelada"]))
def test_mass_conversion_is_exact_and_linear(n, unit):
    assert to_grams(n, unit) == n * to_grams(1, unit)


def test_measure_unknown_for_a_food_lists_the_measures_that_are_known():
    with pytest.raises(UnitError) as caught:
        to_grams(2, "tazas", food_code="A3")  # rice has "taza al ras", not a full "taza"
    assert "«taza» para el alimento A3" in str(caught.value)
    assert "taza al ras" in str(caught.value)


@given(st.decimals(min_value=Decimal("0.001"), max_value=Decimal("100000"), places=3),
       st.sampled_from([s for kind, _d, _l, spellings in units._PHYSICAL if kind in (units.MASS, units.VOLUME)
                        for s in spellings[:1]]))
def test_grams_without_the_registry_are_what_pint_gives(amount, unit):
    """Weights and volumes become grams without building the pint registry (the first page converts
    presentations): every mass and volume unit, checked against pint's own conversion."""
    reg = units.registry()
    kind = units._resolve_unit(unit).kind
    pint_name = units._resolve_unit(unit).pint_name
    if kind == units.MASS:
        expected = reg.Quantity(amount, pint_name).to("gram").magnitude
        assert units.to_grams(amount, unit) == expected
    else:
        expected = reg.Quantity(amount, pint_name).to("liter").magnitude * Decimal("0.92") * 1000
        assert units.to_grams(amount, unit, density_kg_per_l="0.92") == expected


def test_a_presentation_gives_grams_without_importing_pint():
    import subprocess
    import sys

    code = ("import sys; from qaliwarma import units; "
            "assert units.presentation('LATA', '0.170 kg').grams() == 170; "
            "assert units.presentation('BOTELLA', '1 L', density='0.92').grams() == 920; "
            "print('pint' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
