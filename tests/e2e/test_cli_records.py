"""Issue 10's records, end to end through the command line: food from outside the store, the illness
incident's lots, the rations register's «% de lo previsto» and the acta's first page. PDFs are read
back with ``pdftotext`` as a reader would see them."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date
from decimal import Decimal

from qaliwarma.reports.base import format_number
from tests.core.test_reports import pages, squeeze
from tests.e2e.conftest import run

# November 2026 from the calendar's facts: 1 November is a Sunday and no public holiday or school break
# falls on a weekday, so the school days are the 21 weekdays
NOVEMBER_SCHOOL_DAYS = {date(2026, 11, d) for d in range(1, 31) if date(2026, 11, d).weekday() < 5}


def _services(dbfile, tmp_path) -> list[dict]:
    bundle = tmp_path / "noviembre.zip"
    assert run("export", "--month", "2026-11", "--out", bundle, db=dbfile).returncode == 0
    with zipfile.ZipFile(bundle) as z:
        name = next(n for n in z.namelist() if n.endswith("servicios.csv"))
        return list(csv.DictReader(io.StringIO(z.read(name).decode("utf-8-sig"))))


def test_rations_register_percent_counts_school_days_only(dbfile, tmp_path):
    services = _services(dbfile, tmp_path)
    saturday = [r for r in services if date.fromisoformat(r["fecha"]) not in NOVEMBER_SCHOOL_DAYS]
    assert saturday, "the demo serves once on a Saturday"
    out = tmp_path / "raciones.pdf"
    done = run("report", "rations", "--month", "2026-11", "--out", out, db=dbfile)
    assert done.returncode == 0, done.stderr
    text = squeeze(" ".join(pages(out)))
    on_school = sum(int(r["raciones_servidas"]) for r in services
                    if date.fromisoformat(r["fecha"]) in NOVEMBER_SCHOOL_DAYS)
    everything = sum(int(r["raciones_servidas"]) for r in services)
    assert everything > on_school
    summary = run("period", "summary", "--month", "2026-11", "--json", db=dbfile, check_json=True).doc
    enrolment = summary["sections"]["raciones"]["facts"]["enrolment"]
    assert enrolment == 38 + 142  # the demo's inicial and primaria
    expected = enrolment * 21 * 2  # breakfast and lunch (quintile 1)
    # the month's foot: the total (Saturday included), the school days' rations, the previsto and the %
    totals = re.search(r"Total del mes ((?:[\d,]+ )+)", text)[1].split()
    assert totals[-1] == format_number(everything)
    assert re.search(r"En días de clase ((?:[\d,]+ )+)", text)[1].split()[-1] == format_number(on_school)
    assert re.search(r"Previsto ((?:[\d,]+ )+)", text)[1].split()[-1] == format_number(expected)
    percents = re.findall(r"([\d.]+) %", re.search(r"% de lo previsto ((?:[\d.]+ % )+)", text)[1])
    assert percents[-1] == format_number(Decimal(on_school) * 100 / expected, 1)


def _lots_eaten(dbfile, day: str, meal: str) -> set[str]:
    """The lots whose recall says they were eaten at ``meal`` on ``day`` (another path than the printout's)."""
    held = {lot["lot"] for lot in run("stock", "--json", db=dbfile, check_json=True).doc}
    found = set()
    for lot in held:
        recall = run("stock", "recall", "--lot", lot, "--json", db=dbfile, check_json=True).doc
        if any(s["date"] == day and s["meal"] == meal for s in recall["servings"]):
            found.add(lot)
    return found


def test_illness_incident_printout_lists_the_lots_of_that_meal(dbfile, tmp_path):
    done = run("incident", "record", "--kind", "ninos_enfermos", "--date", "24/11/2026", "--meal", "desayuno",
               "--children", "3", "--description", "Tres niños de primaria con vómitos después del desayuno",
               db=dbfile)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "incidencias.pdf"
    assert run("report", "incidents", "--month", "2026-11", "--out", out, db=dbfile).returncode == 0
    text = squeeze(" ".join(pages(out)))
    breakfast, lunch = _lots_eaten(dbfile, "2026-11-24", "desayuno"), _lots_eaten(dbfile, "2026-11-24", "almuerzo")
    assert breakfast and lunch - breakfast, "the demo's 24/11 breakfast and lunch use different lots"
    section = text[text.index("Lotes usados el 24/11/2026 en el desayuno"):]
    section = section[:section.index("Registrado por")]
    printed = set(re.findall(r"\b(?:LP?|COMPRA)-[\w-]+", section))
    assert printed == breakfast
    # the same breakfast's food from outside the store (no lot) is named too, with its origin
    received = _ever_received(dbfile)
    outside = {code for r in _services(dbfile, tmp_path) if r["fecha"] == "2026-11-24" and r["comida"] == "desayuno"
               for code in _recipe_grams(dbfile, r["preparacion"], r["nivel"]) if code not in received}
    assert outside
    assert "También se usó, de fuera del almacén (sin lote):" in section
    for code in outside:
        name = next(f["name"] for f in run("foods", "search", code, "--json", db=dbfile, check_json=True).doc
                    if f["code"] == code)
        assert f"{name} (Aporte de padres," in section
    # the demo's own illness incident (18/11, after lunch) lists that lunch's lots
    section = text[text.index("Lotes usados el 18/11/2026 en el almuerzo"):]
    section = section[:section.index("Registrado por")]
    assert set(re.findall(r"\b(?:LP?|COMPRA)-[\w-]+", section)) == _lots_eaten(dbfile, "2026-11-18", "almuerzo")


ACTA_HEAD = ("fecha;acta;proveedor_ruc;proveedor;producto;marca;presentacion;unidad;cantidad;lote;fecha_produccion;"
             "fecha_vencimiento;registro_sanitario;estado_envase;conformidad;observacion;cantidad_aceptada\n")
PRODUCTS = ("A52", "T49", "A69", "A7", "D9", "K1", "G5", "A14", "A104", "A10", "A1", "F76", "A41", "K1")


def test_acta_of_14_lines_starts_them_on_page_1_with_its_verdict(dbfile, tmp_path):
    rows = []
    for n, code in enumerate(PRODUCTS, 1):
        partial = n == 12  # one line partly accepted: the acta is «PARCIAL»
        rows.append(f"27/11/2026;AER-2026-000990;20604512370;Distribuidora Andina del Centro S.A.C.;{code};"
                    f"Marca {n};1 kg;BOLSA;10;L-E2E-{n:02d};01/10/2026;01/10/2027;A43210{n:02d}N/NADSA;"
                    + ("roto;parcial;2 bolsas rotas;8" if partial else "bueno;conforme;;"))
    sheet = tmp_path / "acta.csv"
    sheet.write_text(ACTA_HEAD + "\n".join(rows) + "\n", encoding="utf-8")
    done = run("receive", "import", sheet, db=dbfile)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "acta.pdf"
    assert run("report", "reception", "AER-2026-000990", "--out", out, db=dbfile).returncode == 0
    found = [squeeze(page) for page in pages(out)]
    first = found[0]
    on_first = [n for n in range(1, 15) if f"L-E2E-{n:02d}" in first]
    assert on_first == list(range(1, len(on_first) + 1)) and len(on_first) >= 7, on_first
    assert "Conformidad PARCIAL" in first and "Productos 14 en el acta" in first
    text = " ".join(found)
    assert all(f"L-E2E-{n:02d}" in text for n in range(1, 15))
    assert len(found) <= 3
    assert "☒ PARCIAL" in found[-1] and "Representante del proveedor" in found[-1]


# ------------------------------------------------------------------------------- food from outside the store
def _recipe_grams(dbfile, recipe: str, level: str) -> dict[str, Decimal]:
    shown = run("recipes", "show", recipe, "--level", level, "--json", db=dbfile, check_json=True).doc
    return {i["code"]: Decimal(str(i["grams"])) for i in shown["ingredients"]}


def _ever_received(dbfile) -> set[str]:
    """Products the store ever took in: the lots of the month's bundle (every lot, emptied ones too)."""
    bundle = dbfile.parent / "almacen.zip"
    assert run("export", "--month", "2026-11", "--out", bundle, db=dbfile).returncode == 0
    with zipfile.ZipFile(bundle) as z:
        rows = list(csv.DictReader(io.StringIO(z.read("lotes.csv").decode("utf-8-sig"))))
    return {r["codigo"] for r in rows}


def test_serving_food_that_never_entered_the_store_is_refused_naming_day_meal_and_product(dbfile):
    grams = _recipe_grams(dbfile, "sierra-api-pan-queso", "inicial")
    never = sorted(set(grams) - _ever_received(dbfile))
    assert never, "the breakfast carries bread and fruit the store never received"
    before = run("stock", "--json", db=dbfile, check_json=True).doc
    refused = run("serve", "record", "--date", "26/11/2026", "--meal", "desayuno", "--level", "inicial",
                  "--recipe", "sierra-api-pan-queso", "--rations", "30", "--attendance", "31", db=dbfile)
    assert refused.returncode == 2
    assert "26/11/2026" in refused.stderr and "desayuno" in refused.stderr
    assert "nunca entr" in refused.stderr and "no se registró nada" in refused.stderr
    names = {f["code"]: f["name"] for code in never
             for f in run("foods", "search", code, "--json", db=dbfile, check_json=True).doc if f["code"] == code}
    for code in never:
        assert names[code] in refused.stderr
    assert run("stock", "--json", db=dbfile, check_json=True).doc == before  # nothing left the store
    # a file with the same service and no origin is refused the same way, naming its row
    sheet = dbfile.parent / "raciones.csv"
    sheet.write_text("fecha,comida,nivel,preparacion,raciones_servidas,asistentes\n"
                     "26/11/2026,desayuno,inicial,sierra-api-pan-queso,30,31\n", encoding="utf-8")
    refused = run("serve", "import", sheet, db=dbfile)
    assert refused.returncode == 2 and "raciones.csv: fila 2" in refused.stderr and "nunca entr" in refused.stderr


def test_food_from_outside_the_store_is_recorded_with_its_origin_and_shown_in_kardex_and_monthly(dbfile, tmp_path):
    grams = _recipe_grams(dbfile, "sierra-api-pan-queso", "inicial")
    never = sorted(set(grams) - _ever_received(dbfile))
    done = run("serve", "record", "--date", "26/11/2026", "--meal", "desayuno", "--level", "inicial",
               "--recipe", "sierra-api-pan-queso", "--rations", "30", "--attendance", "31",
               "--outside-origin", "donación", "--json", db=dbfile, check_json=True)
    assert done.returncode == 0, done.stderr
    assert done.doc["outside_kg"] == {c: float(grams[c] * 30 / 1000) for c in never}
    # a file: the optional column origen_fuera, any origin written as the committee says it
    sheet = tmp_path / "raciones.csv"
    sheet.write_text("fecha,comida,nivel,preparacion,raciones_servidas,asistentes,origen_fuera\n"
                     "26/11/2026,desayuno,primaria,sierra-api-pan-queso,120,125,compra con dinero del comité\n",
                     encoding="utf-8")
    imported = run("serve", "import", sheet, db=dbfile)
    assert imported.returncode == 0, imported.stderr
    assert "De fuera del almacén:" in imported.stdout and "(Compra con dinero del comité)" in imported.stdout
    primaria = _recipe_grams(dbfile, "sierra-api-pan-queso", "primaria")
    # the kardex of a product that never entered the store lists what came from outside, with its origin
    code = never[0]
    kardex = tmp_path / "kardex.pdf"
    assert run("report", "kardex", code, "--out", kardex, db=dbfile).returncode == 0
    text = squeeze(" ".join(pages(kardex)))
    assert "nunca entró al almacén" in text and "Alimentos de fuera del almacén" in text
    assert re.search(rf"26/11/2026 Desayuno, inicial Donación \d+ {format_number(grams[code] * 30 / 1000, 3)}", text)
    assert re.search(rf"26/11/2026 Desayuno, primaria Compra con dinero del comité \d+ "
                     rf"{format_number(primaria[code] * 120 / 1000, 3)}", text)
    # the monthly report: outside food as its own figure, per origin and product
    monthly = tmp_path / "mensual.pdf"
    assert run("report", "monthly", "--month", "2026-11", "--out", monthly, db=dbfile).returncode == 0
    text = squeeze(" ".join(pages(monthly)))
    assert "Alimentos de fuera del almacén" in text
    name = next(f["name"] for f in run("foods", "search", code, "--json", db=dbfile, check_json=True).doc
                if f["code"] == code)
    assert re.search(rf"Donación {re.escape(name)} 1 {format_number(grams[code] * 30 / 1000, 3)}", text)
