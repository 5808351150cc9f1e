"""Nothing that happened is recorded ahead of today: food received, rations served, an incident, money received,
taken out or spent, each dated after today, is refused with a Spanish message that names the date and today,
and nothing of it enters the journal. Dated today it is taken. A correction may still cancel an entry an older
version let in with a date ahead."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from qaliwarma.domain.stock import Reception, ReceptionLine, ServiceInput
from qaliwarma.domain.treasury import Expense, Transfer
from qaliwarma.errors import InvalidInput
from qaliwarma.persistence.journal import Journal
from qaliwarma.services import committee, corrections, incidents, receiving, serving, treasury
from qaliwarma.services.setup import demo_form

TODAY = date(2026, 11, 10)
TOMORROW = TODAY + timedelta(days=1)
RUC = "20604512370"
SAYS = "la fecha 11/11/2026 es posterior a hoy (10/11/2026): solo se registra lo que ya pasó"


@pytest.fixture
def school(db, monkeypatch):
    monkeypatch.setenv("QALIWARMA_TODAY", TODAY.isoformat())
    return committee.register(db, demo_form(), user="Rosa")


def _entries(db, school) -> int:
    with db.session() as s:
        return len(list(Journal(s, school.id).entries()))


def _reception(day):
    line = ReceptionLine("A52", "A52", "Marca", "BOLSA 1 kg", "BOLSA", Decimal("1000"), Decimal("20"),
                         Decimal("20"), "L-1", date(2026, 9, 1), date(2027, 5, 1), "A123N/NADSA", "bueno", "conforme",
                         "")
    return Reception(day, f"A-{day:%d}", RUC, "Proveedor", (line,))


def _expense(day, number):
    return Expense(day, "gas", "boleta", number, RUC, "Gas Andino", "balón de gas", Decimal("58.00"), "banco")


def test_each_kind_of_record_dated_tomorrow_is_refused_and_dated_today_is_taken(db, school):
    treasury.record_transfer(db, school.id, Transfer(TODAY, Decimal("900.00"), "BN 1"), user="Rosa")
    before = _entries(db, school)
    tries = {
        "transferencia": lambda day: treasury.record_transfer(db, school.id, Transfer(day, Decimal("50.00"), "BN"),
                                                              user="Rosa"),
        "retiro": lambda day: treasury.record_withdrawal(db, school.id, day, Decimal("100.00"), user="Rosa"),
        "recepción": lambda day: receiving.record(db, school.id, [_reception(day)], user="Rosa"),
        "raciones": lambda day: serving.record(db, school, [ServiceInput(
            day, "desayuno", "inicial", "sierra-api-pan-queso", 10, 10, outside_origin="Aporte de padres")],
            user="Cocina"),
        "incidencia": lambda day: incidents.record(db, school.id, incidents.Incident(
            day=day, kind="ninos_enfermos", description="Dos niños con dolor de estómago.", children_affected=2,
            meal="almuerzo"), user="Rosa"),
    }
    for what, record in tries.items():
        with pytest.raises(InvalidInput) as refused:
            record(TOMORROW)
        assert SAYS in str(refused.value), what
        assert _entries(db, school) == before, what  # nothing of it entered the journal
    for record in tries.values():  # the same, dated today
        record(TODAY)
    assert _entries(db, school) == before + len(tries)


def test_an_expense_sheet_with_one_row_dated_ahead_names_that_row_and_records_none(db, school):
    treasury.record_transfer(db, school.id, Transfer(TODAY, Decimal("900.00"), "BN 1"), user="Rosa")
    before = _entries(db, school)
    rows = [_expense(TODAY, "B001-1"), _expense(date(2031, 3, 15), "B001-2"), _expense(TODAY, "B001-3")]
    with pytest.raises(InvalidInput) as refused:
        treasury.record_expenses(db, school.id, rows, user="Rosa", where=["fila 2", "fila 3", "fila 4"])
    problems = [(str(p.where), p.what) for p in refused.value.problems if "posterior a hoy" in p.what]
    assert len(problems) == 1 and problems[0][0].startswith("fila 3")
    assert "la fecha 15/03/2031 es posterior a hoy (10/11/2026)" in problems[0][1]
    assert _entries(db, school) == before


def test_a_record_an_older_version_let_in_ahead_of_today_can_still_be_cancelled(db, school, monkeypatch):
    monkeypatch.setenv("QALIWARMA_TODAY", "2031-03-15")  # as if the computer's clock had said 2031
    typo = treasury.record_transfer(db, school.id, Transfer(date(2031, 3, 15), Decimal("500.00"), "BN 2031"),
                                    user="Rosa")
    monkeypatch.setenv("QALIWARMA_TODAY", TODAY.isoformat())  # the clock put right
    corrections.reverse(db, school.id, typo, user="Rosa", reason="el año era 2026, no 2031")
    assert treasury.balance(db, school.id, "2031-03").transferred_in_month == 0
