"""Defects a fresh-eyes tester found on the demo, through the CLI (each test failed before its fix)."""

from __future__ import annotations

from tests.e2e.conftest import run


def test_menu_needs_does_not_count_an_expired_lot_as_available(dbfile, tmp_path):
    # The demo's only papa blanca (U19) is lot COMPRA-DJ-001, 85.61 kg, expiring 02/12/2026. A plan for
    # 07/12–18/12 looked at on 04/12 has nothing usable of it: everything it needs must be bought.
    plan = tmp_path / "dic.toml"
    made = run("menu", "propose", "--from", "2026-12-07", "--to", "2026-12-18", "--out", plan, db=dbfile)
    assert plan.exists(), made.stdout + made.stderr
    imported = run("menu", "import", plan, "--json", db=dbfile, check_json=True)
    assert imported.returncode == 0, imported.stderr
    lots = run("stock", "--json", db=dbfile, check_json=True)
    assert "COMPRA-DJ-001" in str(lots.doc) and "2026-12-02" in str(lots.doc)
    needs = run("menu", "needs", str(imported.doc["id"]), "--json", db=dbfile, check_json=True,
                env={"QALIWARMA_TODAY": "2026-12-04"})
    papa = next(f for f in needs.doc["foods"] if f["code"] == "U19")
    assert papa["total_kg"] > 0
    assert papa["short_kg"] == papa["total_kg"]  # the expired 85.61 kg do not reduce what is missing
    # the day before it expires, the lot still counts: what is missing is the need less 85.61 kg
    before = run("menu", "needs", str(imported.doc["id"]), "--json", db=dbfile, check_json=True,
                 env={"QALIWARMA_TODAY": "2026-12-01"})
    papa = next(f for f in before.doc["foods"] if f["code"] == "U19")
    assert abs(papa["short_kg"] - max(papa["total_kg"] - 85.61, 0)) < 0.001
