"""Menu planning from the command line, as a supervisor's script or a committee would use it."""

from __future__ import annotations

from tests.e2e.conftest import run

NECTAR = """id = "comite-nectar-galleta"
name = "Néctar de mango con galleta"
region = "costa"
meal = "desayuno"
levels = ["inicial"]
source = "Ración observada en la auditoría (DOMAIN.md §4)"

[[ingredients]]
code = "C113"
grams = { inicial = 200 }

[[ingredients]]
code = "A92"
grams = { inicial = 20 }
"""


def test_menu_check_flags_the_176_kcal_breakfast_and_exits_1(dbfile, tmp_path):
    recipe = tmp_path / "nectar.toml"
    recipe.write_text(NECTAR, encoding="utf-8")
    assert run("recipes", "add", str(recipe), db=dbfile).returncode == 0
    plan = tmp_path / "plan.csv"
    plan.write_text("fecha,comida,nivel,preparacion\n23/11/2026,desayuno,inicial,comite-nectar-galleta\n",
                    encoding="utf-8")
    r = run("menu", "check", str(plan), "--standard", "auditoria-lima-raciones", "--json", db=dbfile,
            check_json=True)
    assert r.returncode == 1
    entry = r.doc["entries"][0]
    assert entry["status"] == "low" and round(entry["nutrients"]["energy_kcal"]) == 177
    assert entry["date"] == "2026-11-23" and entry["level"] == "inicial"
    assert "270–290 kcal" in entry["problems"][0]
    assert r.doc["summary"] == {"entries": 1, "ok": 0, "low": 1, "high": 0, "unknown": 0}
    text = run("menu", "check", str(plan), "--standard", "auditoria-lima-raciones", db=dbfile)
    assert text.returncode == 1 and "Energía: 177 kcal, por debajo de la meta 270–290 kcal" in text.stdout


def test_menu_import_list_check_and_needs(dbfile, tmp_path):
    plan = tmp_path / "semana.csv"
    plan.write_text("fecha;comida;nivel;preparacion\n"
                    "23/11/2026;desayuno;todos;sierra-avena-kiwicha-pan-sangrecita\n"
                    "23/11/2026;almuerzo;todos;sierra-olluquito-charqui\n", encoding="latin-1")
    imported = run("menu", "import", str(plan), "--json", db=dbfile, check_json=True)
    assert imported.returncode == 0 and imported.doc["entries"] == 4
    listed = run("menu", "list", "--json", db=dbfile, check_json=True)
    assert {p["name"] for p in listed.doc} >= {"semana", "Menú de noviembre 2026"}
    assert all({"id", "name", "start", "end"} <= set(p) for p in listed.doc)
    checked = run("menu", "check", str(imported.doc["id"]), "--json", db=dbfile, check_json=True)
    assert checked.returncode in (0, 1) and len(checked.doc["entries"]) == 4
    assert {"rule", "status", "detail"} <= set(checked.doc["rules"][0])
    needs = run("menu", "needs", str(imported.doc["id"]), "--json", db=dbfile, check_json=True)
    assert needs.returncode == 0 and needs.doc["rations"] == 2 * (38 + 142)
    olluco = next(f for f in needs.doc["foods"] if f["code"] == "U17")
    assert olluco["units"] == -(-olluco["total_kg"] // 1) and olluco["cost"] is not None


def test_a_bad_plan_file_changes_nothing_and_names_every_problem(dbfile, tmp_path):
    before = run("menu", "list", "--json", db=dbfile, check_json=True).doc
    plan = tmp_path / "malo.csv"
    plan.write_text("fecha,comida,nivel,preparacion\n"
                    "28/11/2026,desayuno,inicial,sierra-api-pan-queso\n"  # a Saturday
                    "24/11/2026,desayuno,secundaria,sierra-api-pan-queso\n"  # level the school lacks
                    "25/11/2026,desayuno,inicial,no-existe\n", encoding="utf-8")
    r = run("menu", "import", str(plan), db=dbfile)
    assert r.returncode == 2
    assert "sábado o domingo" in r.stderr and "«secundaria»" in r.stderr and "«no-existe»" in r.stderr
    assert run("menu", "list", "--json", db=dbfile, check_json=True).doc == before
    broken = tmp_path / "roto.toml"
    broken.write_text("name = 'x'\n[[days]]\ndate = 'mañana'\n", encoding="utf-8")
    r = run("menu", "import", str(broken), db=dbfile)
    assert r.returncode == 2 and "falta «date»" in r.stderr
