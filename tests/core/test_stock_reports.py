"""The stock documents as the committee signs them and a supervisor audits them: the reception record,
the kardex, the month's rations register, the expiry report and the incident report.

Built from the demo committee (one acta on 02/11/2026 with a partial line, services from 02 to
25/11/2026, one incident, a milk lot that expires on 10/12/2026) and read back with ``pdftotext``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from qaliwarma.domain.stock import KardexLine, Reception, ReceptionLine
from qaliwarma.errors import NotFound
from qaliwarma.reports.base import format_number, format_weight
from qaliwarma.reports.expiry import build_expiry_report, build_incident_report
from qaliwarma.reports.kardex import build_kardex, kg, movement_label
from qaliwarma.reports.rations import build_rations_register
from qaliwarma.reports.reception import build_reception_record
from qaliwarma.services import calendar, incidents, receiving, serving, stock
from tests.core.test_reports import assert_fonts_embedded, pages, squeeze

TODAY = date(2026, 11, 26)  # the demo serves up to the day before "today": fixed, so the month is known
ACTA = "AER-2026-000731"
MILK, MILK_LOT = "G5", "LP-2609-11"
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def assert_numbered(path) -> list[str]:
    found = pages(path, layout=True)
    assert found
    for n, page in enumerate(found, 1):
        assert f"Página {n} de {len(found)}" in page
    return found


# ------------------------------------------------------------------------------------------ reception
def test_reception_record_shows_the_acta_as_signed_with_its_partial_line(demo, tmp_path):
    db, info = demo
    out = build_reception_record(db, info, ACTA, tmp_path / "acta.pdf")
    found = assert_numbered(out)
    text = squeeze(" ".join(found))
    assert "Acta de recepción de alimentos" in text
    assert f"Acta de entrega n.º {ACTA}" in text and "02/11/2026" in text
    assert "Distribuidora Andina del Centro S.A.C." in text and "RUC 20604512370" in text
    plain = squeeze(" ".join(pages(out)))  # the three checks sit side by side: read them cell by cell
    for question in ("vehículo del proveedor llegó limpio", "indumentaria de protección", "almacén está limpio"):
        assert question in plain
    assert text.count("☒") >= 3  # the three checks, marked "Sí"

    (payload,) = receiving.received_summary(db, info.id, *NOVEMBER)
    milk = next(ln for ln in payload["lines"] if ln["food_code"] == MILK)
    quantity, accepted = Decimal(milk["quantity"]), Decimal(milk["accepted_units"])
    assert accepted < quantity  # the demo's partial line
    row = rf"{MILK_LOT} \S+ Abollado {quantity} {accepted} {quantity - accepted} Parcial"
    assert re.search(row, text), "the milk line shows quantity in the acta, accepted and rejected"
    assert "3 bolsas rotas: se devuelven al proveedor" in text
    accepted_grams = sum(Decimal(ln["accepted_units"]) * Decimal(ln["net_grams_per_unit"]) for ln in payload["lines"])
    rejected_grams = (quantity - accepted) * Decimal(milk["net_grams_per_unit"])
    assert f"Peso neto aceptado (entra al almacén): {format_weight(accepted_grams)}" in text
    assert f"Rechazado (vuelve al proveedor): {format_weight(rejected_grams)}" in text
    for ln in payload["lines"]:  # every line, with its lot and expiry
        assert ln["lot"] in text and date.fromisoformat(ln["expiry"]).strftime("%d/%m/%Y") in text

    last = squeeze(found[-1])  # the conformity and the signatures stay together on the last page
    assert "☒ PARCIAL" in last and "☐ CONFORME" in last and "☐ RECHAZADO" in last
    entry = next(e for e in _receptions(db, info.id) if e.payload["acta"] == ACTA)
    assert f"asiento n.º {entry.seq}" in last and f"código de registro {entry.hash[:12]}" in last
    for member in info.form.members:  # a complete committee (7 signers): name and DNI on their own lines
        assert member.name in last and f"DNI {member.dni}" in last
    assert "Presidente(a) del CAE" in last and "Representante del proveedor" in last
    assert_fonts_embedded(out)


def test_reception_record_starts_its_lines_and_says_its_verdict_on_page_1(demo, tmp_path):
    db, info = demo
    found = pages(build_reception_record(db, info, ACTA, tmp_path / "acta.pdf"))
    first = squeeze(found[0])
    (payload,) = receiving.received_summary(db, info.id, *NOVEMBER)
    names = [ln["product_name"] for ln in payload["lines"]]
    assert len(names) == 14
    for n in range(7):  # the lines start on page 1: half of the acta's 14 (it was 2 of 14)
        assert f"{n + 1}. {names[n]}" in first
    assert "Conformidad PARCIAL" in first  # the demo's acta has a partly accepted line
    assert "Productos 14 en el acta" in first
    assert "vehículo del proveedor llegó limpio" in first  # the checks before receiving, in one row
    assert len(found) == 3  # lines, then observations, then the verdict with the signatures (it was 4)


def _receptions(db, committee_id):
    from qaliwarma.persistence.journal import Journal

    with db.session() as s:
        return Journal(s, committee_id).entries("recepcion")


def test_an_unknown_acta_is_refused_in_spanish_naming_the_ones_recorded(demo, tmp_path):
    db, info = demo
    with pytest.raises(NotFound) as caught:
        build_reception_record(db, info, "AER-2026-999999", tmp_path / "acta.pdf")
    assert "No hay ningún acta de entrega «AER-2026-999999» registrada" in str(caught.value)
    assert ACTA in str(caught.value)
    assert not (tmp_path / "acta.pdf").exists()


def test_a_reversed_acta_prints_as_annulled(demo_copy, tmp_path):
    db, info = demo_copy
    line = ReceptionLine("K1", "Azúcar granulada o refinada", "Cartavio", "BOLSA 1 kg", "BOLSA", Decimal(1000),
                         Decimal(10), Decimal(10), "L-2611-99", date(2026, 10, 1), date(2027, 10, 1),
                         "A4321003N/NADSA", "bueno", "conforme")
    (seq,) = receiving.record(db, info.id, [Reception(date(2026, 11, 20), "AER-2026-000900", "20604512370",
                                                      "Distribuidora Andina del Centro S.A.C.", (line,))],
                              user="prueba")
    serving.reverse(db, info.id, seq, user="prueba", reason="acta duplicada", day=TODAY)
    out = build_reception_record(db, info, "aer-2026-000900", tmp_path / "acta.pdf")
    text = squeeze(" ".join(pages(out, layout=True)))
    assert "ACTA ANULADA el 26/11/2026" in text and "acta duplicada" in text
    assert "☒ CONFORME" in text


# --------------------------------------------------------------------------------------------- kardex
def test_kardex_ends_on_the_stock_on_hand_and_lists_the_lot_held(demo, tmp_path):
    db, info = demo
    out = build_kardex(db, info, MILK, tmp_path / "kardex.pdf", today=TODAY)
    found = assert_numbered(out)
    text = squeeze(" ".join(found))
    assert "Kárdex de almacén" in text and "Leche en polvo entera" in text and "Código G5" in text
    lines = stock.kardex(db, info.id, MILK)
    on_hand = stock.on_hand(db, info.id)[MILK]
    assert lines[-1].balance == on_hand
    assert f"Saldo final: {kg(on_hand)} kg" in text
    received = sum(ln.grams for ln in lines if ln.grams > 0)
    issued = -sum(ln.grams for ln in lines if ln.grams < 0)
    assert f"Totales del periodo {kg(received)} {kg(issued)} {kg(on_hand)}" in text
    assert f"Ingreso por acta {ACTA}" in text
    assert "Salida a cocina: desayuno, inicial" in text and "Salida a cocina: almuerzo, primaria" in text
    assert f"{MILK_LOT} Vaquita Andina 10/12/2026 Vence en 14 días {kg(on_hand)}" in text
    assert_fonts_embedded(out)


def test_kardex_shows_commercial_units_beside_kg_and_a_signed_physical_count(demo, tmp_path):
    db, info = demo
    found = pages(build_kardex(db, info, MILK, tmp_path / "kardex.pdf", today=TODAY))
    text = squeeze(" ".join(found))
    (payload,) = receiving.received_summary(db, info.id, *NOVEMBER)
    milk = next(ln for ln in payload["lines"] if ln["food_code"] == MILK)
    lot = next(lt for lt in stock.lots(db, info.id, food_code=MILK) if lt.lot == MILK_LOT)
    bags = (lot.balance_grams / Decimal(milk["net_grams_per_unit"])).quantize(Decimal("0.1"))
    assert f"{kg(lot.balance_grams)} {format_number(bags, 1, trim=True)} bolsas" in text  # kg, then bags
    last = squeeze(found[-1])
    assert "Conteo físico del almacén" in last and "Contado (unidades y kg)" in last
    president = next(m for m in info.form.members if m.role == "presidente")
    assert "Almacenero(a)" in last and president.name in last  # who counts and who witnesses sign


def test_kardex_of_a_period_brings_the_balance_forward(demo, tmp_path):
    db, info = demo
    start, end = date(2026, 11, 10), date(2026, 11, 20)
    out = build_kardex(db, info, "A52", tmp_path / "kardex.pdf", start=start, end=end)
    text = squeeze(" ".join(pages(out, layout=True)))
    lines = stock.kardex(db, info.id, "A52")
    opening = [ln for ln in lines if ln.day < start][-1].balance
    closing = [ln for ln in lines if ln.day <= end][-1].balance
    assert f"Saldo anterior al 10/11/2026 {kg(opening)}" in text
    assert f"Saldo final: {kg(closing)} kg al 20/11/2026" in text
    assert "Movimientos del 10/11/2026 al 20/11/2026" in text
    assert "09/11/2026" not in text and "23/11/2026" not in text


def test_kardex_names_adjustments_and_corrections(demo_copy, tmp_path):
    db, info = demo_copy
    (lot,) = stock.lots(db, info.id, food_code=MILK)
    stock.adjust(db, info.id, lot.id, Decimal(-500), "perdida", day=TODAY, user="prueba", note="bolsa rota")
    last_service = serving.services_in(db, info.id, *NOVEMBER)[-1]
    serving.reverse(db, info.id, last_service.journal_seq, user="prueba", reason="duplicado", day=TODAY)
    out = build_kardex(db, info, MILK, tmp_path / "kardex.pdf")
    text = squeeze(" ".join(pages(out, layout=True)))
    assert "Ajuste: Pérdida (bolsa rota)" in text
    assert f"Corrección (revierte asiento n.º {last_service.journal_seq}): duplicado" in text
    assert f"Saldo final: {kg(stock.on_hand(db, info.id)[MILK])} kg" in text


def test_kardex_of_a_product_never_received_is_refused(demo, tmp_path):
    db, info = demo
    with pytest.raises(NotFound, match="nunca ingresó al almacén"):
        build_kardex(db, info, "A3", tmp_path / "kardex.pdf")


# -------------------------------------------------------------------------------------------- rations
def test_rations_register_totals_match_the_services_and_mark_days_without_record(demo, tmp_path):
    db, info = demo
    out = build_rations_register(db, info, 2026, 11, tmp_path / "raciones.pdf")
    found = assert_numbered(out)
    text = squeeze(" ".join(found))
    services = serving.services_in(db, info.id, *NOVEMBER)
    total = sum(s.rations for s in services)
    assert total > 0
    assert f"Total de raciones servidas en noviembre de 2026: {format_number(total)}" in text
    school_days = calendar.school_days(db, info.id, *NOVEMBER)
    missing = [d for d in school_days if d not in {s.day for s in services}]
    assert missing  # the demo stops the day before TODAY
    assert len(re.findall(r"\d\d/\d\d Sin registro", text)) == len(missing)
    assert f"Días de clase: {len(school_days)}" in text
    assert "Jueves 26/11 Sin registro" in text
    # per level × meal totals, enrolment and % of enrolment × school days. The school days are counted
    # here from the calendar's facts, not from the code: November 2026 has no public holiday on a weekday
    # (1 November is a Sunday) and no school break, so its school days are its 21 weekdays; the demo's
    # Saturday service is in the month's total but not in «% de lo previsto»
    weekdays = {date(2026, 11, d) for d in range(1, 31) if date(2026, 11, d).weekday() < 5}
    assert len(weekdays) == 21 and set(school_days) == weekdays

    def percent(n: int, level: str) -> str:
        return f"{format_number(Decimal(n) * 100 / (info.enrolment(level) * 21), 1)} %"

    row, on_school, pct = ["Total del mes"], ["En días de clase"], ["% de lo previsto"]
    for level in info.levels:
        for meal in ("desayuno", "almuerzo"):
            n = sum(s.rations for s in services if s.level == level and s.meal == meal)
            school_n = sum(s.rations for s in services if s.level == level and s.meal == meal and s.day in weekdays)
            row.append(format_number(n))
            on_school.append(format_number(school_n))
            pct.append(percent(school_n, level))
        present: dict[date, int] = {}
        for s in services:
            if s.level == level:
                present[s.day] = max(present.get(s.day, 0), s.attendance)
        row.append(format_number(sum(present.values())))
        on_school.append(format_number(sum(n for d, n in present.items() if d in weekdays)))
        pct.append(percent(sum(n for d, n in present.items() if d in weekdays), level))
    row.append(format_number(total))
    on_school.append(format_number(sum(s.rations for s in services if s.day in weekdays)))
    assert any(s.day not in weekdays for s in services), "the demo serves once on a Saturday"
    assert " ".join(row) in text
    assert " ".join(on_school) in text
    assert " ".join(pct) in text
    assert "Matriculados 38 niños 142 niños 180" in text
    first = squeeze(found[0])
    assert "INICIAL" in first and "PRIMARIA" in first and "Desayuno Almuerzo Asistentes" in first
    assert "Presidente(a) del CAE" in text and "Secretario(a) del CAE" in text
    assert_fonts_embedded(out)


def test_rations_register_totals_anomalies_and_signatures_share_the_last_page(demo, tmp_path):
    db, info = demo
    out = build_rations_register(db, info, 2026, 11, tmp_path / "raciones.pdf")
    last = squeeze(pages(out)[-1])  # cell by cell: the signatures sit beside the totals
    assert "Total del mes" in last and "% de lo previsto" in last  # the table's foot
    assert "Total de raciones servidas en noviembre de 2026" in last
    assert "Presidente(a) del CAE" in last and "Secretario(a) del CAE" in last
    assert "Para revisar" in last
    # what to look at, found here from the services, the calendar and the enrolment
    services = serving.services_in(db, info.id, *NOVEMBER)
    school_days = set(calendar.school_days(db, info.id, *NOVEMBER))
    missing = [d for d in sorted(school_days) if d not in {s.day for s in services}]
    assert f"Días de clase sin registro de raciones ({len(missing)})" in last
    off_days = sorted({s.day for s in services if s.day not in school_days})
    assert off_days  # the demo serves one Saturday
    for day in off_days:
        assert f"{day:%d/%m}: se anotaron" in last and "en un día sin clases" in last
    over = [s for s in services if s.rations > info.enrolment(s.level)]
    for s in over:
        assert f"{s.day:%d/%m}, {s.meal} de {s.level}: {s.rations} raciones para {info.enrolment(s.level)} " \
               "matriculados" in last


def test_rations_register_of_a_month_without_services(demo, tmp_path):
    db, info = demo
    out = build_rations_register(db, info, 2026, 12, tmp_path / "raciones.pdf")
    text = squeeze(" ".join(assert_numbered(out)))
    days = calendar.school_days(db, info.id, date(2026, 12, 1), date(2026, 12, 31))
    assert len(re.findall(r"\d\d/\d\d Sin registro", text)) == len(days) > 0
    assert "Total de raciones servidas en diciembre de 2026: 0" in text


# ----------------------------------------------------------------------------------- expiry, incidents
def expiry_counts(text: str) -> tuple[int, int]:
    found = re.search(r"(\d+) lotes? vencidos? · (\d+) por vencer", text)
    assert found, "the report says how many lots expired and how many expire soon"
    return int(found[1]), int(found[2])


def test_expiry_report_shows_the_milk_lot_soon_then_expired(demo, tmp_path):
    db, info = demo
    soon = build_expiry_report(db, info, TODAY, tmp_path / "soon.pdf")
    text = squeeze(" ".join(assert_numbered(soon)))
    listed = stock.expiring(db, info.id, TODAY, 30)
    assert MILK_LOT in {lot.lot for lot in listed}
    assert expiry_counts(text) == (sum(lot.expired(TODAY) for lot in listed),
                                   sum(not lot.expired(TODAY) for lot in listed))
    balance = kg(stock.on_hand(db, info.id)[MILK])
    assert "Productos vencidos y por vencer" in text and "próximos 30 días" in text
    assert "Leche en polvo entera" in text and f"{MILK_LOT} 10/12/2026" in text and balance in text
    assert "Vence en" in text and "14 días" in text
    for lot in listed:
        assert lot.lot in text and kg(lot.balance_grams) in text

    later_day = date(2026, 12, 15)
    later = build_expiry_report(db, info, later_day, tmp_path / "later.pdf", days=10)
    text = squeeze(" ".join(pages(later, layout=True)))
    listed = stock.expiring(db, info.id, later_day, 10)
    expired = [lot for lot in listed if lot.expired(later_day)]
    assert MILK_LOT in {lot.lot for lot in expired}
    assert expiry_counts(text) == (len(expired), len(listed) - len(expired))
    assert "VENCIDO" in text and "hace 5 días" in text  # the milk, 10/12 → 15/12
    assert "Retiro por vencimiento" in text
    assert_fonts_embedded(later)
    calm = build_expiry_report(db, info, date(2026, 11, 2), tmp_path / "calm.pdf", days=5)
    assert "Ningún lote del almacén vence en los próximos 5 días" in squeeze(" ".join(pages(calm, layout=True)))


def test_incident_report_lists_each_incident_with_its_facts(demo_copy, tmp_path):
    db, info = demo_copy
    incidents.record(db, info.id, incidents.Incident(
        day=date(2026, 11, 20), kind="ninos_enfermos", description="Cuatro niños con dolor de estómago.",
        food_code=MILK, lot=MILK_LOT, children_affected=4, referred_to_health_post=True,
        reported_to_programme=True, programme_reference="UT-HVCA-2026-114", notes="Se suspendió la leche."),
        user="prueba")
    out = build_incident_report(db, info, tmp_path / "incidencias.pdf")
    text = squeeze(" ".join(assert_numbered(out)))
    # the demo has two incidents (10/11 and 18/11); the test adds a third
    assert "Informe de incidencias" in text and "3 incidencias · niños afectados: 8" in text
    assert "1. Producto en mal estado 10/11/2026" in text and "2. Niños enfermos 18/11/2026" in text
    assert "3. Niños enfermos 20/11/2026" in text
    assert f"Leche en polvo entera, marca Vaquita Andina, lote {MILK_LOT}" in text
    assert "Referencia: UT-HVCA-2026-114" in text and "Se avisó al proveedor" in text
    assert "1 sin reportar al programa" in text
    later = build_incident_report(db, info, tmp_path / "nov.pdf", start=date(2026, 11, 11), end=date(2026, 11, 30))
    text = squeeze(" ".join(pages(later, layout=True)))
    assert "Incidencias del 11/11/2026 al 30/11/2026" in text and "2 incidencias ·" in text
    assert "Producto en mal estado" not in text
    assert_fonts_embedded(out)


def test_kardex_movements_read_in_the_committees_words():
    def line(kind, reason="", reference=""):
        return KardexLine(TODAY, 9, kind, "L-1", Decimal(1), Decimal(1), reason, reference)

    assert movement_label(line("recepcion", "", f"acta {ACTA}")) == f"Ingreso por acta {ACTA}"
    assert movement_label(line("recepcion", "compra", "boleta B002-004518")) == "Ingreso por compra: boleta B002-004518"
    assert movement_label(line("recepcion", "compra", "declaracion_jurada DJ-001")) == \
        "Ingreso por compra: declaración jurada DJ-001"
    assert movement_label(line("salida", "servicio", "02/11/2026 almuerzo secundaria")) == \
        "Salida a cocina: almuerzo, secundaria"
    assert movement_label(line("ajuste", "Deterioro (malogrado)")) == "Ajuste: Deterioro (malogrado)"
    assert movement_label(line("correccion", "error de digitación", "revierte asiento n.º 4")) == \
        "Corrección (revierte asiento n.º 4): error de digitación"


ACTA_HEAD = ("fecha;acta;proveedor_ruc;proveedor;producto;marca;presentacion;unidad;cantidad;lote;fecha_produccion;"
             "fecha_vencimiento;registro_sanitario;estado_envase;conformidad;observacion;hora_llegada;guia_remision\n")


def test_arrival_time_and_guia_de_remision_from_the_acta_file_print_on_page_1(demo_copy, tmp_path):
    from qaliwarma.io.stock_files import read_receptions

    db, info = demo_copy
    sheet = tmp_path / "acta.csv"
    sheet.write_text(ACTA_HEAD + "03/11/2026;AER-2026-000950;20604512370;Proveedor SAC;K1;Cartavio;1 kg;BOLSA;10;"
                     "L-1;01/10/2026;01/10/2027;A4321003N/NADSA;bueno;conforme;;7.05;EG01-000123\n", encoding="utf-8")
    receptions, where = read_receptions(sheet, lambda text: text, {})
    assert (receptions[0].arrival_time, receptions[0].guide) == ("07:05", "EG01-000123")
    receiving.record(db, info.id, receptions, user="almacén", where=where)
    first = squeeze(pages(build_reception_record(db, info, "AER-2026-000950", tmp_path / "acta.pdf"))[0])
    assert "Hora de llegada 07:05" in first and "Guía de remisión EG01-000123" in first
    # an acta without them (the demo's) prints no such row
    assert "Hora de llegada" not in squeeze(pages(build_reception_record(db, info, ACTA, tmp_path / "d.pdf"))[0])


def test_an_arrival_time_that_is_not_a_time_is_refused_naming_row_and_column(tmp_path):
    from qaliwarma.errors import InvalidInput
    from qaliwarma.io.stock_files import read_receptions

    sheet = tmp_path / "acta.csv"
    sheet.write_text(ACTA_HEAD + "03/11/2026;AER-1;20604512370;Proveedor SAC;K1;Cartavio;1 kg;BOLSA;10;"
                     "L-1;01/10/2026;01/10/2027;RS;bueno;conforme;;25:10;\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        read_receptions(sheet, lambda text: text, {})
    assert "fila 2, columna hora_llegada: «25:10» no es una hora" in str(refused.value)
