"""`serve import` with the day's issue from the store (issue 10): a file of services may carry, in the
optional columns producto, lote, cantidad, unidad, what really left the store for that day's meal. The
issue is recorded as `stock issue import` records it (the dosing's proposal goes back to its lots and the
recorded quantity leaves), in the same unit of work as the services: a bad lot refuses the whole file,
naming row and column, and writes nothing."""

from __future__ import annotations

import re
import shutil
from datetime import date
from decimal import Decimal

import pytest

from tests.e2e.conftest import run as e2e_run

MID = date(2026, 11, 13)  # the demo as of this Friday: the 16th (Monday) has no records yet
DAY = "16/11/2026"
LUNCH = "sierra-trucha-habas"  # the demo's lunch of the 12th: trout with broad beans, cooked with oil (D9)
OIL_LOT = "L-2609-01"  # the demo's only lot of oil
HEADER = "fecha,comida,nivel,preparacion,raciones_servidas,asistentes,producto,lote,cantidad,unidad,origen_fuera\n"
PARENTS = ",aporte de padres"  # the trout and vegetables no acta brought: the parents' contribution


def run(*args, db, check_json: bool = False):
    # the demo made as of MID; the 16th and 17th recorded on the 17th (nothing is recorded ahead of today)
    return e2e_run(*args, db=db, check_json=check_json,
                   env={"QALIWARMA_DEMO_TODAY": MID.isoformat(), "QALIWARMA_TODAY": "2026-11-17"})


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve-issue") / "plantilla.sqlite3"
    assert run("init", "--demo", db=path).returncode == 0
    return path


@pytest.fixture
def db(template, tmp_path):
    target = tmp_path / "qw.sqlite3"
    shutil.copy(template, target)
    return target


def entries(db) -> int:
    """How many journal entries the chain has, as `verify` counts them (and the chain is whole)."""
    result = run("verify", db=db)
    assert result.returncode == 0, result.stdout + result.stderr
    return int(re.search(r"(\d+) asientos verificados", result.stdout)[1])


def lot_kg(db, lot: str) -> Decimal:
    return sum((Decimal(str(ln["balance_kg"])) for ln in run("stock", "--json", db=db, check_json=True).doc
                if ln["lot"] == lot), Decimal(0))


def day_lines(db, code: str) -> list[dict]:
    return [ln for ln in run("stock", "kardex", code, "--json", db=db, check_json=True).doc
            if ln["date"] == "2026-11-16"]


def test_a_row_with_issue_columns_records_what_left_the_store_for_that_meal(db, tmp_path):
    sheet = tmp_path / "raciones.csv"
    sheet.write_text(HEADER
                     + f"{DAY},almuerzo,inicial,{LUNCH},30,31,D9,{OIL_LOT},3,kg{PARENTS}\n"
                     + f"{DAY},almuerzo,primaria,{LUNCH},130,131,,,,{PARENTS}\n"
                     + f"{DAY},almuerzo,,,,,Aceite vegetal de soya,{OIL_LOT},250,g\n", encoding="utf-8")
    before_entries, before_oil = entries(db), lot_kg(db, OIL_LOT)

    result = run("serve", "import", str(sheet), "--json", db=db, check_json=True)

    assert result.returncode == 0, result.stderr
    assert result.doc["records"] == 2 and result.doc["rations"] == 160
    [issue] = result.doc["issues"]  # one issue for the day's lunch, with both lines of oil
    assert (issue["date"], issue["meal"], issue["services"]) == ("2026-11-16", "almuerzo", 2)
    assert issue["issued_kg"] == {"D9": 3.25}  # 3 kg + 250 g, as the file says
    # what the dosing proposed for the two services went back to the lot, and the 3.25 kg left it
    proposed = -sum(Decimal(str(ln["grams"])) for ln in day_lines(db, "D9") if ln["kind"] == "salida"
                    and ln["reference"].endswith(("inicial", "primaria")))
    assert proposed > 0
    assert Decimal(str(issue["returned_kg"]["D9"])) * 1000 == proposed
    assert sum(Decimal(str(ln["grams"])) for ln in day_lines(db, "D9")) == Decimal("-3250")
    assert lot_kg(db, OIL_LOT) == before_oil - Decimal("3.25")
    # journaled entry by entry: two services and one issue, and the chain verifies
    assert entries(db) == before_entries + 3


@pytest.mark.parametrize("row, column, says", [
    (f"{DAY},almuerzo,inicial,{LUNCH},30,31,D9,NO-EXISTE,3,kg{PARENTS}\n", "lote", "NO-EXISTE"),  # a lot the store never had
    (f"{DAY},almuerzo,inicial,{LUNCH},30,31,D9,{OIL_LOT},300,kg{PARENTS}\n", "lote", "No alcanza"),  # more than the lot holds
    (f"{DAY},almuerzo,inicial,{LUNCH},30,31,D9,{OIL_LOT},tres,kg{PARENTS}\n", "cantidad", "tres"),
])
def test_a_bad_issue_line_refuses_the_whole_file_naming_row_and_column(db, tmp_path, row, column, says):
    sheet = tmp_path / "raciones.csv"
    sheet.write_text(HEADER + f"{DAY},almuerzo,primaria,{LUNCH},130,131,,,,{PARENTS}\n" + row, encoding="utf-8")
    before_entries, before_oil = entries(db), lot_kg(db, OIL_LOT)
    before_kardex = run("stock", "kardex", "D9", "--json", db=db, check_json=True).doc

    refused = run("serve", "import", str(sheet), db=db)

    assert refused.returncode == 2
    assert f"raciones.csv: fila 3, columna {column}" in refused.stderr, refused.stderr
    assert says in refused.stderr
    assert "no se registró nada" in refused.stderr or "no se importó nada" in refused.stderr
    # nothing written: not the good row's service, not its proposed issue, no journal entry
    assert entries(db) == before_entries
    assert lot_kg(db, OIL_LOT) == before_oil
    assert run("stock", "kardex", "D9", "--json", db=db, check_json=True).doc == before_kardex


def test_a_declared_issue_smaller_than_the_dosing_is_recorded_when_the_dosing_does_not_fit(db, tmp_path):
    """The kitchen used less oil because the store was short: the stock check is on what the file
    declares left the store (80 g of the 100 g left), not on the dosing for 130 rations (more than 100 g)."""
    lot_id = next(ln["lot_id"] for ln in run("stock", "--json", db=db, check_json=True).doc if ln["lot"] == OIL_LOT)
    left_g = Decimal("100")
    loss = lot_kg(db, OIL_LOT) * 1000 - left_g
    assert run("stock", "adjust", "--lot-id", str(lot_id), "--grams", f"-{loss:f}", "--reason", "perdida",
               "--date", "13/11/2026", db=db).returncode == 0
    assert lot_kg(db, OIL_LOT) == Decimal("0.1")
    sheet = tmp_path / "raciones.csv"
    sheet.write_text(HEADER + f"{DAY},almuerzo,primaria,{LUNCH},130,131,D9,{OIL_LOT},80,g{PARENTS}\n",
                     encoding="utf-8")
    before_entries = entries(db)

    result = run("serve", "import", str(sheet), "--json", db=db, check_json=True)

    assert result.returncode == 0, result.stderr
    [issue] = result.doc["issues"]
    assert issue["issued_kg"] == {"D9": 0.08}
    assert lot_kg(db, OIL_LOT) == Decimal("0.02")  # 100 g − the 80 g declared
    assert sum(Decimal(str(ln["grams"])) for ln in day_lines(db, "D9")) == Decimal("-80")
    assert entries(db) == before_entries + 2  # the service and the issue, the chain whole
    # more than the lot holds is still refused, naming the row
    again = tmp_path / "mas.csv"
    again.write_text(HEADER + f"17/11/2026,almuerzo,primaria,{LUNCH},130,131,D9,{OIL_LOT},30,g{PARENTS}\n",
                     encoding="utf-8")
    refused = run("serve", "import", str(again), db=db)
    assert refused.returncode == 2 and "mas.csv: fila 2" in refused.stderr and "No alcanza" in refused.stderr
    assert lot_kg(db, OIL_LOT) == Decimal("0.02")
