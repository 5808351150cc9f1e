"""The monthly report's data (services.month_report, services.month_review) read from the month, not from
the whole history — with the same figures as the whole history gives, and the same verification code as
the exported file."""

from __future__ import annotations

import calendar
import dataclasses
import sqlite3
from datetime import date
from decimal import Decimal

import pytest

from qaliwarma.domain.treasury import Expense, Transfer
from qaliwarma.io.bundle import read_bundle
from qaliwarma.reports.monthly import RECEIPTS_LISTED, build_monthly_report
from qaliwarma.services import committee, export, month_review, stock, treasury
from qaliwarma.services import demo as demo_records
from qaliwarma.services.month_report import month_facts, stock_rows
from qaliwarma.services.setup import demo_form
from tests.core.test_reports import pages, squeeze
from tests.dbfixtures import copy_sqlite


@pytest.fixture(autouse=True)
def _as_of_the_end_of_2027(monkeypatch):
    """These records are dated in 2027: the tests run as of its end (nothing is recorded ahead of today)."""
    monkeypatch.setenv("QALIWARMA_TODAY", "2027-12-31")


DEMO_TODAY = date(2026, 11, 26)


@pytest.fixture
def demo(template_sqlite, tmp_path):
    db = copy_sqlite(template_sqlite, tmp_path / "demo.sqlite3")
    info = committee.register(db, demo_form(), user="demo")
    demo_records.create(db, info, today=DEMO_TODAY)
    yield db, info, tmp_path / "demo.sqlite3"
    db.dispose()


@pytest.mark.parametrize("month", ["2026-10", "2026-11", "2026-12"])
def test_the_stores_month_equals_each_products_kardex_cut_to_the_month(demo, month):
    """Opening, in, out and closing per product, against each product's whole kardex walked line by line."""
    db, info, _ = demo
    start = date.fromisoformat(f"{month}-01")
    end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    rows = {r.food_code: r for r in stock_rows(db, info.id, start, end, {})}
    codes = {lot.food_code for lot in stock.lots(db, info.id, with_empty=True)}
    assert codes, "the demo has a store"
    for code in codes:
        lines = stock.kardex(db, info.id, code)
        opening = sum((ln.grams for ln in lines if ln.day < start), Decimal(0))
        inside = [ln for ln in lines if start <= ln.day <= end]
        if not inside and opening == 0:
            assert code not in rows
            continue
        row = rows[code]
        assert row.opening == opening
        assert row.received == sum((ln.grams for ln in inside if ln.kind == "recepcion"), Decimal(0))
        assert row.used == -sum((ln.grams for ln in inside if ln.kind in ("salida", "retorno")), Decimal(0))
        assert row.losses == -sum((ln.grams for ln in inside if ln.kind == "ajuste" and ln.grams < 0), Decimal(0))
        assert row.closing == (inside[-1].balance if inside else opening)
        assert row.opening + row.received - row.used - row.losses + row.other == row.closing


def test_the_reviews_code_is_the_exported_files_after_each_new_entry(demo, tmp_path):
    """The journal file's hash is remembered per chain head: a new entry gives a new code, the one export seals."""
    db, info, _ = demo
    for n in range(3):
        _, code = month_review.month_bundle(db, info, "2026-11", DEMO_TODAY)
        manifest = export.export_month(db, info, "2026-11", tmp_path / f"nov-{n}.zip")
        assert code == manifest["bundle_code"]
        assert read_bundle(tmp_path / f"nov-{n}.zip").manifest["bundle_code"] == code
        treasury.record_transfer(db, info.id, Transfer(date(2026, 11, 20), Decimal("10.00"), f"extra {n}"),
                                 user="demo")


def test_an_entry_edited_behind_the_apps_back_is_caught_even_after_the_code_was_remembered(demo):
    db, info, path = demo
    bundle, code = month_review.month_bundle(db, info, "2026-11", DEMO_TODAY)  # remembers the journal's hash
    assert bundle.chain.ok
    with sqlite3.connect(path) as con:  # an old entry's amount changed with sqlite3, its hash left alone
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
            con.execute(f"DROP TRIGGER {name}")  # the adversary holds the file: the triggers are no obstacle
        seq, payload = con.execute("SELECT seq, payload FROM journal_entries WHERE kind = 'tesoreria.gasto' "
                                   "ORDER BY seq LIMIT 1").fetchone()
        con.execute("UPDATE journal_entries SET payload = ? WHERE seq = ?",
                    (payload.replace('"amount"', '"amount_x"', 1), seq))
    again, again_code = month_review.month_bundle(db, info, "2026-11", DEMO_TODAY)
    assert not again.chain.ok and again.chain.first_bad_seq == seq
    assert again_code != code  # the altered journal, hashed as it is now
    review = month_review.review_bundle(again, again_code)
    assert review.sections["cierre"].facts["journal_ok"] is False


def test_a_chain_verified_before_the_head_moved_is_verified_again(demo):
    """month_bundle takes the caller's verification only for the very chain it reads (as many entries, the
    same head): verified, then a new entry recorded and an old one edited behind the app's back, the bundle
    verifies its journal itself and names the edited entry."""
    from qaliwarma.persistence.journal import Journal

    db, info, path = demo
    with db.session() as s:
        verified = Journal(s, info.id).verify()
    assert verified.ok
    _, code = month_review.month_bundle(db, info, "2026-11", DEMO_TODAY, verified=verified)
    assert code == month_review.month_bundle(db, info, "2026-11", DEMO_TODAY)[1]  # the same code either way
    treasury.record_transfer(db, info.id, Transfer(date(2026, 11, 20), Decimal("10.00"), "extra"), user="demo")
    with sqlite3.connect(path) as con:
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
            con.execute(f"DROP TRIGGER {name}")
        con.execute("UPDATE journal_entries SET reason = 'nadie lo sabrá' WHERE seq = 5")
    bundle, _ = month_review.month_bundle(db, info, "2026-11", DEMO_TODAY, verified=verified)
    assert not bundle.chain.ok and bundle.chain.first_bad_seq == 5


def test_a_month_of_many_receipts_prints_them_per_heading_with_the_same_totals(template_sqlite, tmp_path):
    db = copy_sqlite(template_sqlite, tmp_path / "many.sqlite3")
    info = committee.register(db, dataclasses.replace(demo_form(), codigo_modular="0777777"), user="t")
    treasury.record_transfer(db, info.id, Transfer(date(2027, 3, 1), Decimal("9000.00"), "BN"), user="t")
    headings = ["alimentos", "transporte", "gas"]
    amounts = [Decimal(10 + n % 7) + Decimal(n % 100) / 100 for n in range(RECEIPTS_LISTED + 15)]
    treasury.record_expenses(db, info.id, [
        Expense(date(2027, 3, 1 + n % 28), headings[n % 3], "boleta", f"B001-{n:06d}", "20604512370", "Proveedor",
                f"Compra {n}", amount, "banco")
        for n, amount in enumerate(amounts)], user="t")
    out = tmp_path / "marzo.pdf"
    build_monthly_report(db, info, "2027-03", out, today=date(2027, 4, 5))
    text = squeeze(" ".join(pages(out)))
    facts = month_facts(db, info, "2027-03", today=date(2027, 4, 5))
    names = {h.code: h.name for h in facts.money.headings}
    assert f"Comprobantes del mes ({len(amounts)})" in text
    assert "B001-000001" not in text  # not one by one: each is in the «Balance de gastos»
    for k, code in enumerate(headings):
        mine = [a for n, a in enumerate(amounts) if n % 3 == k]
        total = f"{sum(mine):,.2f}"
        assert f"{names[code]} {len(mine)} 0 S/ {total}" in text
    assert f"Total {len(amounts)} 0 S/ {sum(amounts):,.2f}" in text
    db.dispose()


def test_presenting_and_answering_a_closed_months_rendicion_leaves_its_printed_code_as_it_was(demo, tmp_path):
    """A month closed, its report printed (code A), then its rendición presented and approved: each step is
    accepted (a closed month takes the rendición's state) and the month's code is still A, so `verify --code`
    of the printed report still says it matches. The report says the state as it stood when closed. Before,
    presenting after closing changed the code: the committee's honest report read as altered."""
    from qaliwarma.services import periods

    db, info, _ = demo
    periods.close(db, info.id, "2026-11", user="demo", today=date(2026, 12, 2))
    printed = export.month_code(db, info, "2026-11")
    facts = month_facts(db, info, "2026-11", today=date(2026, 12, 2))
    assert facts.money.state == "borrador"
    for state in ("presentado", "aprobado"):
        treasury.set_cycle_state(db, info.id, "2026-11", state, user="demo")
        assert treasury.cycle_state(db, info.id, "2026-11") == state  # what the Tesorería page shows
        assert export.month_code(db, info, "2026-11") == printed
    again = month_facts(db, info, "2026-11", today=date(2026, 12, 5))
    assert again.money.state == "borrador" and again.bundle_code == facts.bundle_code
    out = tmp_path / "noviembre.pdf"
    code = build_monthly_report(db, info, "2026-11", out, today=date(2026, 12, 5))
    assert code == export.verification_code(printed)
    assert "Estado de la rendición al cerrar el mes: por presentar" in squeeze(" ".join(pages(out)))
    # an open month's state is the live one: December, presented before it is closed, carries it
    treasury.record_transfer(db, info.id, Transfer(date(2026, 12, 3), Decimal("10.00"), "dic"), user="demo")
    before = export.month_code(db, info, "2026-12")
    treasury.set_cycle_state(db, info.id, "2026-12", "presentado", user="demo")
    assert export.month_code(db, info, "2026-12") != before
    periods.close(db, info.id, "2026-12", user="demo", today=date(2027, 1, 4), early=True, reason="prueba")
    assert month_facts(db, info, "2026-12", today=date(2027, 1, 4)).money.state == "presentado"


def test_the_headings_shares_cannot_change_once_a_month_is_closed(demo):
    """Each month's share of the money per heading is printed on its balance and sealed by its code: after
    November is closed, new shares are refused (as after a rendición is presented), the code stays."""
    from qaliwarma.domain.treasury import Heading
    from qaliwarma.errors import InvalidInput
    from qaliwarma.services import periods

    db, info, _ = demo
    shares = [Heading("alimentos", "Alimentos", Decimal("60")), Heading("otros", "Otros", Decimal("12"))]
    periods.close(db, info.id, "2026-11", user="demo", today=date(2026, 12, 2))
    printed = export.month_code(db, info, "2026-11")
    with pytest.raises(InvalidInput) as refused:
        treasury.set_headings(db, info.id, shares, user="demo")
    assert "ya se cerró 2026-11" in str(refused.value.problems)
    assert export.month_code(db, info, "2026-11") == printed
