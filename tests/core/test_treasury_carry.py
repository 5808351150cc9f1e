"""Treasury figures carried forward from the last closed month (issue 17): a month's balance, the cash book's
opening balances and the headings' figures are the closing's figures plus what the history changed since,
and they equal the whole-history sums for any history: months closed in any order, entries recorded later
with an earlier date in a month still open, reversals dated in a later month (which cancel, from their own
date, an entry of a closed month) or back-dated before what they cancel. ``qaliwarma verify`` recomputes the
figures every closing carries; a closing written before they did still gives the right balance."""

from __future__ import annotations

import json
from contextlib import ExitStack
from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from qaliwarma.domain.treasury import Expense, Transfer
from qaliwarma.errors import InvalidInput, JournalError
from qaliwarma.persistence.journal import CLOSING
from qaliwarma.persistence.models import JournalEntry
from qaliwarma.reports.treasury import cash_book_month
from qaliwarma.services import backup, committee, integrity, periods, treasury, treasury_figures
from qaliwarma.services.corrections import reverse
from qaliwarma.services.setup import demo_form
from tests.dbfixtures import copy_sqlite
from tests.forgery import edit_behind_the_back, rehash_in_database


@pytest.fixture(autouse=True)
def _as_of_the_end_of_2027(monkeypatch):
    """These records are dated in 2027: the tests run as of its end (nothing is recorded ahead of today)."""
    monkeypatch.setenv("QALIWARMA_TODAY", "2027-12-31")


RUC = "20604512370"
MONTHS = ["2027-03", "2027-04", "2027-05", "2027-06", "2027-07"]
HEADINGS = ["alimentos", "gas", "transporte"]
TODAY = date(2027, 12, 1)  # every month over: each may be closed


def _month_end(month: str) -> date:
    return treasury_figures.month_days(month)[1]


def _whole_history():
    """Every carry-forward switched off: the figures summed over the whole history."""
    return mock.patch.object(treasury_figures, "find_carry", lambda *args, **kwargs: None)


def _summary(b: treasury.Balance) -> tuple:
    return (b.month, b.state, b.transferred_in_month, b.transferred_to_date, b.spent_in_month, b.spent_to_date,
            b.bank, b.cash, b.headings, [e.journal_seq for e in b.expenses], [t.journal_seq for t in b.transfers],
            b.warnings, b.balance)


def _lines(db, cid, start, until):
    return [(x.seq, x.bank_balance, x.cash_balance) for x in treasury.cash_book(db, cid, until, start=start)]


money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("300.00"), places=2)
month_ix = st.integers(0, len(MONTHS) - 1)
expense = st.tuples(st.just("expense"), month_ix, st.integers(1, 28), money, st.sampled_from(["banco", "efectivo"]),
                    st.sampled_from(HEADINGS))
operation = st.one_of(
    st.tuples(st.just("transfer"), month_ix, st.integers(1, 28), money.map(lambda m: m * 10)),
    st.tuples(st.just("withdrawal"), month_ix, st.integers(1, 28), money),
    expense, expense,
    # a reversal of one of the entries so far, dated in the month given (later, the same, or even earlier)
    st.tuples(st.just("reverse"), month_ix, st.integers(1, 28), st.integers(0, 60)),
    st.tuples(st.just("close"), month_ix),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(ops=st.lists(operation, min_size=4, max_size=30))
def test_carried_figures_equal_the_whole_history_for_any_history(template_sqlite, tmp_path_factory, ops):
    db = copy_sqlite(template_sqlite, tmp_path_factory.mktemp("carry") / "qw.sqlite3")
    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(backup, "automatic", lambda *a, **k: None))  # no copy per closing
        stack.callback(db.dispose)
        info = committee.register(db, demo_form(), user="t")
        seqs: list[int] = []
        base = []  # money in each month first, so that most payments are accepted
        for k in range(len(MONTHS)):
            base += [("transfer", k, 1, Decimal("2000.00")), ("withdrawal", k, 2, Decimal("400.00"))]
        closed = 0
        for n, (kind, month, *rest) in enumerate(base + ops):
            try:
                if kind == "close":
                    periods.close(db, info.id, MONTHS[month], user="t", today=TODAY)
                    closed += 1
                    continue
                day = date.fromisoformat(MONTHS[month] + "-01").replace(day=rest[0])
                if kind == "transfer":
                    seqs.append(treasury.record_transfer(db, info.id, Transfer(day, rest[1], f"BN {n}"), user="t"))
                elif kind == "withdrawal":
                    seqs.append(treasury.record_withdrawal(db, info.id, day, rest[1], user="t"))
                elif kind == "expense":
                    amount, payment, heading = rest[1:]
                    seqs += treasury.record_expenses(db, info.id, [Expense(
                        day, heading, "boleta", f"B001-{n + 1:06d}", RUC, "Proveedor SAC", "compra", amount, payment)],
                        user="t").seqs
                else:
                    reverse(db, info.id, seqs[rest[1] % len(seqs)], user="t", reason="anulado", day=day)
            except (InvalidInput, JournalError):
                continue  # refused (a closed month, more than the money, reversed already): nothing recorded

        # every figure, as of every month's end and as the cash book carries into every month
        days = [_month_end(m) for m in MONTHS]
        with db.session() as s:
            for last_day in [date(2027, 2, 28), *days]:
                for until in [d for d in days if d >= last_day]:
                    carried, _reversed, _carry = treasury_figures.figures(s, info.id, last_day, until)
                    full = treasury_figures.full_history(s, info.id, last_day, until)
                    assert carried.as_payload() == full.as_payload(), (last_day, until)
                    assert carried.cycles == full.cycles
        carried = [_summary(treasury.balance(db, info.id, m)) for m in MONTHS]
        books = [(cash_book_month(db, info.id, m), _lines(db, info.id, date.fromisoformat(m + "-01"), _month_end(m)))
                 for m in MONTHS]
        openings = [treasury.opening_balances(db, info.id, date.fromisoformat(m + "-01"), _month_end(MONTHS[-1]))
                    for m in MONTHS]
        with _whole_history():
            assert [_summary(treasury.balance(db, info.id, m)) for m in MONTHS] == carried
            assert [(cash_book_month(db, info.id, m),
                     _lines(db, info.id, date.fromisoformat(m + "-01"), _month_end(m))) for m in MONTHS] == books
            assert [treasury.opening_balances(db, info.id, date.fromisoformat(m + "-01"), _month_end(MONTHS[-1]))
                    for m in MONTHS] == openings
        # and every closing's figures are what the history it closed gives
        check = integrity.check_one(db, info.id, again=True)
        assert check.ok, check.lines()


def _boleta(day, heading, amount, number, payment="efectivo"):
    return Expense(day, heading, "boleta", number, RUC, "Proveedor SAC", "compra", Decimal(amount), payment)


@pytest.fixture
def history(db):
    """March closed, then April's transfer and expenses, and a reversal dated in April of a March expense."""
    info = committee.register(db, demo_form(), user="t")
    treasury.record_transfer(db, info.id, Transfer(date(2027, 3, 2), Decimal("1000.00"), "BN 1"), user="t")
    treasury.record_withdrawal(db, info.id, date(2027, 3, 3), Decimal("100.00"), user="t")
    march = treasury.record_expenses(db, info.id, [_boleta(date(2027, 3, 5), "gas", "50.00", "B001-1"),
                                                   _boleta(date(2027, 3, 6), "alimentos", "200.00", "B001-2", "banco")],
                                     user="t").seqs
    periods.close(db, info.id, "2027-03", user="t", today=TODAY)
    treasury.record_transfer(db, info.id, Transfer(date(2027, 4, 1), Decimal("500.00"), "BN 2"), user="t")
    treasury.record_expenses(db, info.id, [_boleta(date(2027, 4, 4), "gas", "30.00", "B001-3")], user="t")
    reverse(db, info.id, march[1], user="t", reason="boleta anulada", day=date(2027, 4, 8))
    return db, info


def _closing(db, cid, month):
    with db.session() as s:
        for seq, text in s.execute(select(JournalEntry.seq, JournalEntry.payload).where(
                JournalEntry.committee_id == cid, JournalEntry.kind == CLOSING)):
            if json.loads(text)["month"] == month:
                return seq, json.loads(text)
    raise AssertionError(month)


def test_a_closing_records_the_treasury_as_of_its_months_end_and_april_is_carried_from_it(history):
    db, info = history
    _seq, payload = _closing(db, info.id, "2027-03")
    # by hand: bank 1000 − 100 withdrawn − 200 paid by bank; cash 100 − 50
    assert payload["treasury"] == {"version": 1, "bank": "700.00", "cash": "50.00", "transferred": "1000.00",
                                   "transfers": {"2027-03": 1}, "spent": {"alimentos": "200.00", "gas": "50.00"},
                                   "reversed_ahead": []}
    with db.session() as s:
        assert treasury_figures.find_carry(s, info.id, date(2027, 3, 31)).month == "2027-03"
    april = treasury.balance(db, info.id, "2027-04")
    # the 200 paid in March came back with April's reversal: bank 700 + 500 + 200; cash 50 − 30
    assert (april.bank, april.cash, april.transferred_to_date, april.spent_to_date) == (
        Decimal("1400.00"), Decimal("20.00"), Decimal("1500.00"), Decimal("80.00"))
    march = treasury.balance(db, info.id, "2027-03")  # as of its end: the April reversal does not count
    assert (march.bank, march.spent_to_date) == (Decimal("700.00"), Decimal("250.00"))


def test_the_balance_reads_the_closings_figures(history, tmp_path):
    """The carried figures are what April's balance starts from (not a recomputation): a closing edited behind
    the application's back moves April's balance by the amount edited — and verify names the edit."""
    db, info = history
    seq, payload = _closing(db, info.id, "2027-03")
    payload["treasury"]["bank"] = "900.00"
    path = backup.sqlite_file(db.url)
    db.dispose()
    edit_behind_the_back(path, "UPDATE journal_entries SET payload = '{}' WHERE seq = {} AND committee_id = {}".format(
        json.dumps(payload, sort_keys=True, separators=(",", ":")).replace("'", "''"), seq, info.id))
    from qaliwarma.persistence.engine import open_database

    db = open_database(f"sqlite:///{path}")
    try:
        assert treasury.balance(db, info.id, "2027-04").bank == Decimal("1600.00")
        check = integrity.check_one(db, info.id, again=True)
        assert not check.ok
        assert any("el cierre de 2027-03 lleva el saldo del banco = 900.00, pero el historial hasta ese cierre "
                   "da 700.00" in f.what for f in check.findings), check.lines()
    finally:
        db.dispose()


def test_verify_finds_a_closings_figure_forged_with_the_chain_rehashed(history):
    """The adversary edits a heading's figure in the closing and hashes the chain again from there (so the
    chain alone looks intact): verify recomputes the figure from the history and names it."""
    db, info = history
    seq, check = _forged_closing_check(db, info, "2027-03", lambda figures: figures["spent"].update(gas="5.00"))
    assert check.chain.ok  # the chain was made whole again
    assert [f.what for f in check.findings] == [
        "el cierre de 2027-03 lleva lo gastado a la fecha en el rubro gas = 5.00, pero el historial hasta ese "
        "cierre da 50.00"]
    assert f"asiento n.º {seq}" == check.findings[0].row


def _rewrite_closing(db, info, month: str, edit) -> tuple[int, str]:
    """The closing of ``month`` with its payload changed by ``edit`` (a function of the payload) and the chain
    hashed again from it with the sqlite3 shell (so the chain alone looks intact); ``db`` is closed first.
    (its entry number, the database file)"""
    seq, payload = _closing(db, info.id, month)
    edit(payload)
    path = backup.sqlite_file(db.url)
    db.dispose()
    rehash_in_database(path, info.id, seq, {seq: json.dumps(payload, sort_keys=True, separators=(",", ":"))})
    return seq, path


def _forged_closing_check(db, info, month: str, forge) -> tuple[int, integrity.CommitteeCheck]:
    """The closing's treasury figures changed by ``forge`` (``_rewrite_closing``), then the whole check on the
    database opened again. (its entry number, the check)"""
    from qaliwarma.persistence.engine import open_database

    seq, path = _rewrite_closing(db, info, month, lambda payload: forge(payload["treasury"]))
    db = open_database(f"sqlite:///{path}")
    try:
        return seq, integrity.check_one(db, info.id, again=True)
    finally:
        db.dispose()


def test_an_absurd_figure_in_a_closing_is_named_and_the_balance_is_summed_instead(history):
    """A closing whose bank figure was made absurd (beyond any amount the program takes) and the chain hashed
    again: April's balance is still right (summed over the whole history instead of refused or carried from
    it), and verify names the closing."""
    db, info = history
    from qaliwarma.persistence.engine import open_database

    april = _summary(treasury.balance(db, info.id, "2027-04"))
    _seq, path = _rewrite_closing(db, info, "2027-03",
                                  lambda payload: payload["treasury"].update(bank="99999999999999999999999.00"))
    db = open_database(f"sqlite:///{path}")
    try:
        assert _summary(treasury.balance(db, info.id, "2027-04")) == april
        check = integrity.check_one(db, info.id, again=True)
        assert [f.what for f in check.findings] == [
            "el cierre de 2027-03 lleva cifras de tesorería ilegibles (alteradas fuera del programa)"]
    finally:
        db.dispose()


def test_a_closing_written_before_closings_carried_figures_still_gives_the_right_balance(history):
    """An old closing (no treasury figures in its payload): the balance is summed over the whole history,
    and it is the same as the carried one."""
    db, info = history
    carried = [_summary(treasury.balance(db, info.id, m)) for m in ("2027-03", "2027-04")]
    _seq, path = _rewrite_closing(db, info, "2027-03", lambda payload: payload.pop("treasury"))
    from qaliwarma.persistence.engine import open_database

    db = open_database(f"sqlite:///{path}")
    try:
        with db.session() as s:
            assert treasury_figures.find_carry(s, info.id, date(2027, 4, 30)) is None
        assert [_summary(treasury.balance(db, info.id, m)) for m in ("2027-03", "2027-04")] == carried
        april = treasury.balance(db, info.id, "2027-04")
        assert (april.bank, april.cash) == (Decimal("1400.00"), Decimal("20.00"))
        assert integrity.check_one(db, info.id, again=True).ok  # an old closing is not a finding
    finally:
        db.dispose()


def test_a_month_left_open_before_a_closed_one_takes_no_more_records(db):
    """April is closed while March is still open: a March transfer, withdrawal or expense would change April's
    opening money, the figures its closing carries and the code printed on its report. Each is refused, naming
    April; nothing changes; March can still be closed (a closing adds no facts)."""
    from qaliwarma.errors import PeriodClosed

    info = committee.register(db, demo_form(), user="t")
    treasury.record_transfer(db, info.id, Transfer(date(2027, 3, 2), Decimal("1000.00"), "BN 1"), user="t")
    periods.close(db, info.id, "2027-04", user="t", today=TODAY)
    before = _summary(treasury.balance(db, info.id, "2027-05"))
    attempts = [
        lambda: treasury.record_transfer(db, info.id, Transfer(date(2027, 3, 20), Decimal("50.00"), "BN 2"), user="t"),
        lambda: treasury.record_withdrawal(db, info.id, date(2027, 3, 20), Decimal("50.00"), user="t"),
    ]
    for attempt in attempts:
        with pytest.raises(PeriodClosed, match="2027-03 ya no acepta registros: 2027-04, un mes posterior, está cerrado"):
            attempt()
    with pytest.raises(InvalidInput, match="columna fecha: el mes 2027-03 ya no acepta registros: un mes posterior"):
        treasury.record_expenses(db, info.id, [_boleta(date(2027, 3, 9), "gas", "40.00", "B001-1", "banco")], user="t")
    assert _summary(treasury.balance(db, info.id, "2027-05")) == before
    treasury.record_transfer(db, info.id, Transfer(date(2027, 5, 3), Decimal("50.00"), "BN 3"), user="t")  # May: open
    periods.close(db, info.id, "2027-03", user="t", today=TODAY)
    assert _closing(db, info.id, "2027-03")[1]["treasury"]["bank"] == "1000.00"
    assert integrity.check_one(db, info.id, again=True).ok


def test_an_entry_an_older_version_recorded_after_a_later_closing_is_carried(db, monkeypatch):
    """Before months left open ahead of a closed one were frozen, a March expense could be recorded after April
    was closed: such a database still gives May's balance with it (the April closing's figures cannot hold it)."""
    from qaliwarma.persistence.journal import Journal

    info = committee.register(db, demo_form(), user="t")
    treasury.record_transfer(db, info.id, Transfer(date(2027, 3, 2), Decimal("1000.00"), "BN 1"), user="t")
    periods.close(db, info.id, "2027-04", user="t", today=TODAY)
    monkeypatch.setattr(Journal, "is_frozen", Journal.is_closed)  # the rule those versions had
    treasury.record_expenses(db, info.id, [_boleta(date(2027, 3, 9), "gas", "40.00", "B001-1", "banco")], user="t")
    monkeypatch.undo()
    may = treasury.balance(db, info.id, "2027-05")
    assert (may.bank, may.spent_to_date) == (Decimal("960.00"), Decimal("40.00"))
    with db.session() as s:
        carry = treasury_figures.find_carry(s, info.id, date(2027, 4, 30))
    assert carry.month == "2027-04" and carry.figures.bank == Decimal("1000.00")
    assert carry.open_ranges == ((None, date(2027, 3, 31)),)


def test_a_reversal_back_dated_before_what_it_cancels_is_carried(db):
    """A June transfer reversed by a reversal dated in May, then May closed: June's balance, carried from May's
    closing, does not count the transfer (the closing names it among the reversals ahead)."""
    info = committee.register(db, demo_form(), user="t")
    treasury.record_transfer(db, info.id, Transfer(date(2027, 5, 2), Decimal("1000.00"), "BN 1"), user="t")
    june = treasury.record_transfer(db, info.id, Transfer(date(2027, 6, 2), Decimal("300.00"), "BN 2"), user="t")
    reverse(db, info.id, june, user="t", reason="duplicada", day=date(2027, 5, 20))
    periods.close(db, info.id, "2027-05", user="t", today=TODAY)
    assert _closing(db, info.id, "2027-05")[1]["treasury"]["reversed_ahead"] == [june]
    b = treasury.balance(db, info.id, "2027-06")
    assert (b.bank, b.transferred_to_date, b.transferred_in_month) == (Decimal("1000.00"), Decimal("1000.00"), 0)
    with _whole_history():
        assert _summary(treasury.balance(db, info.id, "2027-06")) == _summary(b)


def test_headings_allotted_per_cycle_follow_the_carried_cycles(db):
    """A fixed amount per cycle is allotted for each cycle that has a transfer standing: a March transfer
    reversed in April takes March's cycle away from April's allotment (carried from March's closing)."""
    from qaliwarma.domain.treasury import Heading

    info = committee.register(db, demo_form(), user="t")
    treasury.set_headings(db, info.id, [Heading("alimentos", "Alimentos", Decimal("80")),
                                        Heading("gas", "Gas", None, Decimal("100.00"))], user="t")
    first = treasury.record_transfer(db, info.id, Transfer(date(2027, 3, 2), Decimal("1000.00"), "BN 1"), user="t")
    periods.close(db, info.id, "2027-03", user="t", today=TODAY)
    treasury.record_transfer(db, info.id, Transfer(date(2027, 4, 2), Decimal("500.00"), "BN 2"), user="t")
    gas = {h.code: h for h in treasury.balance(db, info.id, "2027-04").headings}["gas"]
    assert gas.allotted == Decimal("200.00")  # two cycles
    reverse(db, info.id, first, user="t", reason="devuelta", day=date(2027, 4, 9))
    by_code = {h.code: h for h in treasury.balance(db, info.id, "2027-04").headings}
    assert (by_code["gas"].allotted, by_code["alimentos"].allotted) == (Decimal("100.00"), Decimal("400.00"))
    assert {h.code: h for h in treasury.balance(db, info.id, "2027-03").headings}["gas"].allotted == Decimal("100.00")


def test_the_supervisor_takes_bundles_whose_closings_carry_figures_and_older_ones(history, empty_db, tmp_path):
    """The closing's payload has one more key: the bundle's chain verifies at the supervisor as any other, and a
    bundle from before (its closing without figures) is taken the same way."""
    from qaliwarma.io.bundle import read_bundle
    from qaliwarma.services import export, supervision

    db, info = history
    march, april, older = tmp_path / "marzo.zip", tmp_path / "abril.zip", tmp_path / "marzo-antes.zip"
    export.export_month(db, info, "2027-03", march)
    rows = read_bundle(march).journal()
    assert [json.loads(r["payload"]).get("treasury", {}).get("bank") for r in rows if r["kind"] == CLOSING] == [
        "700.00"]
    export.export_month(db, info, "2027-04", april)
    results = supervision.import_bundles(empty_db, [march, april])
    assert [r.status for r in results] == ["importado", "importado"], [r.message for r in results]

    # the same history with the closing as written before
    _seq, path = _rewrite_closing(db, info, "2027-03", lambda payload: payload.pop("treasury"))
    from qaliwarma.persistence.engine import open_database

    old = open_database(f"sqlite:///{path}")
    try:
        export.export_month(old, info, "2027-03", older)
    finally:
        old.dispose()
    assert all("treasury" not in json.loads(r["payload"]) for r in read_bundle(older).journal())
    supervisor = open_database(f"sqlite:///{tmp_path / 'supervisor.sqlite3'}")
    try:
        assert [r.status for r in supervision.import_bundles(supervisor, [older])] == ["importado"]
    finally:
        supervisor.dispose()


def test_carried_and_whole_history_agree_on_each_backend(ready_db, monkeypatch):
    """The carried sums on SQLite and PostgreSQL (exact NUMERIC sums there): months closed out of order, an
    entry an older version recorded after a closing in an earlier open month, a reversal in a later month of a
    closed month's expense, one back-dated before the transfer it cancels."""
    from qaliwarma.persistence.journal import Journal

    db = ready_db
    info = committee.register(db, demo_form(), user="t")
    treasury.record_transfer(db, info.id, Transfer(date(2027, 3, 2), Decimal("1000.00"), "BN 1"), user="t")
    treasury.record_withdrawal(db, info.id, date(2027, 3, 3), Decimal("150.00"), user="t")
    paid = treasury.record_expenses(db, info.id, [_boleta(date(2027, 3, 5), "gas", "50.25", "B001-1"),
                                                  _boleta(date(2027, 3, 6), "alimentos", "200.10", "B001-2", "banco")],
                                    user="t").seqs
    june = treasury.record_transfer(db, info.id, Transfer(date(2027, 6, 2), Decimal("300.00"), "BN 2"), user="t")
    reverse(db, info.id, june, user="t", reason="duplicada", day=date(2027, 4, 20))
    periods.close(db, info.id, "2027-04", user="t", today=TODAY)
    with monkeypatch.context() as older:  # the rule older versions had: only the closed month itself refused
        older.setattr(Journal, "is_frozen", Journal.is_closed)
        treasury.record_expenses(db, info.id, [_boleta(date(2027, 3, 9), "transporte", "40.00", "B001-3", "banco")],
                                 user="t")
    periods.close(db, info.id, "2027-03", user="t", today=TODAY)
    reverse(db, info.id, paid[1], user="t", reason="anulada", day=date(2027, 5, 4))
    treasury.record_transfer(db, info.id, Transfer(date(2027, 5, 2), Decimal("500.00"), "BN 3"), user="t")
    periods.close(db, info.id, "2027-05", user="t", today=TODAY)
    months = ["2027-03", "2027-04", "2027-05", "2027-06"]
    carried = [_summary(treasury.balance(db, info.id, m)) for m in months]
    with db.session() as s:
        assert treasury_figures.find_carry(s, info.id, date(2027, 5, 31)).month == "2027-05"
    with _whole_history():
        assert [_summary(treasury.balance(db, info.id, m)) for m in months] == carried
    june_balance = treasury.balance(db, info.id, "2027-06")
    # by hand: 1000 + 500 in; 150 withdrawn; 40 paid by bank (the 200.10 came back in May); cash 150 − 50.25
    assert (june_balance.bank, june_balance.cash) == (Decimal("1310.00"), Decimal("99.75"))
    assert integrity.check_one(db, info.id, again=True).ok


def test_verify_finds_a_forged_figure_in_a_closing_between_others(db):
    """A closing between the first and the last is recomputed from the one before it (not from the whole
    history): its forged figure is still named, and only it (the next closing is carried from the recomputed
    figures, never from the forged ones)."""
    info = committee.register(db, demo_form(), user="t")
    for month, day in (("2027-03", 3), ("2027-04", 4), ("2027-05", 5)):
        first = date.fromisoformat(month + "-02")
        treasury.record_transfer(db, info.id, Transfer(first, Decimal("900.00"), f"BN {month}"), user="t")
        treasury.record_withdrawal(db, info.id, first.replace(day=day), Decimal("90.00"), user="t")
        treasury.record_expenses(db, info.id, [_boleta(first.replace(day=9), "gas", "12.30", f"B00{day}-000001")], user="t")
        periods.close(db, info.id, month, user="t", today=TODAY)
    _seq, payload = _closing(db, info.id, "2027-04")
    assert payload["treasury"]["cash"] == "155.40"  # by hand: 2 × (90 − 12.30)
    seq, check = _forged_closing_check(db, info, "2027-04", lambda figures: figures.update(cash="255.40"))
    assert [(f.row, f.what) for f in check.findings] == [(
        f"asiento n.º {seq}", "el cierre de 2027-04 lleva el efectivo en caja = 255.40, pero el historial hasta "
                              "ese cierre da 155.40")]


def test_the_same_bank_operation_recorded_twice_is_refused_the_second_time(empty_db):
    """«BN op 777», S/ 1,500.50 on the 26th, registered twice: both accepted, the money counted twice."""
    from qaliwarma.errors import InvalidInput
    from qaliwarma.services import committee
    from qaliwarma.services.setup import demo_form

    school = committee.register(empty_db, demo_form(), user="Rosa")
    first = treasury.record_transfer(empty_db, school.id, Transfer(date(2026, 11, 26), Decimal("1500.50"),
                                                                     "BN op 777"), user="Rosa")
    with pytest.raises(InvalidInput) as refused:
        treasury.record_transfer(empty_db, school.id, Transfer(date(2026, 11, 26), Decimal("1500.50"), "bn OP 777 "),
                                 user="Rosa")
    assert str(refused.value) == (f"Ya está registrada una transferencia del 26/11/2026 por S/ 1,500.50 con la "
                                  f"referencia «bn OP 777» (asiento n.º {first}); no se registró otra vez.")
    assert treasury.balance(empty_db, school.id, "2026-11").transferred_in_month == Decimal("1500.50")
    # another operation the same day for the same amount is another transfer; without a reference nobody can tell
    treasury.record_transfer(empty_db, school.id, Transfer(date(2026, 11, 26), Decimal("1500.50"), "BN op 778"),
                             user="Rosa")
    assert treasury.balance(empty_db, school.id, "2026-11").transferred_in_month == Decimal("3001.00")
