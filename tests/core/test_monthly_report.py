"""The monthly accountability report as the committee signs it and a supervisor matches it to the
exported file: its verification code and QR on every page, and totals equal to the records.

Built from the demo committee (services from 02 to 25/11/2026, one delivery, purchases and expenses,
one incident), with November closed on 01/12/2026, and read back with ``pdftotext``.
"""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from datetime import date
from pathlib import Path

import pytest

from qaliwarma.domain.stock import ServiceInput
from qaliwarma.io.bundle import read_bundle
from qaliwarma.money import format_soles
from qaliwarma.reports.base import format_number
from qaliwarma.reports.monthly import build_monthly_report
from qaliwarma.services import committee, export, periods, serving, treasury
from qaliwarma.services import demo as demo_records
from qaliwarma.services.month_report import QR_TAG, month_facts
from qaliwarma.services.setup import demo_form
from qaliwarma.services.supervision import measure
from tests.core.test_reports import assert_fonts_embedded, pages, squeeze
from tests.dbfixtures import copy_sqlite

MONTH = "2026-11"
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
DEMO_TODAY = date(2026, 11, 26)  # the demo serves up to the day before
CLOSED_ON = date(2026, 12, 1)

FLAG_LABELS = {code: kind["title"] for code, kind in tomllib.loads(
    (Path(__file__).resolve().parents[2] / "resources" / "checks" / "flags.toml").read_text(encoding="utf-8")).items()}


def _demo(template_sqlite, folder, *, anomalies: bool = False):
    db = copy_sqlite(template_sqlite, folder / "demo.sqlite3")
    info = committee.register(db, demo_form(), user="demo")
    demo_records.create(db, info, today=DEMO_TODAY)
    if anomalies:
        planned = {(d, m, lv): r for d, m, lv, r, _, _ in export._plan_entries(db, info.id, *NOVEMBER)}
        breakfast = planned[(date(2026, 11, 2), "desayuno", "inicial")]
        usual = planned[(date(2026, 11, 26), "desayuno", "primaria")]
        other = next(r for (_, m, lv), r in planned.items() if m == "desayuno" and lv == "primaria" and r != usual)
        serving.record(db, info, [
            # a Saturday, and more rations than the 38 children enrolled in inicial
            ServiceInput(date(2026, 11, 28), "desayuno", "inicial", breakfast, 45, 45, outside_origin="Aporte de padres"),
            # another preparation than the plan's
            ServiceInput(date(2026, 11, 26), "desayuno", "primaria", other, 140, 140, outside_origin="Aporte de padres"),
        ], user="demo")
    periods.close(db, info.id, MONTH, user="demo", today=CLOSED_ON)
    return db, info


@pytest.fixture(scope="module")
def november(template_sqlite, tmp_path_factory):
    """(db, committee, pdf, code, text per page) of the demo's closed November, built once."""
    folder = tmp_path_factory.mktemp("monthly")
    db, info = _demo(template_sqlite, folder)
    out = folder / "informe-mensual.pdf"
    code = build_monthly_report(db, info, MONTH, out)
    yield db, info, out, code, pages(out)
    db.dispose()


@pytest.fixture(scope="module")
def anomalous(template_sqlite, tmp_path_factory):
    folder = tmp_path_factory.mktemp("monthly-anomalies")
    db, info = _demo(template_sqlite, folder, anomalies=True)
    out = folder / "informe-mensual.pdf"
    code = build_monthly_report(db, info, MONTH, out)
    yield db, info, out, code, pages(out)
    db.dispose()


def _flags_of_the_exported_bundle(db, info, path):
    manifest = export.export_month(db, info, MONTH, path)
    return manifest, measure(read_bundle(path)).flags


FIRST = 0  # the first page: the ratings and what does not add up


# ------------------------------------------------------------------------------------------ the code
def test_the_code_is_the_exported_bundles_and_is_on_every_page(november, tmp_path):
    db, info, out, code, found = november
    assert code == export.verification_code(export.month_code(db, info, MONTH))
    manifest = export.export_month(db, info, MONTH, tmp_path / "noviembre.zip")
    assert code == export.verification_code(manifest["bundle_code"])  # what `qaliwarma export` prints
    assert len(found) >= 8
    for n, page in enumerate(found, 1):
        text = squeeze(page)
        assert code in text, f"page {n} lacks the verification code"
        assert f"Página {n} de {len(found)}" in text
        assert "Código de verificación" in text


def test_the_qr_code_names_the_school_the_month_and_the_full_bundle_code(november, tmp_path):
    db, info, out, code, _ = november
    facts = month_facts(db, info, MONTH)
    full = export.month_code(db, info, MONTH)
    assert facts.qr_payload == f"{QR_TAG}|{info.form.codigo_modular}|{MONTH}|{full}"
    if not (shutil.which("zbarimg") and shutil.which("pdftoppm")):
        pytest.skip("Leer el código QR necesita zbarimg (zbar-tools) y pdftoppm.")
    images = tmp_path / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "120", "-f", "1", "-l", "2", str(out), str(images)], check=True)
    for image in sorted(tmp_path.glob("page*.png")):
        read = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True)
        assert read.stdout.strip() == facts.qr_payload


def test_a_closed_month_says_so_and_the_font_is_embedded(november):
    _, info, out, _, found = november
    assert_fonts_embedded(out)
    cover = squeeze(found[1])  # the identification follows the summary
    assert "MES CERRADO" in cover and "Rendición de cuentas de noviembre de 2026" in cover
    assert info.form.codigo_modular in cover and info.form.ugel in cover and info.form.school_name in cover
    for member in info.form.members:
        assert member.name in cover and member.dni in cover
    assert "Resumen de noviembre de 2026" in squeeze(found[FIRST])


# ---------------------------------------------------------------------------------------- the totals
def test_total_rations_equal_the_services_recorded(november):
    db, info, _, _, found = november
    total = sum(s.rations for s in serving.services_in(db, info.id, *NOVEMBER))
    assert total > 0
    assert f"{format_number(total)} raciones" in squeeze(found[FIRST])
    rations_page = next(squeeze(p) for p in found if "Total del mes" in p)  # the register's foot
    assert format_number(total) in rations_page.split("Total del mes")[1].split("Previsto")[0]


def test_money_totals_equal_the_treasury_balance(november):
    db, info, _, _, found = november
    b = treasury.balance(db, info.id, MONTH)
    summary = squeeze(found[FIRST])
    for amount in (b.transferred_in_month, b.spent_in_month, b.balance, b.bank, b.cash):
        assert format_soles(amount) in summary
    money = next(squeeze(p) for p in found if "Dinero del programa" in p)
    for amount in (b.transferred_in_month, b.spent_in_month, b.balance):
        assert format_soles(amount) in money
    for heading in b.headings:
        assert heading.name in money and format_soles(heading.balance) in money


def test_the_flags_are_those_the_supervisor_finds(november, tmp_path):
    db, info, _, _, found = november
    _, flags = _flags_of_the_exported_bundle(db, info, tmp_path / "noviembre.zip")
    assert flags  # the demo stops serving on 25/11: school days without a record
    summary, text = squeeze(found[FIRST]), squeeze(" ".join(found))
    assert "Lo que no cuadra" in summary
    for flag in flags:
        assert FLAG_LABELS[flag.code] in summary and FLAG_LABELS[flag.code] in text
    assert "Sin registro: 26/11" in summary  # the first day without a record, written the Peruvian way


def test_seeded_anomalies_are_flagged_and_the_changed_menu_shows(anomalous, tmp_path):
    db, info, out, code, found = anomalous
    _, flags = _flags_of_the_exported_bundle(db, info, tmp_path / "noviembre.zip")
    kinds = {f.code for f in flags}
    assert {"raciones_sobre_matricula", "servicio_dia_no_lectivo"} <= kinds
    text = squeeze(" ".join(found))
    for kind in kinds:
        assert FLAG_LABELS[kind] in text
    assert "28/11/2026, desayuno de inicial: 45 raciones para 38 matriculados" in text
    assert "Se sirvió:" in text and "Sin plan." in text
    total = sum(s.rations for s in serving.services_in(db, info.id, *NOVEMBER))
    assert f"{format_number(total)} raciones" in squeeze(found[FIRST])
    for page in found:
        assert code in squeeze(page)


def test_rations_on_a_day_without_classes_count_in_the_total_but_not_in_the_percentages(anomalous):
    """Page 1 said the Saturday's rations «no cuentan para lo previsto», while the register page added them to
    its percentages (84 % against page 1's 80.7 %). Expected figures from the services, not the report."""
    db, info, _, _, found = anomalous
    from qaliwarma.services.calendar import school_days

    school = set(school_days(db, info.id, *NOVEMBER))
    rows = serving.services_in(db, info.id, *NOVEMBER)
    outside = [r for r in rows if r.day not in school]
    assert outside  # the Saturday of the seeded anomalies
    page = next(squeeze(p) for p in found if "Total del mes" in p)
    foot = page.split("Total del mes")[1]
    on_school = sum(r.rations for r in rows if r.day in school)
    assert "En días de clase" in foot and format_number(on_school) in foot.split("En días de clase")[1].split("Previsto")[0]
    import re

    percents = re.findall(r"(\d+) %", foot.split("% de lo previsto")[1].split("Previsto:")[0])
    expected = sum(info.enrolment(lv) for lv in info.levels) * len(school) * 2
    inicial = sum(r.rations for r in rows if r.day in school and (r.meal, r.level) == ("desayuno", "inicial"))
    assert percents[0] == str(round(100 * inicial / (info.enrolment("inicial") * len(school))))
    assert percents[-1] == str(round(100 * on_school / expected))
    assert percents[-1] != str(round(100 * sum(r.rations for r in rows) / expected))  # the Saturday would show
    assert "El % cuenta solo las raciones de los días de clase." in page


def test_a_yield_deviation_is_the_same_figure_on_every_page(november):
    """Quinoa read «+11.3 %» in the yield table and «+11.2 %» in the flag: two roundings of a deviation already
    rounded to four decimals. Each figure is now computed here from the grams, half up."""
    from decimal import ROUND_HALF_UP, Decimal

    db, info, _, _, found = november
    text = squeeze(" ".join(found))
    flagged = [y for y in serving.yield_check(db, info, *NOVEMBER) if y.flagged]
    assert flagged
    for y in flagged:
        pct = ((y.issued_grams - y.expected_grams) / y.expected_grams * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
        shown = f"{'+' if pct > 0 else ''}{format_number(pct, 1)} %"
        assert text.count(shown) >= 2, (y.name, shown)  # the yield table and the supervisor's flag


# ------------------------------------------------------------------------------- a month with nothing
def test_a_new_committee_prints_an_open_empty_month_without_money(db, tmp_path):
    info = committee.register(db, demo_form(), user="prueba")
    out = tmp_path / "vacio.pdf"
    code = build_monthly_report(db, info, "2026-11", out, today=date(2026, 12, 1))
    assert code == export.verification_code(export.month_code(db, info, "2026-11"))
    found = pages(out)
    text = squeeze(" ".join(found))
    assert "MES ABIERTO" in text
    assert "La escuela no maneja dinero del programa." in text and "Dinero del programa" not in text
    assert FLAG_LABELS["mes_sin_cerrar"] in text and FLAG_LABELS["dias_sin_registro"] in text
    assert all(code in squeeze(p) for p in found)
    assert_fonts_embedded(out)


def test_the_report_lists_the_months_deliveries_and_receipts_with_programme_and_bought_food_apart(november):
    from decimal import Decimal

    from qaliwarma.services import receiving

    db, info, _out, _code, text = november
    whole = squeeze(" ".join(text))
    [acta] = receiving.received_summary(db, info.id, *NOVEMBER)  # the demo's one delivery, as recorded
    assert "Entregas del programa y compras del comité" in whole
    accepted = sum(Decimal(str(ln["accepted_units"])) * Decimal(str(ln["net_grams_per_unit"]))
                   for ln in acta["lines"])
    assert f"Alimentos recibidos del programa: {format_number(accepted / 1000, 3)} kg (1 acta)" in whole
    refused = [ln for ln in acta["lines"] if Decimal(str(ln["accepted_units"])) < Decimal(str(ln["quantity"]))]
    assert refused  # the demo's acta has a partly accepted line
    assert f"{acta['acta']} " in whole and "PARCIAL" in whole
    assert f"Productos no aceptados o aceptados en parte: {len(refused)} en parte, 0 rechazados" in whole
    b = treasury.balance(db, info.id, MONTH)
    assert f"Comprobantes del mes ({len(b.expenses)})" in whole
    assert f"Total {format_soles(b.spent_in_month)}" in whole
    bought = sum((Decimal(e.amount) for e in b.expenses if e.doc_number in ("B002-004518", "DJ-001")), Decimal(0))
    from sqlalchemy import func, select

    from qaliwarma.persistence.models import StockMovement

    with db.session() as s:  # what the purchases put into the store, read straight from the kardex's rows
        bought_g = s.scalar(select(func.sum(StockMovement.grams)).where(
            StockMovement.committee_id == info.id, StockMovement.kind == "recepcion",
            StockMovement.reason == "compra", StockMovement.day <= NOVEMBER[1]))
    assert bought_g > 0
    assert (f"Alimentos comprados con el dinero del comité: {format_number(Decimal(bought_g) / 1000, 3)} kg, "
            f"por {format_soles(bought)}") in whole


def test_the_store_table_says_why_its_printed_kilos_may_not_add_up_to_the_gram(november):
    """9.000 − 7.586 printed as 1.415, and a total 0.001 off the sum of its rows: half grams, shown to the gram."""
    db, info, _, _, found = november
    from qaliwarma.services import stock

    assert any(lot.balance_grams % 1 for lot in stock.lots(db, info.id, with_empty=True))  # half grams held
    start = next(n for n, p in enumerate(found) if "Almacén: movimientos por producto" in p)
    section = squeeze(" ".join(found[start:])).split("Control de rendimiento")[0]  # the table may go on a page
    assert "puede diferir en 0.001 de lo que suman las cifras impresas" in section
