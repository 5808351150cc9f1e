"""Defects a fresh-eyes tester found on the demo, through the CLI (each test failed before its fix)."""

from __future__ import annotations

from tests.e2e.conftest import run


def test_menu_needs_does_not_count_an_expired_lot_as_available(dbfile, tmp_path):
    # The demo's only papa blanca (U19) is lot COMPRA-DJ-001, expiring 02/12/2026 (what is left of it after
    # November's menus). A plan for 07/12–18/12 looked at on 04/12 has nothing usable of it: everything it
    # needs must be bought.
    plan = tmp_path / "dic.toml"
    made = run("menu", "propose", "--from", "2026-12-07", "--to", "2026-12-18", "--out", plan, db=dbfile)
    assert plan.exists(), made.stdout + made.stderr
    imported = run("menu", "import", plan, "--json", db=dbfile, check_json=True)
    assert imported.returncode == 0, imported.stderr
    lots = run("stock", "--json", db=dbfile, check_json=True)
    [lot] = [x for x in lots.doc if x["lot"] == "COMPRA-DJ-001"]
    assert lot["product"] == "U19" and lot["expiry"] == "2026-12-02" and lot["balance_kg"] > 0
    assert [x["lot"] for x in lots.doc if x["product"] == "U19"] == ["COMPRA-DJ-001"]
    needs = run("menu", "needs", str(imported.doc["id"]), "--json", db=dbfile, check_json=True,
                env={"QALIWARMA_TODAY": "2026-12-04"})
    papa = next(f for f in needs.doc["foods"] if f["code"] == "U19")
    assert papa["total_kg"] > 0
    assert papa["short_kg"] == papa["total_kg"]  # the expired lot's kilos do not reduce what is missing
    # the day before it expires, the lot still counts: what is missing is the need less the lot's balance
    before = run("menu", "needs", str(imported.doc["id"]), "--json", db=dbfile, check_json=True,
                 env={"QALIWARMA_TODAY": "2026-12-01"})
    papa = next(f for f in before.doc["foods"] if f["code"] == "U19")
    assert abs(papa["short_kg"] - max(papa["total_kg"] - lot["balance_kg"], 0)) < 0.001


def _weekdays_of_november() -> set[str]:
    """November 2026 has no public holiday on a weekday (1 November is a Sunday): its school days."""
    from datetime import date, timedelta

    days, d = set(), date(2026, 11, 1)
    while d.month == 11:
        if d.weekday() < 5:
            days.add(d.isoformat())
        d += timedelta(days=1)
    return days


def test_supervise_summary_counts_only_school_days_with_service(dbfile, tmp_path):
    import csv
    import io
    import zipfile

    bundle = tmp_path / "noviembre.zip"
    assert run("export", "--month", "2026-11", "--out", bundle, db=dbfile).returncode == 0
    with zipfile.ZipFile(bundle) as z:
        name = next(n for n in z.namelist() if n.endswith("servicios.csv"))
        services = list(csv.DictReader(io.StringIO(z.read(name).decode("utf-8-sig"))))
    school = _weekdays_of_november()
    served_days = {r["fecha"] for r in services}
    assert served_days - school, "the demo serves once on a day without classes (a Saturday)"
    supdb = tmp_path / "supervisor.sqlite3"
    assert run("supervise", "import", bundle, db=supdb).returncode == 0
    row = run("supervise", "summary", "--json", db=supdb, check_json=True).doc[0]
    assert row["school_days"] == len(school) == 21
    assert row["days_with_service"] == len(served_days & school) <= 21
    # «% de lo previsto»: rations of school days over enrolment × school days × meals
    on_school_days = sum(int(r["raciones_servidas"]) for r in services if r["fecha"] in school)
    summary = run("period", "summary", "--month", "2026-11", "--json", db=dbfile, check_json=True).doc
    facts = summary["sections"]["raciones"]["facts"]
    expected = facts["enrolment"] * 21 * facts["meals"]
    assert facts["expected"] == expected
    assert float(facts["pct"]) == round(on_school_days * 100 / expected, 1)
    assert round(row["rations_vs_enrolment"] * 100, 1) == float(facts["pct"])
    assert facts["rations_without_classes"] == sum(int(r["raciones_servidas"]) for r in services
                                                   if r["fecha"] not in school) > 0


def test_a_refused_period_close_leaves_no_closing_backup(dbfile):
    from tests.e2e.conftest import DEMO_MEMBERS, DEMO_PIN

    def closing_copies() -> list:
        return sorted(dbfile.parent.rglob("qaliwarma-cierre-*"))

    before = closing_copies()
    treasurer = {"QALIWARMA_MEMBER": DEMO_MEMBERS["tesorero"], "QALIWARMA_PIN": DEMO_PIN,
                 "QALIWARMA_TODAY": "2026-12-04"}
    refused = run("period", "close", "2026-11", db=dbfile, env=treasurer)
    assert refused.returncode != 0 and refused.stderr.strip()
    early = run("period", "close", "2026-11", db=dbfile, env={"QALIWARMA_TODAY": "2026-11-20"})
    assert early.returncode == 2 and "cierre anticipado" in early.stderr
    assert closing_copies() == before
    # the president after the last school day: closed, with its one closing copy
    done = run("period", "close", "2026-11", db=dbfile, env={"QALIWARMA_TODAY": "2026-12-04"})
    assert done.returncode == 0, done.stderr
    assert len(closing_copies()) == len(before) + 1
    again = run("period", "close", "2026-11", db=dbfile, env={"QALIWARMA_TODAY": "2026-12-04"})
    assert again.returncode == 2 and "ya está cerrado" in again.stderr
    assert len(closing_copies()) == len(before) + 1


def test_supervise_import_of_what_is_not_a_package_says_so_in_spanish(dbfile, tmp_path):
    import json
    import os
    import zipfile

    bundle = tmp_path / "noviembre.zip"
    assert run("export", "--month", "2026-11", "--out", bundle, db=dbfile).returncode == 0
    noise = tmp_path / "ruido.zip"
    noise.write_bytes(os.urandom(4096))
    cut = tmp_path / "cortado.zip"
    cut.write_bytes(bundle.read_bytes()[: bundle.stat().st_size // 2])
    utf16 = tmp_path / "utf16.zip"
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(utf16, "w") as out:
        for n in src.namelist():
            data = src.read(n)
            if n == "manifest.json":
                data = json.dumps(json.loads(data), ensure_ascii=False).encode("utf-16")
            out.writestr(n, data)
    supdb = tmp_path / "supervisor.sqlite3"
    for path in (noise, cut):
        result = run("supervise", "import", path, db=supdb)
        said = result.stdout + result.stderr
        assert result.returncode != 0
        assert "paquete .zip válido" in said and ".xlsx" not in said, said
    result = run("supervise", "import", utf16, db=supdb)
    said = result.stdout + result.stderr
    assert result.returncode != 0 and "manifest.json" in said
    assert "codec" not in said and "decode" not in said and "byte" not in said, said


def test_treasury_import_names_formulas_huge_numbers_and_every_bad_row_at_once(dbfile, tmp_path):
    from openpyxl import Workbook

    from tests.e2e.test_cli_treasury import HEADER

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(";"))
    ok = ["13/11/2026", "otros", "boleta", "B001-000900", "20604512370", "Librería", "Cuaderno", "12.50"]
    ws.append(ok[:7] + ["=1+1"])                                                    # row 2: formula amount
    ws.append(ok[:3] + ["B001-000901", ok[4], '=HYPERLINK("http://x","Bazar")', ok[6], "9.90"])  # row 3
    ws.append(ok[:3] + ["B001-000902"] + ok[4:7] + [1e308])                          # row 4: huge number
    ws.append(ok[:3] + ["B001-000903"] + ok[4:7] + ["-5"])                            # row 5: negative
    ws.append(ok[:3] + ["B001-000904", "20604512371"] + ok[5:])                      # row 6: bad RUC check digit
    ws.append(ok[:3] + ["B001-000905"] + ok[4:])                                     # row 7: fine
    path = tmp_path / "gastos.xlsx"
    wb.save(path)
    before = run("treasury", "balance", "--month", "2026-11", "--json", db=dbfile, check_json=True).doc
    r = run("treasury", "import", path, db=dbfile)
    said = r.stdout + r.stderr
    assert r.returncode == 2, said
    lines = said.splitlines()

    def about(row: int, column: str) -> str:
        return " ".join(ln for ln in lines if f"fila {row}" in ln and column in ln)

    assert "contiene una fórmula" in about(2, "monto") and "vacío" not in about(2, "monto"), said
    assert "contiene una fórmula" in about(3, "proveedor") and "falta el nombre" not in said, said
    assert "debe estar entre" in about(4, "monto") and "científica" not in said, said
    assert about(5, "monto"), said
    assert about(6, "ruc"), said  # named in the same pass as the other rows
    assert "fila 7" not in said
    assert run("treasury", "balance", "--month", "2026-11", "--json", db=dbfile, check_json=True).doc == before


def test_supervise_summary_text_writes_product_names_and_the_whole_school_name(dbfile, tmp_path):
    bundle = tmp_path / "noviembre.zip"
    assert run("export", "--month", "2026-11", "--out", bundle, db=dbfile).returncode == 0
    supdb = tmp_path / "supervisor" / "supervisor.sqlite3"
    supdb.parent.mkdir()
    assert run("init", db=supdb).returncode == 0  # the supervisor's database, with the food table
    assert run("supervise", "import", bundle, db=supdb).returncode == 0
    text = run("supervise", "summary", db=supdb).stdout
    name = run("supervise", "summary", "--json", db=supdb, check_json=True).doc[0]["school"]
    assert name.endswith("Candelaria") and name in text, text  # «I.E. N.° 36009 Virgen de la Candelaria», not «…Candel»
    # the demo's milk loss (two bags of G5): the product by its name
    loss = next(ln for ln in text.splitlines() if "mermas" in ln.lower() or "pérdidas" in ln.lower())
    assert "Leche en polvo entera" in loss and "G5," not in loss, loss


def test_a_closed_month_whose_rendicion_is_not_presented_is_not_called_borrador(dbfile):
    today = {"QALIWARMA_TODAY": "2026-12-04"}
    before = run("treasury", "balance", "--month", "2026-11", db=dbfile, env=today)
    assert "(borrador)" in before.stdout  # open month, rendición not presented: a draft
    assert run("period", "close", "2026-11", db=dbfile, env=today).returncode == 0
    after = run("treasury", "balance", "--month", "2026-11", db=dbfile, env=today)
    assert after.returncode == 0, after.stderr
    assert "borrador" not in after.stdout.lower()
    assert "(mes cerrado; rendición por presentar)" in after.stdout, after.stdout
    doc = run("treasury", "balance", "--month", "2026-11", "--json", db=dbfile, check_json=True, env=today).doc
    assert doc["state"] == "borrador" and doc["month_closed"] is True
    import subprocess

    for kind in ("monthly", "balance"):
        out = dbfile.parent / f"{kind}.pdf"
        made = run("report", kind, "--month", "2026-11", "--out", out, db=dbfile, env=today)
        assert made.returncode == 0, made.stderr
        text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                       check=True).stdout.split())
        assert "por presentar" in text.lower() and "borrador" not in text.lower(), (kind, text[:3000])


def test_supervise_summary_lists_every_alert_it_counts(dbfile, tmp_path):
    """«alertas 8» was followed by 6 lines: two alerts were hidden, without a word that there were more."""
    bundle = tmp_path / "noviembre.zip"
    assert run("export", "--month", "2026-11", "--out", bundle, db=dbfile).returncode == 0
    supdb = tmp_path / "supervisor.sqlite3"
    assert run("supervise", "import", bundle, db=supdb).returncode == 0
    [row] = run("supervise", "summary", "--json", db=supdb, check_json=True).doc
    text = run("supervise", "summary", db=supdb).stdout
    assert f"alertas {len(row['flags'])}" in text
    assert text.count("⚠") == len(row["flags"]) > 0
