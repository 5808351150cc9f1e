"""Incidencias: an incident is logged with its facts, refused with a message beside the field when
incomplete, marked as reported to the programme with its reference, voided with a reason, printed."""

from __future__ import annotations

from datetime import date

import pytest

from qaliwarma.services import incidents
from tests.ui.conftest import DEMO_TODAY, type_date
from ui.models.stock_lists import IncidentListModel
from ui.pages.incidents import IncidentsPage

TODAY = DEMO_TODAY


@pytest.fixture
def page(qtbot, ctx, wait_idle):
    widget = IncidentsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1136, 680)
    widget.show()
    wait_idle()
    return widget


def _column(page: IncidentsPage, column: int) -> list[str]:
    return [page.proxy.index(r, column).data() for r in range(page.proxy.rowCount())]


def test_the_demo_incidents_are_listed_with_the_one_not_reported(page):
    assert _column(page, 0) == ["18/11/2026", "10/11/2026"]
    assert _column(page, 5) == ["UT Huancavelica, reporte 2026-311", "Falta reportar"]
    assert "1 sin reportar al programa" in page.list_hint.text()


def test_logging_an_incident_with_product_and_lot(page, ctx, wait_idle):
    page.tabs.setCurrentIndex(1)
    page.day.set_day(date(2026, 11, 25))
    page.kind.setCurrentIndex(page.kind.findData("producto_mal_estado"))
    page.description.setPlainText("Tres bolsas de leche con humedad en el almacén")
    page.product.setCurrentIndex(page.product.findData("G5"))
    assert page.lot.findText("LP-2609-11") >= 0  # the lots of the product are offered
    page.lot.setCurrentText("LP-2609-11")
    page.notes.setText("Se separaron")
    page.save()
    wait_idle()
    recorded = incidents.list_incidents(ctx.db, ctx.committee.id)
    new = next(r.incident for r in recorded if r.incident.day == date(2026, 11, 25))
    assert (new.kind, new.food_code, new.lot, new.reported_to_programme) == \
        ("producto_mal_estado", "G5", "LP-2609-11", False)
    assert "Recuerde reportarla al programa" in page.banner.text.text()
    assert page.tabs.currentIndex() == 0
    assert _column(page, 0)[0] == "25/11/2026"
    assert page.description.toPlainText() == ""


def test_an_incomplete_incident_is_refused_beside_its_fields(page, ctx, wait_idle):
    before = len(incidents.list_incidents(ctx.db, ctx.committee.id))
    page.save()
    assert page.messages["kind"].text() == "Elija el tipo de incidencia."
    page.kind.setCurrentIndex(page.kind.findData("ninos_enfermos"))
    page.description.setPlainText("Mal")
    page.reported.setChecked(True)
    page.save()
    wait_idle()
    assert page.messages["children"].text() == "Indique cuántos niños se enfermaron."
    assert page.messages["description"].text() == "Cuente qué pasó."
    assert page.messages["reference"].text() == "Anote el número o referencia del reporte."
    assert "no se registró" in page.status.text()
    assert len(incidents.list_incidents(ctx.db, ctx.committee.id)) == before


def test_marking_an_incident_as_reported_keeps_the_journal(page, ctx, wait_idle):
    pending = next(r for r in incidents.list_incidents(ctx.db, ctx.committee.id)
                   if not r.incident.reported_to_programme)
    page.mark_reported(pending.seq, "UT Huancavelica, reporte 2026-330")
    wait_idle()
    now = incidents.list_incidents(ctx.db, ctx.committee.id)
    assert all(r.incident.reported_to_programme for r in now)
    assert len(now) == 2
    assert "UT Huancavelica, reporte 2026-330" in _column(page, 5)
    assert "Todas están reportadas" in page.list_hint.text()
    from qaliwarma.persistence.journal import Journal

    with ctx.db.session() as s:
        journal = Journal(s, ctx.committee.id)
        assert journal.verify().ok
        assert journal.get(pending.seq).payload["description"] == pending.incident.description  # still there


def test_a_long_programme_reference_wraps_in_its_column_and_leaves_what_happened_readable(page, ctx, wait_idle):
    """A reference typed long used to widen its column until «Qué pasó» was 80 px («ué pas») with rows ten
    lines tall."""
    pending = next(r for r in incidents.list_incidents(ctx.db, ctx.committee.id)
                   if not r.incident.reported_to_programme)
    long_reference = "UT Huancavelica, oficio n.º 2026-000999-MIDIS/PNAEQW-UTHVCA, recibido por mesa de partes"
    page.mark_reported(pending.seq, long_reference)
    wait_idle()
    assert long_reference in _column(page, 5)
    header, metrics = page.table.horizontalHeader(), page.table.fontMetrics()
    assert header.sectionSize(5) < metrics.horizontalAdvance(long_reference) / 2  # wrapped in its own width
    assert header.sectionSize(2) >= metrics.horizontalAdvance("Qué pasó") * 2  # «Qué pasó» keeps its room


def test_voiding_an_incident(page, ctx, wait_idle):
    record = incidents.list_incidents(ctx.db, ctx.committee.id)[0]
    page.void(record.seq, "Se registró dos veces")
    wait_idle()
    assert len(incidents.list_incidents(ctx.db, ctx.committee.id)) == 1
    assert page.proxy.rowCount() == 1


def test_printing_the_incident_report_of_a_month(page, printed, wait_idle):
    page.period.setCurrentIndex(page.period.findText("Noviembre 2026"))
    page.print_report()
    wait_idle()
    assert [p.name for p in printed] == ["incidencias-2026-11.pdf"]
    assert printed[0].read_bytes().startswith(b"%PDF")


def test_incident_model(qtmodeltester, ctx):
    model = IncidentListModel()
    qtmodeltester.check(model)
    model.set_rows(incidents.list_incidents(ctx.db, ctx.committee.id))
    qtmodeltester.check(model)


def test_a_date_that_could_not_be_kept_as_typed_is_said_under_it_and_nothing_is_recorded(qtbot, page, ctx, wait_idle):
    """«31/02/2026» became 28/02/2026 and the incident was recorded on a day nobody typed; what the field said
    was only in a tooltip."""
    from PySide6.QtCore import Qt

    page.window().activateWindow()
    page.tabs.setCurrentIndex(1)
    page.kind.setCurrentIndex(page.kind.findData("producto_mal_estado"))
    page.description.setPlainText("Leche con humedad")
    before = len(incidents.list_incidents(ctx.db, ctx.committee.id))
    type_date(qtbot, page.day, "31/11/2026")
    page.description.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(page.description.hasFocus)
    said = page.messages["day"].text()
    assert "El día 31 no existe en noviembre de 2026" in said and page.messages["day"].isVisible()
    page.save()
    wait_idle()
    assert len(incidents.list_incidents(ctx.db, ctx.committee.id)) == before
    assert "El día 31 no existe" in page.messages["day"].text()
    type_date(qtbot, page.day, "25/11/2026")
    assert page.messages["day"].text() == ""
    page.save()
    wait_idle()
    assert [r.incident.day for r in incidents.list_incidents(ctx.db, ctx.committee.id)].count(date(2026, 11, 25)) == 1


def test_a_product_rejected_at_reception_can_be_reported_with_its_lot(page, ctx, wait_idle):
    """What was rejected at a delivery never entered the store, and it is what an incident reports first: it was
    missing from the list of products."""
    from decimal import Decimal

    from qaliwarma.domain.stock import Reception, ReceptionLine
    from qaliwarma.services import receiving

    assert page.product.findData("T5") < 0  # never held by the demo's store
    rejected = ReceptionLine("T5", "Frejol aguisho", "Costeño", "BOLSA 5 kg", "BOLSA", Decimal("5000"),
                             Decimal("4"), Decimal("0"), "AR-77", date(2026, 9, 1), date(2027, 5, 1), "A123N/NADSA",
                             "roto", "rechazado", "bolsas rotas y con gorgojo")
    receiving.record(ctx.db, ctx.committee.id, [Reception(date(2026, 11, 25), "ACTA-REC-9", "20604512370",
                                                          "Proveedor", (rejected,))], user="Rosa")
    page.refresh()
    wait_idle()
    page.tabs.setCurrentIndex(1)
    index = page.product.findData("T5")
    assert index >= 0 and "Frejol aguisho (T5)" == page.product.itemText(index)
    page.product.setCurrentIndex(index)
    assert page.lot.findText("AR-77") >= 0  # its lot is offered, as a stored product's are
