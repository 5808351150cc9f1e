"""`qaliwarma verify` rebuilds every kardex line from the journal (tester report, item 1): a service's
dosage issue, an issue the storekeeper recorded (and what it put back), a loss written by an incident and
a delivery. Each one edited, deleted or doubled with ``sqlite3`` (the lot's balance adjusted to match, as a
careful adversary would) is named by its row and `verify` exits 1; the untouched data verifies."""

from __future__ import annotations

import shutil
import sqlite3
from decimal import Decimal

import pytest

from tests.e2e.conftest import run

LOT = "L-2609-01"  # the demo's oil (D9)


@pytest.fixture(scope="module")
def moved(template, tmp_path_factory):
    """The demo plus an issue recorded by the storekeeper and an incident that lost oil."""
    path = tmp_path_factory.mktemp("kardex") / "qw.sqlite3"
    shutil.copy(template, path)
    sheet = path.parent / "salidas.csv"
    sheet.write_text("fecha,comida,producto,lote,cantidad,unidad,motivo\n"
                     f"12/11/2026,almuerzo,D9,{LOT},1234.5,g,lo que pesó el almacenero\n", encoding="utf-8")
    assert run("stock", "issue", "import", str(sheet), db=path).returncode == 0
    lost = run("incident", "record", "--date", "13/11/2026", "--kind", "producto_mal_estado", "--description",
               "Se volcó un bidón de aceite", "--product", "D9", "--lot", LOT, "--quantity", "2.5", "--unit", "kg",
               db=path)
    assert lost.returncode == 0, lost.stderr
    return path


@pytest.fixture
def copy(moved, tmp_path):
    target = tmp_path / "copia.sqlite3"
    shutil.copy(moved, target)
    return target


def _rows(path, sql, *params):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _sql(path, *statements):
    con = sqlite3.connect(path)
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
        con.execute(f"DROP TRIGGER {name}")  # the adversary holds the file
    for st, params in statements:
        con.execute(st, params)
    con.commit()
    con.close()


# (journal kind, kardex kind) of each movement the tester could hide food with
KINDS = {"servicio": ("servicio", "salida"), "salida_registrada": ("stock.salida", "salida"),
         "retorno": ("stock.salida", "retorno"), "merma": ("incidencia", "ajuste"),
         "recepcion": ("recepcion", "recepcion")}


def _one(path, name):
    kind, move_kind = KINDS[name]
    [row] = _rows(path, "SELECT m.id, m.journal_seq, m.lot_id, m.grams, m.food_code, m.day FROM stock_movements m "
                        "JOIN journal_entries j ON j.seq = m.journal_seq WHERE j.kind = ? AND m.kind = ? "
                        "AND j.correction_type IS NULL ORDER BY m.id LIMIT 1", kind, move_kind)
    return row


def _verify(path):
    result = run("verify", db=path)
    return result.returncode, result.stdout + result.stderr


def test_the_untouched_demo_with_issues_and_a_loss_verifies(moved):
    kinds = {(k, m) for k, m in _rows(moved, "SELECT j.kind, m.kind FROM stock_movements m JOIN journal_entries j "
                                             "ON j.seq = m.journal_seq")}
    assert set(KINDS.values()) <= kinds  # every kind of line is there to be checked
    code, out = _verify(moved)
    assert code == 0, out
    assert "no coinciden" not in out


@pytest.mark.parametrize("name", list(KINDS))
def test_a_line_edited_with_its_lot_balance_is_named_with_grams_expected_and_found(copy, name):
    mid, seq, lot_id, grams, food, _day = _one(copy, name)
    forged = Decimal(str(grams)) - 1000 if Decimal(str(grams)) < 0 else Decimal(str(grams)) + 1000
    _sql(copy, ("UPDATE stock_movements SET grams = ? WHERE id = ?", (str(forged), mid)),
         ("UPDATE stock_lots SET balance_grams = balance_grams + ? WHERE id = ?", (str(forged - Decimal(str(grams))), lot_id)))
    code, out = _verify(copy)
    assert code == 1, out
    # the first thing said is that the records do not match, never «Diario íntegro» (the chain alone is intact)
    assert "LOS REGISTROS NO COINCIDEN CON EL DIARIO" in out.splitlines()[0] and "Diario íntegro" not in out, out
    line = next(ln for ln in out.splitlines() if f"id {mid} " in ln and f"n.º {seq} " in ln)
    assert food in line
    assert f"{forged:.3f} g" in line  # found
    assert f"{Decimal(str(grams)):.3f} g" in line  # what the journal says


@pytest.mark.parametrize("name", list(KINDS))
def test_a_line_deleted_with_its_lot_balance_is_named_as_missing(copy, name):
    mid, seq, lot_id, grams, food, _day = _one(copy, name)
    same = "journal_seq = ? AND food_code = ? AND kind = (SELECT kind FROM stock_movements WHERE id = ?)"
    [(others, total)] = _rows(copy, f"SELECT count(*) - 1, sum(grams) FROM stock_movements WHERE {same}", seq, food, mid)
    _sql(copy, ("DELETE FROM stock_movements WHERE id = ?", (mid,)),
         ("UPDATE stock_lots SET balance_grams = balance_grams - ? WHERE id = ?", (str(grams), lot_id)))
    code, out = _verify(copy)
    assert code == 1, out
    wanted = f"{Decimal(str(total)):.3f} g"  # what the entry moved of that product, all its lots
    if others:  # the entry's other lots of that product are named, with what they fall short of
        assert any(f"n.º {seq} " in ln and food in ln and wanted in ln and f"id {mid} " not in ln
                   for ln in out.splitlines()), out
    else:
        assert any(f"asiento n.º {seq}: falta el movimiento" in ln and food in ln and wanted in ln
                   for ln in out.splitlines()), out


@pytest.mark.parametrize("name", list(KINDS))
def test_an_extra_line_is_named_by_its_id(copy, name):
    mid, seq, lot_id, grams, food, day = _one(copy, name)
    _sql(copy, ("INSERT INTO stock_movements (committee_id, journal_seq, day, lot_id, food_code, grams, kind, reason, "
                "reference) SELECT committee_id, journal_seq, day, lot_id, food_code, grams, kind, reason, reference "
                "FROM stock_movements WHERE id = ?", (mid,)),
         ("UPDATE stock_lots SET balance_grams = balance_grams + ? WHERE id = ?", (str(grams), lot_id)))
    [(new,)] = _rows(copy, "SELECT max(id) FROM stock_movements")
    code, out = _verify(copy)
    assert code == 1, out
    assert any(f"id {new} " in ln and f"n.º {seq} " in ln for ln in out.splitlines()), out


def test_a_line_of_a_product_the_entry_never_moved_is_named(copy):
    mid, seq, lot_id, grams, food, day = _one(copy, "servicio")
    [(other_lot, other_food)] = _rows(copy, "SELECT id, food_code FROM stock_lots WHERE food_code NOT IN "
                                            "(SELECT food_code FROM stock_movements WHERE journal_seq = ?) LIMIT 1", seq)
    _sql(copy, ("INSERT INTO stock_movements (committee_id, journal_seq, day, lot_id, food_code, grams, kind, reason, "
                "reference) VALUES (1, ?, ?, ?, ?, -700, 'salida', 'servicio', '')", (seq, day, other_lot, other_food)),
         ("UPDATE stock_lots SET balance_grams = balance_grams - 700 WHERE id = ?", (other_lot,)))
    [(new,)] = _rows(copy, "SELECT max(id) FROM stock_movements")
    code, out = _verify(copy)
    assert code == 1, out
    line = next(ln for ln in out.splitlines() if f"id {new}:" in ln)
    assert other_food in line and "-700.000 g" in line and "no escribió" in line
