"""Calendario escolar: the committee sees its school year with the sources (MINEDU resolution, holiday
laws), and records or undoes its own adjustments through the same journaled service as
`qaliwarma calendar add/undo` — a bad adjustment names what is missing and records nothing."""

from __future__ import annotations

from datetime import date

import pytest

from qaliwarma import cli
from qaliwarma.services import calendar, committee, setup
from ui.context import AppContext
from ui.pages.calendar import CalendarPage


@pytest.fixture
def school(ui_db):
    return committee.register(ui_db, setup.demo_form(), user="prueba")


@pytest.fixture
def page(qtbot, ui_db, runner, school, wait_idle) -> CalendarPage:
    page = CalendarPage(AppContext(ui_db, runner, school, user="Yolanda"))
    qtbot.addWidget(page)
    page.resize(1136, 700)
    page.show()
    page.year.setValue(2026)
    wait_idle()
    qtbot.waitUntil(lambda: page.listing is not None and page.listing.year == 2026)
    return page


def _rows(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def _fill_form(page, kind: str, start: date, end: date | None = None, name: str = "", source: str = "") -> None:
    page.kind.setCurrentIndex(page.kind.findData(kind))
    page.start.set_day(start)
    page.end.set_day(end or start)
    page.name.setText(name)
    page.source.setText(source)


def test_the_year_shows_its_school_days_breaks_and_holidays_with_their_sources(page):
    # R.M. N.° 501-2025-MINEDU: 16 March – 18 December 2026, three semanas de gestión: 172 school days
    assert "172 días de clase" in page.summary.text()
    assert "16/03/2026" in page.summary.text() and "18/12/2026" in page.summary.text()
    assert "R.M. N.° 501-2025-MINEDU" in page.summary.text()
    breaks = _rows(page.breaks_table)
    assert [b[0] for b in breaks] == ["18/05/2026 al 22/05/2026", "27/07/2026 al 07/08/2026",
                                      "12/10/2026 al 16/10/2026"]
    assert all("501-2025-MINEDU" in b[2] for b in breaks)
    holidays = {h[0]: h for h in _rows(page.holidays_table)}
    assert "Ley 31788" in holidays["07/06/2026"][2]  # 7 June, a holiday from 2024
    assert holidays["07/06/2026"][3] == "No: fin de semana"  # a Sunday in 2026
    assert holidays["02/04/2026"][3] == "Sí"  # Jueves Santo, a Thursday in term
    assert holidays["01/01/2026"][3] == "No: fuera del año escolar"
    months = _rows(page.months_table)
    assert sum(int(m[1]) for m in months) == 172
    # March 2026: 16–20, 23–27, 30 and 31 → 12 weekdays, no holiday
    assert months[0][1] == "12" and months[0][2].split(", ")[:3] == ["16", "17", "18"]


def test_a_local_holiday_is_recorded_in_the_journal_and_undone_with_its_reason(qtbot, page, ui_db, school,
                                                                                wait_idle, capsys):
    page.tabs.setCurrentIndex(2)
    _fill_form(page, "sin_clases", date(2026, 9, 15), name="Aniversario del distrito",
               source="Ordenanza municipal 012-2026")
    page.save()
    qtbot.waitUntil(lambda: page.status.text().startswith("✓"))
    wait_idle()
    qtbot.waitUntil(lambda: "171 días de clase" in page.summary.text())  # a Tuesday in term
    [row] = _rows(page.adjustments_table)
    assert row[2:] == ["15/09/2026", "Aniversario del distrito", "Ordenanza municipal 012-2026", "Yolanda",
                       "Vigente"]
    assert any(b[1] == "Aniversario del distrito" and b[2] == "Ordenanza municipal 012-2026"
               for b in _rows(page.breaks_table))
    # the same adjustment the command line sees (one journal, one service)
    assert cli.main(["--db", ui_db.url, "calendar", "--year", "2026", "--json"]) == 0
    import json

    listed = json.loads(capsys.readouterr().out)
    assert listed["school_days"] == 171 and "2026-09-15" not in listed["days"]
    seq = int(row[0])
    assert listed["adjustments"][0]["seq"] == seq and listed["adjustments"][0]["user"] == "Yolanda"

    page.adjustments_table.selectRow(0)
    assert page.undo_button.isEnabled()
    page.undo(seq, "La municipalidad cambió la fecha")
    qtbot.waitUntil(lambda: "172 días de clase" in page.summary.text())
    [row] = _rows(page.adjustments_table)
    assert row[6] == "Anulado: La municipalidad cambió la fecha"
    page.adjustments_table.selectRow(0)
    assert not page.undo_button.isEnabled()  # an undone adjustment cannot be undone again
    [kept] = calendar.adjustments_of(ui_db, school.id)  # still in the journal, reversed
    assert kept.seq == seq and not kept.active and kept.reversed_reason == "La municipalidad cambió la fecha"


def test_the_regions_own_start_date_adds_its_school_days(qtbot, page, wait_idle):
    # the region starts on Monday 9 March: one more week, 172 + 5 = 177 days
    _fill_form(page, "inicio", date(2026, 3, 9), name="Inicio del año escolar en la región",
               source="R.D.R. 0123-2026-GRH/DREH")
    assert not page.end.isVisible()  # a start date is one day
    page.save()
    qtbot.waitUntil(lambda: "177 días de clase" in page.summary.text())
    assert "09/03/2026" in page.summary.text()


def test_an_adjustment_without_what_and_source_names_both_and_records_nothing(qtbot, page, ui_db, school,
                                                                            wait_idle):
    page.tabs.setCurrentIndex(2)
    _fill_form(page, "sin_clases", date(2026, 9, 18), date(2026, 9, 15), name=" ", source="")
    page.end.set_day(date(2026, 9, 15))  # before the start on purpose
    page.save()
    qtbot.waitUntil(lambda: page.status.text().startswith("El ajuste del calendario tiene errores"))
    wait_idle()
    assert "no se guardó" in page.status.text()
    assert page.messages["name"].text().startswith("Escriba qué es")
    assert page.messages["source"].text().startswith("Escriba la norma o el acuerdo")
    assert page.messages["dates"].text() == "El 18/09/2026 es posterior al 15/09/2026."
    assert calendar.adjustments_of(ui_db, school.id) == []
    assert "172 días de clase" in page.summary.text()
    # written in, a field's red message goes at once (it stayed until the next «Registrar ajuste»)
    qtbot.keyClicks(page.name, "Aniversario")
    assert page.messages["name"].text() == "" and page.messages["source"].text().startswith("Escriba la norma")
    qtbot.keyClicks(page.source, "Ordenanza 1")
    page.end.set_day(date(2026, 9, 19))
    assert page.messages["source"].text() == "" and page.messages["dates"].text() == ""


def test_a_day_with_rations_recorded_is_made_a_day_without_classes_only_after_saying_so(qtbot, page, ui_db,
                                                                                        school, wait_idle):
    """10/11 had its rations recorded; marking it a day without classes was accepted without a word, and those
    rations stopped counting toward what was planned (only Cierre flagged it, later)."""
    import sqlite3
    from pathlib import Path

    from qaliwarma.services import serving
    from qaliwarma.services.serving import ServiceInput

    calendar.add_adjustment(ui_db, school.id, "con_clases", date(2026, 11, 10), name="Clases", source="R.D. 1",
                            user="prueba")  # sure to be a school day, whatever the official calendar says
    serving.record(ui_db, school, [ServiceInput(date(2026, 11, 10), "almuerzo", "primaria", "sierra-prueba-lentejas",
                                                129, 135, 0, outside_origin="Aporte de padres")], user="prueba")
    with sqlite3.connect(Path(ui_db.url.removeprefix("sqlite:///"))) as conn:  # read apart from the services
        rations = conn.execute("SELECT sum(rations) FROM service_records WHERE day='2026-11-10' AND active=1"
                               ).fetchone()[0]
    asked: list[str] = []
    page.confirm_served = lambda text: asked.append(text) or False
    page.tabs.setCurrentIndex(2)
    _fill_form(page, "sin_clases", date(2026, 11, 9), date(2026, 11, 11), name="Paro", source="Acta 3")
    before = len(calendar.adjustments_of(ui_db, school.id))
    page.save()
    qtbot.waitUntil(lambda: page.status.text() == "No se registró el ajuste.")
    wait_idle()
    assert len(asked) == 1 and f"• 10/11/2026: {rations} raciones registradas" in asked[0]
    assert "09/11/2026" not in asked[0]  # only the days with rations are named
    assert len(calendar.adjustments_of(ui_db, school.id)) == before
    page.confirm_served = lambda text: True  # said, and confirmed
    page.save()
    qtbot.waitUntil(lambda: page.status.text().startswith("✓"))
    assert len(calendar.adjustments_of(ui_db, school.id)) == before + 1
