"""`menu propose` from the command line: a month proposed for the demo committee, saved as a plan file
that `menu import` loads and `menu check` passes; bad input refused with exit 2."""

from __future__ import annotations

import tomllib

from tests.e2e.conftest import run


def test_propose_a_month_write_it_import_it_and_check_it(dbfile, tmp_path):
    out = tmp_path / "propuesta.toml"
    r = run("menu", "propose", "--from", "2026-11-01", "--to", "2026-11-30", "--out", str(out), "--json",
            db=dbfile, check_json=True)
    assert r.returncode == 0, r.stderr
    doc = r.doc
    assert doc["status"] == "optimal" and doc["unmet"] == []
    assert doc["seconds"] > 0 and float(doc["cost_per_ration"]) > 0
    days = doc["plan"]["days"]
    assert len(days) == 21 and days[0]["date"] == "2026-11-02"
    assert set(days[0]) == {"date", "desayuno", "almuerzo"}
    assert set(days[0]["desayuno"]) == {"inicial", "primaria"}
    # compared with the hand-made plan of the month: no dearer
    assert doc["compared_with"]["name"] == "Menú de noviembre 2026"
    assert float(doc["cost_per_ration"]) <= float(doc["compared_with"]["cost_per_ration"])
    # the file says the same as the JSON and is a plan file «menu import» reads
    written = tomllib.loads(out.read_text(encoding="utf-8"))
    assert [d["date"].isoformat() for d in written["days"]] == [d["date"] for d in days]
    assert written["days"][3]["almuerzo"] == days[3]["almuerzo"]
    check = run("menu", "check", str(out), "--json", db=dbfile, check_json=True)
    assert check.returncode == 0
    assert check.doc["summary"] == {"entries": 84, "ok": 84, "low": 0, "high": 0, "unknown": 0}
    imported = run("menu", "import", str(out), "--json", db=dbfile, check_json=True)
    assert imported.returncode == 0 and imported.doc["entries"] == 84
    text = run("menu", "propose", "--from", "01/11/2026", "--to", "30/11/2026", "--portions", "±15", db=dbfile)
    assert text.returncode == 0
    assert "cumple todo" in text.stdout and "por ración" in text.stdout and "lun 02/11" in text.stdout


NECTAR = """id = "comite-nectar-galleta"
name = "Néctar de mango con galleta"
region = "sierra"
meal = "desayuno"
levels = ["inicial", "primaria"]
source = "Ración observada en la auditoría (DOMAIN.md §4)"

[[ingredients]]
code = "C113"
grams = { inicial = 200, primaria = 200 }

[[ingredients]]
code = "A92"
grams = { inicial = 20, primaria = 20 }
"""


def test_propose_keeping_a_plan_reports_the_kept_days_that_miss_the_standard(dbfile, tmp_path):
    # the committee's plan 2 keeps the audited 176 kcal ration on the four Fridays' primaria breakfast
    recipe = tmp_path / "nectar.toml"
    recipe.write_text(NECTAR, encoding="utf-8")
    assert run("recipes", "add", str(recipe), db=dbfile).returncode == 0
    plan = tmp_path / "viernes.csv"
    plan.write_text("fecha,comida,nivel,preparacion\n" + "".join(
        f"{d}/11/2026,desayuno,primaria,comite-nectar-galleta\n" for d in ("06", "13", "20", "27")), encoding="utf-8")
    imported = run("menu", "import", str(plan), "--json", db=dbfile, check_json=True)
    assert imported.returncode == 0, imported.stderr
    r = run("menu", "propose", "--from", "2026-11-01", "--to", "2026-11-30", "--keep", str(imported.doc["id"]),
            "--json", db=dbfile, check_json=True)
    assert r.returncode == 1  # closest: the kept plan's own entries miss the standard on 4 entries
    assert r.doc["status"] == "closest"
    kept = [u for u in r.doc["unmet"] if u["requirement"].endswith("conservado")]
    assert kept and all(u["days"] == ["2026-11-06", "2026-11-13", "2026-11-20", "2026-11-27"] for u in kept)
    assert {u["requirement"] for u in kept} >= {"energy_kcal desayuno primaria conservado"}
    assert all(u["text"].startswith("en los días que se conservan") for u in kept)


def test_a_budget_too_small_is_named_with_what_is_missing(dbfile):
    r = run("menu", "propose", "--from", "2026-11-02", "--to", "2026-11-06", "--budget", "500", "--json",
            db=dbfile, check_json=True)
    assert r.returncode == 1
    budget = [u for u in r.doc["unmet"] if u["requirement"] == "presupuesto"]
    assert len(budget) == 1 and budget[0]["shortfall"] > 0
    assert "el presupuesto de S/ 500.00 no alcanza" in budget[0]["text"]


def test_bad_input_is_refused_with_exit_2_and_nothing_written(dbfile, tmp_path):
    out = tmp_path / "p.toml"
    r = run("menu", "propose", "--from", "2026-13-01", "--to", "2026-11-30", "--out", str(out), db=dbfile)
    assert r.returncode == 2 and "--from" in r.stderr and "no es una fecha" in r.stderr
    r = run("menu", "propose", "--from", "2026-11-30", "--to", "2026-11-01", db=dbfile)
    assert r.returncode == 2 and "posterior" in r.stderr
    r = run("menu", "propose", "--from", "2026-11-01", "--to", "2026-11-30", "--out", str(tmp_path / "p.pdf"),
            db=dbfile)
    assert r.returncode == 2 and ".toml" in r.stderr
    r = run("menu", "propose", "--from", "2026-11-01", "--to", "2026-11-30", "--budget", "mucho", db=dbfile)
    assert r.returncode == 2 and "--budget" in r.stderr
    r = run("menu", "propose", "--from", "2026-11-01", "--to", "2026-11-30", "--portions", "±80", db=dbfile)
    assert r.returncode == 2 and "--portions" in r.stderr and "50 %" in r.stderr
    r = run("menu", "propose", "--from", "2026-11-01", "--to", "2026-11-30", "--portions", "poco", db=dbfile)
    assert r.returncode == 2 and "--portions" in r.stderr
    r = run("menu", "propose", "--from", "2026-11-01", "--to", "2026-11-30", "--keep", "99", db=dbfile)
    assert r.returncode == 2 and "99" in r.stderr
    assert not out.exists()
