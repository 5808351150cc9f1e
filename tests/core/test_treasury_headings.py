"""The budget headings and their shares decide what each month is allotted — printed on the balance: each change
is a ``tesoreria.rubros`` journal entry, and a change of the table made with another program is seen."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal

import pytest

from qaliwarma.cli import main
from qaliwarma.domain.treasury import Heading, Transfer
from qaliwarma.errors import NotAllowed
from qaliwarma.persistence.engine import open_database
from qaliwarma.persistence.journal import Journal
from qaliwarma.services import committee, integrity, people, treasury
from qaliwarma.services.setup import demo_form

SHARES = [Heading("alimentos", "Alimentos", Decimal("75")), Heading("gas", "Gas", Decimal("10")),
          Heading("transporte", "Transporte", None, Decimal("40.00"))]


@pytest.fixture
def school(db):
    info = committee.register(db, demo_form(), user="Yolanda")
    treasury.record_transfer(db, info.id, Transfer(date(2026, 11, 2), Decimal("1000.00"), "BN 1"), user="Yolanda")
    return info


def _sql(db, statement: str) -> None:
    with sqlite3.connect(db.url.removeprefix("sqlite:///")) as conn:
        conn.execute(statement)


def _findings(db, info) -> list[str]:
    return [str(f) for f in integrity.check_one(db, info.id, again=True).findings]


def _gas(db, info) -> Decimal:
    return {h.code: h for h in treasury.balance(db, info.id, "2026-11").headings}["gas"].allotted


def test_setting_the_headings_is_a_journal_entry_and_the_table_follows_it(db, school):
    assert _gas(db, school) == Decimal("80.00")  # the defaults (gas 8 % of S/ 1,000.00), with no rows nor entry
    assert _findings(db, school) == []
    treasury.set_headings(db, school.id, SHARES, user="Yolanda Curi Ramos")
    with db.session() as s:
        entry = [e for e in Journal(s, school.id).entries() if e.kind == "tesoreria.rubros"]
    assert [(r["code"], r["share_percent"], r["fixed_amount"]) for r in entry[0].payload["rubros"]] == [
        ("alimentos", "75", None), ("gas", "10", None), ("transporte", None, "40.00")]
    assert entry[0].user == "Yolanda Curi Ramos"
    assert _gas(db, school) == Decimal("100.00")
    assert _findings(db, school) == []


@pytest.mark.parametrize(("statement", "said"), [
    # November's gas allotment would go from S/ 100.00 to S/ 300.00 on the balance
    ("UPDATE budget_headings SET share_percent = 30 WHERE code = 'gas'",
     "Rubro — budget_headings gas: porcentaje («share_percent») dice 30.00, pero el asiento n.º"),
    ("UPDATE budget_headings SET name = 'Gas y leña' WHERE code = 'gas'", "Rubro — budget_headings gas: nombre («name») dice Gas y leña"),
    ("DELETE FROM budget_headings WHERE code = 'transporte'", "Rubro — budget_headings transporte: falta el rubro que fija"),
    ("INSERT INTO budget_headings (committee_id, code, name, position, share_percent) "
     "SELECT id, 'fiesta', 'Fiesta', 9, 15 FROM committees", "Rubro — budget_headings fiesta: el asiento n.º"),
])
def test_a_change_of_the_headings_made_with_another_program_is_named_and_nothing_is_printed_from_it(
        db, school, tmp_path, capsys, statement, said):
    treasury.set_headings(db, school.id, SHARES, user="Yolanda Curi Ramos")
    _sql(db, statement)
    assert any(said in f for f in _findings(db, school)), _findings(db, school)
    pdf = tmp_path / "balance.pdf"
    rc = main(["--db", db.url.removeprefix("sqlite:///"), "report", "balance", "--month", "2026-11",
               "--out", str(pdf)])
    assert rc != 0 and not pdf.exists()
    assert "no coinciden con su diario" in capsys.readouterr().err


def test_headings_written_without_any_entry_are_named(db, school):
    """No entry sets the headings: the defaults hold, and they have no rows. A row is written only with its entry."""
    _sql(db, "INSERT INTO budget_headings (committee_id, code, name, position, share_percent) "
             "SELECT id, 'gas', 'Gas', 0, 90 FROM committees")
    assert any("Rubro — budget_headings gas: ningún asiento fija los rubros" in f for f in _findings(db, school))


def test_only_a_member_who_handles_the_money_sets_the_headings(db, school):
    for member in demo_form().members:
        people.set_pin(db, school.id, member.dni, "1234", user=people.SETUP_USER)
    secretary = people.sign_in(db, school.id, "42345678", "1234")
    with pytest.raises(NotAllowed):
        treasury.set_headings(db, school.id, SHARES, user=secretary)
    assert _gas(db, school) == Decimal("80.00")
    treasury.set_headings(db, school.id, SHARES, user=people.sign_in(db, school.id, "45678901", "1234"))
    assert _gas(db, school) == Decimal("100.00")


def test_headings_set_by_an_earlier_version_are_entered_as_found_when_the_database_is_upgraded(db, school):
    """Before this version the table was written without an entry. The upgrade enters what it finds, once, so
    the committee's figures do not move and a later change is seen."""
    _sql(db, "INSERT INTO budget_headings (committee_id, code, name, position, share_percent) "
             "SELECT id, 'alimentos', 'Alimentos', 0, 70 FROM committees")
    _sql(db, "INSERT INTO budget_headings (committee_id, code, name, position, fixed_amount) "
             "SELECT id, 'gas', 'Gas', 1, 55.50 FROM committees")
    # a share an older version's Python API let through with three decimals: SQLite keeps the float 12.365,
    # which the program reads as 12.37; the entry must say 12.37 too, or verify calls it changed
    _sql(db, "INSERT INTO budget_headings (committee_id, code, name, position, share_percent) "
             "SELECT id, 'estipendio', 'Estipendio', 2, 12.365 FROM committees")
    _sql(db, "DROP TABLE closed_month_files")  # a database of that version had not this later table either
    _sql(db, "UPDATE alembic_version SET version_num = '0015_treasury_day_indexes'")
    before = _gas(db, school)
    db.dispose()
    upgraded = open_database(db.url)
    try:
        with upgraded.session() as s:
            entries = Journal(s, school.id).entries()
        assert [(e.kind, e.user) for e in entries[-1:]] == [("tesoreria.rubros", "configuracion")]
        read = {h.code: h.share_percent for h in treasury.headings(upgraded, school.id)}
        assert entries[-1].payload["rubros"] == [
            {"code": "alimentos", "name": "Alimentos", "share_percent": "70.00", "fixed_amount": None},
            {"code": "gas", "name": "Gas", "share_percent": None, "fixed_amount": "55.50"},
            {"code": "estipendio", "name": "Estipendio", "share_percent": str(read["estipendio"]),
             "fixed_amount": None}]
        check = integrity.check_one(upgraded, school.id, again=True)
        assert check.ok, [str(f) for f in check.findings]
        assert {h.code: h for h in treasury.balance(upgraded, school.id, "2026-11").headings}["gas"].allotted \
            == before == Decimal("55.50")
        _sql(upgraded, "UPDATE budget_headings SET fixed_amount = 155.50 WHERE code = 'gas'")
        assert any("monto fijo por ciclo («fixed_amount») dice 155.50" in str(f)
                   for f in integrity.check_one(upgraded, school.id, again=True).findings)
    finally:
        upgraded.dispose()


def test_the_upgrade_run_again_by_hand_does_not_bless_shares_changed_with_sqlite(db, school):
    """An attacker changed the shares and set alembic_version back to 0015 so that the upgrade would enter the
    rows «as found»: the committee's own entry stands, and verify names the rows."""
    treasury.set_headings(db, school.id, SHARES, user="Yolanda Curi Ramos")
    _sql(db, "UPDATE budget_headings SET share_percent = 90 WHERE code = 'alimentos'")
    _sql(db, "DROP TABLE closed_month_files")  # a database of that version had not this later table either
    _sql(db, "UPDATE alembic_version SET version_num = '0015_treasury_day_indexes'")
    db.dispose()
    upgraded = open_database(db.url)
    try:
        with upgraded.session() as s:
            kinds = [e.kind for e in Journal(s, school.id).entries()]
        assert kinds.count("tesoreria.rubros") == 1
        assert any("porcentaje («share_percent») dice 90.00" in str(f)
                   for f in integrity.check_one(upgraded, school.id, again=True).findings)
    finally:
        upgraded.dispose()


def test_headings_changed_after_a_closing_by_an_entry_the_program_would_refuse_are_named(db, school):
    """set_headings refuses once a month is closed (each closed month's allotment is printed and sealed). An
    entry written past it (the journal's own API, rehashed) changed November's allotments and verify said
    «íntegro»: now it names the entry."""
    from qaliwarma.domain.treasury import headings_payload
    from qaliwarma.services import periods

    treasury.set_headings(db, school.id, SHARES, user="Yolanda Curi Ramos")
    periods.close(db, school.id, "2026-11", user="Rosa", today=date(2026, 12, 2))
    assert _findings(db, school) == []
    with pytest.raises(Exception, match="ya se cerró 2026-11"):
        treasury.set_headings(db, school.id, SHARES[:1], user="Yolanda Curi Ramos")
    forged = [Heading("alimentos", "Alimentos", Decimal("90")), Heading("gas", "Gas", Decimal("10")),
              Heading("transporte", "Transporte", None, Decimal("40.00"))]
    with db.session() as s:
        seq = Journal(s, school.id).append("tesoreria.rubros", date(2026, 12, 3), headings_payload(forged),
                                           user="x").seq
    _sql(db, "UPDATE budget_headings SET share_percent = 90 WHERE code = 'alimentos'")
    assert any(f"asiento n.º {seq}: cambia los rubros después del cierre de 2026-11" in f for f in _findings(db, school))


def test_shares_with_more_than_two_decimals_and_removing_a_heading_with_expenses_are_refused(db, school):
    from qaliwarma.domain.treasury import Expense
    from qaliwarma.errors import InvalidInput

    with pytest.raises(InvalidInput) as refused:
        treasury.set_headings(db, school.id, [Heading("alimentos", "Alimentos", Decimal("70.005")),
                                              Heading("gas", "Gas", Decimal("29.995"))], user="Yolanda Curi Ramos")
    assert "admite como máximo 2 decimales" in str(refused.value.problems)
    # absurd amounts: SQLite kept 99999999999999.99 as …98 (verify then called the save tampering); 1E+30 and
    # NaN crashed with InvalidOperation. Each is named beside its heading, and nothing is saved
    for absurd, said in ((Decimal("99999999999999.99"), "debe estar entre 0 y 10,000,000"),
                         (Decimal("1E+30"), "debe estar entre 0 y 10,000,000"),
                         (Decimal("NaN"), "no es un número finito"), (Decimal("-5"), "no puede ser menor que cero")):
        with pytest.raises(InvalidInput) as refused:
            treasury.set_headings(db, school.id, [Heading("alimentos", "Alimentos", Decimal("80")),
                                                  Heading("gas", "Gas", None, absurd)], user="Yolanda Curi Ramos")
        assert any(p.where == "Gas" and said in p.what for p in refused.value.problems), refused.value.problems
    treasury.record_withdrawal(db, school.id, date(2026, 11, 2), Decimal("100.00"), user="Yolanda")
    treasury.record_expenses(db, school.id, [Expense(date(2026, 11, 3), "limpieza", "boleta", "B001-1",
                                                     "20604512370", "Bazar", "lejía", Decimal("5.00"))], user="Yolanda")
    with pytest.raises(InvalidInput) as refused:
        treasury.set_headings(db, school.id, SHARES, user="Yolanda Curi Ramos")  # no «limpieza» in SHARES
    assert "«limpieza» tiene gastos registrados" in str(refused.value.problems)
    assert _findings(db, school) == [] and _gas(db, school) == Decimal("80.00")  # nothing changed
