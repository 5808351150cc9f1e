"""Operations the desktop app and the command line share, as the core does them: an incident reported to
the programme (one unit of work), reversal dating, the plan file that belongs to another committee."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from qaliwarma.domain.treasury import Transfer
from qaliwarma.errors import InvalidInput
from qaliwarma.persistence.journal import Journal
from qaliwarma.services import committee, corrections, incidents, periods, treasury
from qaliwarma.services.setup import demo_form


@pytest.fixture
def school(db):
    return committee.register(db, demo_form(), user="Rosa")


def _entries(db, cid):
    with db.session() as s:
        return Journal(s, cid).entries("incidencia")


def test_reporting_an_incident_replaces_it_in_one_step(db, school):
    seq = incidents.record(db, school.id, incidents.Incident(date(2026, 10, 5), "producto_mal_estado",
                                                             "Leche con olor agrio"), user="Rosa")
    new = incidents.mark_reported(db, school.id, seq, "UT Huancavelica 311", user="Rosa", today=date(2026, 10, 6))
    [shown] = incidents.list_incidents(db, school.id)
    assert (shown.seq, shown.incident.reported_to_programme, shown.incident.programme_reference) == (
        new, True, "UT Huancavelica 311")
    assert len(_entries(db, school.id)) == 3  # the original, its reversal, the corrected one


def test_an_incident_in_a_closed_month_is_left_exactly_as_it_was(db, school):
    seq = incidents.record(db, school.id, incidents.Incident(date(2026, 9, 5), "producto_mal_estado",
                                                             "Leche con olor agrio"), user="Rosa")
    periods.close(db, school.id, "2026-09", user="Rosa", today=date(2026, 10, 6))
    before = _entries(db, school.id)
    with pytest.raises(InvalidInput):
        incidents.mark_reported(db, school.id, seq, "  ", user="Rosa", today=date(2026, 10, 6))
    assert _entries(db, school.id) == before
    # reported late, as often happens: a note of the report dated today, in October; September's entries untouched
    noted = incidents.mark_reported(db, school.id, seq, "UT 12", user="Rosa", today=date(2026, 10, 6))
    assert _entries(db, school.id) == before  # September's incident entry is not rewritten
    with db.session() as s:
        note = Journal(s, school.id).get(noted)
    assert (note.kind, note.entry_date, note.payload) == ("incidencia.reporte", date(2026, 10, 6),
                                                          {"incident": seq, "reference": "UT 12"})
    (listed,) = incidents.list_incidents(db, school.id)
    assert (listed.seq, listed.incident.reported_to_programme, listed.incident.programme_reference) == (seq, True,
                                                                                                      "UT 12")


def test_a_reversal_is_dated_like_its_entry_while_the_month_is_open_else_today():
    today = date(2026, 12, 3)
    assert corrections.reversal_day(date(2026, 11, 20), today, {"2026-10"}) == date(2026, 11, 20)
    assert corrections.reversal_day(date(2026, 11, 20), today, {"2026-10", "2026-11"}) == today


def test_cancelling_an_incident_without_a_date_follows_the_same_rule(db, school):
    seq = incidents.record(db, school.id, incidents.Incident(date(2026, 10, 5), "producto_mal_estado",
                                                             "Leche con olor agrio"), user="Rosa")
    corrections.reverse(db, school.id, seq, user="Rosa", reason="duplicada", today=date(2026, 11, 2))
    reversal = [e for e in _entries(db, school.id) if e.corrects_seq == seq][0]
    assert reversal.entry_date == date(2026, 10, 5)


def test_an_operation_says_which_areas_it_changed_from_what_it_recorded(db, school):
    from qaliwarma.services import changes

    incident = incidents.Incident(date(2026, 10, 5), "producto_mal_estado", "Leche con olor agrio")
    done = changes.recording(db, school.id, lambda: incidents.record(db, school.id, incident, user="Rosa"))
    assert done.areas == {"incident"} and done.result == changes.head(db, school.id)
    undone = changes.recording(db, school.id, lambda: corrections.reverse(
        db, school.id, done.result, user="Rosa", reason="duplicada", today=date(2026, 10, 6)))
    assert undone.areas == {"incident"}  # a reversal touches what its entry touched
    refused = changes.recording(db, school.id, lambda: None)
    assert refused.areas == frozenset()
    transfer = changes.recording(db, school.id, lambda: treasury.record_transfer(
        db, school.id, Transfer(date(2026, 10, 1), Decimal("500.00"), "op. 1"), user="Rosa"))
    assert transfer.areas == {"treasury"}


def test_a_refused_expense_sheet_says_row_and_column_as_data(demo_copy, tmp_path):
    """What the Tesorería page lays out as a table of rows and columns, without reading the message."""
    from qaliwarma.errors import InvalidInput
    from qaliwarma.services import treasury

    db, info = demo_copy
    sheet = tmp_path / "gastos.csv"
    sheet.write_text("fecha;rubro;tipo_documento;numero_documento;ruc_dni;proveedor;detalle;monto\n"
                     "10/11/2026;Gas;factura;F001-000555;20604512371;Gas SAC;Balón de gas;58,00\n"
                     "11/11/2026;Limpieza;boleta;B001-000777;20604512370;Bazar;Lejía;-12,50\n",
                     encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        treasury.import_expense_sheet(db, info.id, sheet, user="Rosa", dry_run=True)
    places = {(p.file, p.row, p.column) for p in refused.value.problems}
    assert ("gastos.csv", 2, "ruc_dni") in places and ("gastos.csv", 3, "monto") in places


def test_a_refused_package_names_its_file_apart_from_what_is_wrong(db, tmp_path):
    import zipfile

    from qaliwarma.services import supervision

    fake = tmp_path / "noviembre.zip"
    with zipfile.ZipFile(fake, "w") as zf:
        zf.writestr("hola.txt", "no soy un paquete")
    [result] = supervision.import_bundle_files(db, [fake])
    assert result.status == "rechazado" and result.path == str(fake)
    assert "manifest.json" in result.message and not result.message.startswith("noviembre.zip")


def test_more_children_affected_than_the_school_has_enrolled_is_refused_and_named(db, school):
    """9999 children ill (99999 typed, the form dropped a digit) was recorded for a school of 180."""
    enrolled = sum(level.enrolment for level in demo_form().levels)  # the demo's own form: 38 + 142
    assert enrolled == 180
    too_many = incidents.Incident(date(2026, 10, 5), "ninos_enfermos", "Dolor de estómago tras el almuerzo",
                                  children_affected=enrolled + 1)
    with pytest.raises(InvalidInput) as refused:
        incidents.record(db, school.id, too_many, user="Rosa")
    assert [(p.where, p.what) for p in refused.value.problems] == [
        ("Niños afectados", "181 es más que los 180 niños matriculados en la escuela; revise el número")]
    assert _entries(db, school.id) == []
    incidents.record(db, school.id, incidents.Incident(date(2026, 10, 5), "ninos_enfermos",
                                                       "Dolor de estómago tras el almuerzo",
                                                       children_affected=enrolled), user="Rosa")
    assert len(_entries(db, school.id)) == 1
