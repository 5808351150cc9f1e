"""A school's deliveries and services imported from files: stock and kardex agree with the files to
the gram (issue 4's "done when", on 40 school days to keep the suite fast; `make bench` runs 190)."""

from __future__ import annotations

import json
from decimal import Decimal

from bench import yeardata
from qaliwarma.persistence.engine import open_database
from qaliwarma.services.setup import initialise
from tests.e2e.conftest import run


def test_stock_and_kardex_agree_with_the_files_to_the_gram(tmp_path):
    path = tmp_path / "escuela.sqlite3"
    db = open_database(f"sqlite:///{path}")
    initialise(db)
    info = yeardata.setup_school(db, 40)
    files = yeardata.write_year(db, info, tmp_path / "archivos", deliveries=7, lines_per_delivery=40)
    db.dispose()

    def cli(*args):  # as of the end of the files' year: nothing is recorded ahead of today
        r = run(*args, db=path, env={"QALIWARMA_TODAY": "2027-12-31"})
        assert r.returncode == 0, r.stderr
        return r.stdout

    cli("receive", "import", str(files.actas))
    cli("serve", "import", str(files.services))
    held: dict[str, Decimal] = {}
    for lot in json.loads(cli("stock", "--json")):
        held[lot["product"]] = held.get(lot["product"], Decimal(0)) + Decimal(str(lot["balance_kg"])) * 1000
    assert files.accepted_grams and files.expected_issue
    for code, accepted in files.accepted_grams.items():
        expected_left = accepted - files.expected_issue.get(code, Decimal(0))
        assert held.get(code, Decimal(0)) == expected_left, code
        kardex = json.loads(cli("stock", "kardex", code, "--json"))
        assert Decimal(str(kardex[-1]["balance_grams"])) == expected_left
        assert sum(Decimal(str(k["grams"])) for k in kardex if k["kind"] == "recepcion") == accepted
