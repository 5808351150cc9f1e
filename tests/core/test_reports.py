"""The printed documents: what a cook, a parent at the school door and a supervisor read on them.

Text is read back with ``pdftotext`` (poppler-utils), as a reader would see it.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest

from qaliwarma.domain.menus import EntryCheck, MetricCheck, Plan, PlanCheck, PlanEntry, PlanInfo, RuleCheck
from qaliwarma.domain.recipes import Dose, Ingredient, RecipeDef
from qaliwarma.errors import InvalidInput
from qaliwarma.reports.base import format_number, format_weight
from qaliwarma.reports.compliance import build_compliance_report
from qaliwarma.reports.dosing import build_dosing_sheet
from qaliwarma.reports.menu_poster import build_menu_poster
from qaliwarma.services import catalog, committee, recipes
from qaliwarma.services.setup import demo_form

SCHOOL = "I.E. N.° 36009 Virgen de la Candelaria"


def pdf_text(path, *, layout: bool = False) -> str:
    """The text in reading order of each block (``layout``: as laid out on the page, rows on one line)."""
    if shutil.which("pdftotext") is None:
        message = "Estas pruebas leen el PDF con pdftotext: instale poppler-utils (apt-get install poppler-utils)."
        if os.environ.get("CI"):
            pytest.fail(message)  # .ci/run installs it: in CI the check is never skipped
        pytest.skip(message)
    mode = "-layout" if layout else "-raw"
    return subprocess.run(["pdftotext", mode, str(path), "-"], check=True, capture_output=True, text=True).stdout


def pages(path, *, layout: bool = False) -> list[str]:
    return pdf_text(path, layout=layout).split("\f")[:-1]


def squeeze(text: str) -> str:
    return " ".join(text.split())


def assert_fonts_embedded(path) -> None:
    data = path.read_bytes()
    assert b"DejaVuSans" in data and b"/FontFile2" in data
    assert b"Helvetica" not in data  # nothing falls back to a font that is not embedded


@pytest.fixture
def school(db):
    return committee.register(db, demo_form(), user="prueba")


# ----------------------------------------------------------------------------------------- numbers
def test_numbers_are_written_the_peruvian_way():
    assert format_weight(Decimal(30) * 142) == "4.26 kg"
    assert format_weight(Decimal("3.5") * 38) == "133 g"
    assert format_weight(2500) == "2.5 kg"
    assert format_weight(13064) == "13.06 kg"
    assert format_weight(1_234_500) == "1,234.5 kg"
    assert format_number(1234.5, 2) == "1,234.50"


# ----------------------------------------------------------------------------------------- dosing
def test_dosing_sheet_from_the_bank_gives_each_level_its_page_and_totals(db, school, tmp_path):
    recipe = recipes.get_recipe(db, "costa-arroz-lentejas-caballa")
    out = build_dosing_sheet(recipe, catalog.food_names(db), tmp_path / "ficha.pdf",
                             children={"inicial": 38, "primaria": 142}, committee=school)
    inicial, primaria = pages(out, layout=True)
    for page in (inicial, primaria):
        text = squeeze(page)
        assert "Ficha de dosificación" in text and "Arroz con lentejas y conserva de pescado" in text
        assert SCHOOL in text and "Código modular 0456789" in text and "UGEL Huancavelica" in text
        assert "tal como se compra o se recibe" in text and "Cómo se prepara" in text
    assert "INICIAL" in inicial and "Para 38 niños" in squeeze(inicial) and "Página 1 de 2" in inicial
    assert "PRIMARIA" in primaria and "Para 142 niños" in squeeze(primaria) and "Página 2 de 2" in primaria
    # rice: the recipe's grams × the children, in kg, with the recipe's own household measure
    rice = next(i for i in recipe.ingredients if i.code == "A3")
    for page, level, n in ((inicial, "inicial", 38), (primaria, "primaria", 142)):
        grams = float(rice.doses[level].grams)
        line = next(ln for ln in page.splitlines() if "Arroz blanco" in ln)
        assert f" {grams:g} g " in line, (level, line)
        assert f"{grams * n / 1000:.2f}".rstrip("0").rstrip(".") + " kg" in line, (level, line)
        assert squeeze(rice.doses[level].measure) in squeeze(page)
    assert_fonts_embedded(out)


def test_dosing_sheet_measures_fall_back_to_household_hint_then_dash(tmp_path):
    recipe = RecipeDef(
        "prueba", "Arroz graneado de prueba", "sierra", "almuerzo", ("primaria",),
        (Ingredient("A3", "", Decimal(1), {"primaria": Dose(Decimal(30))}),
         Ingredient("ZZ99", "Hierba del lugar", Decimal(1), {"primaria": Dose(Decimal("2.5"))})),
        preparation="Lavar el arroz.\nCocinar 20 minutos.",
    )
    out = build_dosing_sheet(recipe, {"A3": "Arroz blanco corriente"}, tmp_path / "f.pdf",
                             children={"primaria": 142, "inicial": 38})
    (page,) = pages(out, layout=True)
    assert "Arroz blanco corriente" in squeeze(page)  # no label: the food table's name
    rice = next(line for line in page.splitlines() if "30 g" in line)
    assert "4.26 kg" in rice and "cucharada" in rice  # 30 g × 142, and units.household_hint's measure
    herb = next(line for line in page.splitlines() if "Hierba del lugar" in line)
    assert "2.5 g" in herb and "—" in herb and "355 g" in herb
    assert "1. Lavar el arroz." in page and "2. Cocinar 20 minutos." in page
    assert "Qali Warma" in page  # no committee: the programme's name still heads the page


def test_dosing_sheet_refuses_a_level_the_recipe_has_no_dose_for(db, tmp_path):
    full = recipes.get_recipe(db, "costa-arroz-lentejas-caballa")
    recipe = dataclasses.replace(full, levels=("inicial", "primaria"), ingredients=tuple(
        dataclasses.replace(i, doses={lv: d for lv, d in i.doses.items() if lv != "secundaria"})
        for i in full.ingredients))
    with pytest.raises(InvalidInput, match="no tiene dosis para Secundaria"):
        build_dosing_sheet(recipe, {}, tmp_path / "f.pdf", children={"secundaria": 20})
    with pytest.raises(InvalidInput):
        build_dosing_sheet(recipe, {}, tmp_path / "f.pdf", children={"inicial": -3})
    assert not (tmp_path / "f.pdf").exists()


# ----------------------------------------------------------------------------------------- poster
BREAKFASTS = ["sierra-api-pan-queso", "sierra-canihua-pan-queso", "sierra-quinua-manzana-pan-huevo"]
LUNCHES = ["sierra-patachi", "sierra-aji-pollo", "sierra-chuno-charqui", "sierra-trucha-habas"]
HOLY = {date(2026, 4, 2): "Jueves Santo", date(2026, 4, 3): "Viernes Santo"}


def april_plan(differ_on: date | None = None) -> Plan:
    entries, day, n = [], date(2026, 4, 1), 0
    while day <= date(2026, 4, 30):
        if day.weekday() < 5 and day not in HOLY:
            for level in ("inicial", "primaria"):
                entries.append(PlanEntry(day, "desayuno", level, BREAKFASTS[n % 3]))
                lunch = "sierra-olluquito-charqui" if (day == differ_on and level == "primaria") else LUNCHES[n % 4]
                entries.append(PlanEntry(day, "almuerzo", level, lunch))
            n += 1
        day += timedelta(days=1)
    return Plan(PlanInfo(7, "Abril 2026", date(2026, 4, 1), date(2026, 4, 30), "qw-2014", len(entries)),
                tuple(entries))


@pytest.fixture
def names(db):
    return {r.id: r.name for r in recipes.list_recipes(db)}


def test_month_poster_has_one_page_per_week_with_no_service_days_in_grey(db, school, names, tmp_path):
    out = build_menu_poster(april_plan(), names, tmp_path / "menu.pdf", committee=school, closed=HOLY)
    sheets = pages(out)
    assert len(sheets) == 5  # weeks of 30/03, 06/04, 13/04, 20/04, 27/04
    first = sheets[0]
    assert "Menú escolar del 01/04 al 03/04" in first
    assert first.count("Sin servicio") == 2 and "Jueves Santo" in first and "Viernes Santo" in first
    assert "Otro periodo" in first  # 30 and 31 March belong to another plan
    assert "Menú escolar del 06/04 al 10/04" in sheets[1] and "Menú escolar del 27/04 al 30/04" in sheets[4]
    for n, sheet in enumerate(sheets, start=1):
        assert SCHOOL in sheet and "Programa de Alimentación Escolar" in sheet and f"Página {n} de 5" in sheet
        assert all(day in sheet for day in ("Lunes", "Martes", "Miércoles", "Jueves", "Viernes"))
    week2 = squeeze(sheets[1])
    assert "Api de maíz" in week2 and "Patachi" in week2
    assert "Desayuno Inicial y Primaria" in week2 and "Almuerzo Inicial y Primaria" in week2
    assert "Sin servicio" not in week2
    assert_fonts_embedded(out)


def test_poster_of_chosen_weeks_and_levels_that_eat_differently(db, school, names, tmp_path):
    plan = april_plan(differ_on=date(2026, 4, 8))
    out = build_menu_poster(plan, names, tmp_path / "semana.pdf", committee=school, weeks=[date(2026, 4, 8)])
    (sheet,) = pages(out)
    assert "Menú escolar del 06/04 al 10/04" in sheet
    text = squeeze(sheet)
    assert "Olluquito con charqui" in text  # primaria's lunch that Wednesday
    assert "Desayuno Inicial y Primaria" in text  # breakfast is the same for both levels: one row
    assert "Almuerzo Inicial" in text and "Almuerzo Primaria" in text  # lunch differs one day: a row per level


def test_poster_uses_the_committees_programme_name_and_logo(db, tmp_path, names):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 80), (200, 30, 30)).save(logo)
    form = dataclasses.replace(demo_form(), programme_name="Programa de Alimentación Escolar",
                               logo_path=str(logo))
    info = committee.register(db, form, user="prueba")
    out = build_menu_poster(april_plan(), names, tmp_path / "pae.pdf", committee=info, weeks=[date(2026, 4, 13)])
    text = pdf_text(out)
    assert "Programa de Alimentación Escolar" in text and "Qali Warma" not in text
    assert b"/Subtype /Image" in out.read_bytes()


def test_poster_of_a_plan_without_preparations_is_refused(school, tmp_path):
    empty = Plan(PlanInfo(1, "Mayo", date(2026, 5, 4), date(2026, 5, 29), None), ())
    with pytest.raises(InvalidInput, match="no tiene preparaciones"):
        build_menu_poster(empty, {}, tmp_path / "x.pdf", committee=school)


# ------------------------------------------------------------------------------------- compliance
def metric(name, label, unit, value, low, high, status, message=""):
    percent = None if value is None else value / (low or high) * 100
    return MetricCheck(name, label, unit, value, low, high, status, percent_of_target=percent, message=message)


def hand_made_check() -> PlanCheck:
    info = PlanInfo(3, "Semana de prueba", date(2027, 3, 15), date(2027, 3, 19), "qw-2014", 3)
    ok = EntryCheck(date(2027, 3, 15), "desayuno", "inicial", "sierra-api-pan-queso", "Api", {}, "ok", (
        metric("energy_kcal", "Energía", "kcal", 340.0, 316, 366, "ok"),
        metric("protein_g", "Proteínas", "g", 11.0, 8, 17, "ok"),
        metric("iron_mg", "Hierro", "mg", 2.5, 2, 3, "ok")), ())
    low = EntryCheck(date(2027, 3, 16), "desayuno", "inicial", "nectar-galleta", "Néctar con galleta", {}, "low", (
        metric("energy_kcal", "Energía", "kcal", 176.0, 270, 290, "low",
               "Energía: 176 kcal, por debajo de la meta 270–290 kcal: aumente la porción de cereal"),
        metric("protein_g", "Proteínas", "g", 3.0, 8, 17, "low", "Proteínas: 3 g, por debajo de la meta 8–17 g"),
        metric("iron_mg", "Hierro", "mg", 1.0, 2, 3, "low")),
        ("Energía: 176 kcal, por debajo de la meta 270–290 kcal: aumente la porción de cereal",
         "Proteínas: 3 g, por debajo de la meta 8–17 g"))
    unknown = EntryCheck(date(2027, 3, 17), "desayuno", "inicial", "sierra-patachi", "Patachi", {}, "unknown", (
        metric("energy_kcal", "Energía", "kcal", 330.0, 316, 366, "ok"),
        metric("protein_g", "Proteínas", "g", 10.0, 8, 17, "ok"),
        metric("iron_mg", "Hierro", "mg", None, 2, 3, "unknown")),
        ("Hierro: sin datos en la tabla para E34 (Caballa en conserva); no se puede comprobar.",))
    rules = (
        RuleCheck("haem_iron_per_week", "Hierro hemínico al menos 2 veces por semana", "fail",
                  "semana del 15/03/2027, inicial: 0 día(s) con hierro hemínico; se pide(n) 2", "15/03/2027 inicial"),
        RuleCheck("no_repeat_within_days", "No repetir la preparación antes de 5 días", "ok",
                  "se cumple en todo el plan"),
    )
    return PlanCheck(info, "qw-2014", "Estándar de prueba 2014", (ok, low, unknown), rules,
                     {("desayuno", "inicial"): {"energy_kcal": 282.0, "protein_g": 8.0, "iron_mg": 1.75}})


def test_compliance_report_shows_the_verdicts_problems_and_rules(school, tmp_path):
    out = build_compliance_report(hand_made_check(), tmp_path / "cumplimiento.pdf", committee=school,
                                  recipe_names={"nectar-galleta": "Néctar con galleta de kiwicha"},
                                  standard_source="Ficha técnica de raciones 2014 (CENAN/PMA)")
    text = squeeze(pdf_text(out))
    assert "Informe de cumplimiento nutricional" in text and SCHOOL in text
    assert "Estándar: Estándar de prueba 2014" in text and "Fuente: Ficha técnica de raciones 2014" in text
    assert "1 de 3 comidas cumplen el estándar" in text
    for label in ("Cumple", "Bajo", "Alto", "Sin datos suficientes", "No cumple"):
        assert label in text
    assert "176 kcal, por debajo de la meta 270–290 kcal" in text
    assert "Néctar con galleta de kiwicha" in text  # recipe_names wins over the check's own name
    assert "sin datos en la tabla para E34" in text
    assert "0 día(s) con hierro hemínico" in text
    assert "Martes 16/03/2027" in text
    assert "282 kcal" in text and "316–366 kcal" in text  # period average against the target
    assert "Porcentaje de la meta por día · Inicial" in text
    assert_fonts_embedded(out)


def test_an_average_beyond_a_range_the_standard_takes_as_a_notice_is_not_printed_low(school, tmp_path):
    """Lunch fat (as a share of energy) and calcium below their range are notices: each such meal «cumple».
    The averages table said «Bajo» in red under «Las 84 comidas planificadas cumplen el estándar»."""
    from qaliwarma.domain.menus import average_status

    info = PlanInfo(4, "Semana", date(2027, 3, 15), date(2027, 3, 16), "qw-2014", 2)
    notice = "Grasa (% de la energía): 23 %, por debajo de la meta 25–35 % (aviso: no es un problema)"
    meals = tuple(EntryCheck(date(2027, 3, 15 + n), "almuerzo", "inicial", "r", "Almuerzo", {}, "ok", (
        metric("fat_pct_energy", "Grasa (% de la energía)", "%", pct, 25, 35, "ok", notice),
        metric("iron_mg", "Hierro", "mg", iron, 2, 3.2, status)), ()) for n, (pct, iron, status) in
        enumerate(((23.0, 2.5, "ok"), (21.0, 1.5, "low"))))
    check = PlanCheck(info, "qw-2014", "Estándar", meals, (), {("almuerzo", "inicial"): {"iron_mg": 2.0}})
    fat = [e.checks[0] for e in meals]
    iron = [e.checks[1] for e in meals]
    assert average_status(22.0, fat) == ("ok", "Cumple (bajo el rango: aviso)")  # every meal: a notice
    assert average_status(1.9, iron)[0] == "low"  # a real shortfall stays «Bajo»
    text = squeeze(pdf_text(build_compliance_report(check, tmp_path / "c.pdf", committee=school, recipe_names={})))
    averages = text[text.index("Promedios del periodo"):]
    assert "22 % 25–35 % Cumple (bajo el rango: aviso)" in averages


def test_a_bar_beyond_the_charts_top_is_said_with_its_value(school, tmp_path):
    """Liver gave 315 % of the iron minimum; its bar stopped at the chart's 300 % top, as if it were 300 %."""
    info = PlanInfo(5, "Semana", date(2027, 3, 15), date(2027, 3, 16), "qw-2014", 2)
    meals = tuple(EntryCheck(date(2027, 3, 15 + n), "almuerzo", "inicial", "r", "Hígado", {}, "ok", (
        metric("energy_kcal", "Energía", "kcal", 450.0, 427, 477, "ok"),
        metric("iron_mg", "Hierro", "mg", iron, 2, None, "ok")), ()) for n, iron in enumerate((6.3, 4.0)))
    check = PlanCheck(info, "qw-2014", "Estándar", meals, (), {})
    text = squeeze(pdf_text(build_compliance_report(check, tmp_path / "c.pdf", committee=school, recipe_names={},
                                                    chart_level="inicial")))
    assert "Pasan de 300 %: hierro 315 % el 15/03" in text  # 6.3 mg of a 2 mg minimum
    assert "el 16/03" not in text.split("Pasan de 300 %")[1][:40]  # 200 %: within the chart


def test_compliance_report_from_a_real_check(db, school, names, tmp_path):
    from qaliwarma.services import compliance, standards

    week = Plan(april_plan().info, tuple(e for e in april_plan().entries if e.day <= date(2026, 4, 10)))
    check = compliance.check_plan(db, week, standards.get_standard(db, "qw-2014"), school)
    out = build_compliance_report(check, tmp_path / "real.pdf", committee=school, recipe_names=names)
    text = squeeze(pdf_text(out))
    counts = check.summary()
    if counts["ok"] == counts["entries"]:  # the bank's breakfasts and lunches of that week all meet it
        assert f"Las {counts['entries']} comidas planificadas cumplen el estándar." in text
    else:
        assert f"{counts['ok']} de {counts['entries']} comidas cumplen el estándar" in text
    assert all(names[e.recipe_id] in text for e in week.entries if len(names[e.recipe_id]) < 25)
    assert "Promedios del periodo frente a la meta" in text
