"""The command line as a user (or another tool) drives it: CLI.md's contract."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import run


def test_init_twice_changes_nothing(dbfile):
    again = run("init", "--demo", "--json", db=dbfile, check_json=True)
    assert again.returncode == 0
    assert again.doc["foods"] == 928 and not again.doc["foods_loaded"]
    assert again.doc["recipes"]["added"] == again.doc["recipes"]["updated"] == 0
    assert not again.doc["demo_created"]


def test_analyse_json_gives_table_values_and_marks_iron_incomplete(dbfile):
    r = run("analyse", "A3:25", "T52:20", "E34:25", "--json", db=dbfile, check_json=True)
    assert r.returncode == 0
    assert r.doc["nutrients"]["energy_kcal"] == pytest.approx(187.95)
    assert r.doc["nutrients"]["iron_mg"] == pytest.approx(1.78)
    assert r.doc["incomplete"]["iron_mg"] == ["E34"]


def test_analyse_refuses_unknown_code_and_malformed_item(dbfile):
    r = run("analyse", "A3:25", "XX1:10", db=dbfile)
    assert r.returncode == 2 and "XX1" in r.stderr and r.stdout == ""
    r = run("analyse", "A3=25", db=dbfile)
    assert r.returncode == 2 and "«A3=25»" in r.stderr


def test_foods_search_is_accent_insensitive(dbfile):
    r = run("foods", "search", "platano", "--json", db=dbfile, check_json=True)
    assert r.returncode == 0
    assert r.doc and all({"code", "name"} <= set(item) for item in r.doc)
    assert any("plátano" in item["name"].lower() for item in r.doc)


def test_recipes_list_and_show(dbfile):
    r = run("recipes", "list", "--region", "sierra", "--meal", "almuerzo", "--json", db=dbfile, check_json=True)
    assert r.returncode == 0 and r.doc
    assert all(item["region"] == "sierra" and item["meal"] == "almuerzo" for item in r.doc)
    rid = r.doc[0]["id"]
    shown = run("recipes", "show", rid, "--level", "primaria", "--json", db=dbfile, check_json=True)
    assert shown.returncode == 0
    assert shown.doc["id"] == rid and shown.doc["nutrients"]["energy_kcal"] > 0
    assert all(i["grams"] > 0 for i in shown.doc["ingredients"])
    missing = run("recipes", "show", "no-existe", "--level", "primaria", db=dbfile)
    assert missing.returncode == 2 and "no-existe" in missing.stderr


def test_recipes_check_passes_on_the_bank_and_names_file_and_line(dbfile, tmp_path):
    ok = run("recipes", "check", db=dbfile)
    assert ok.returncode == 0, ok.stdout
    bad = tmp_path / "mala.toml"
    bad.write_text('id = "x"\nname = "X"\nregion = "sierra"\nmeal = "desayuno"\nlevels = ["inicial"]\n\n'
                   '[[ingredients]]\ncode = "QQ1"\ngrams = { inicial = 10 }\n', encoding="utf-8")
    r = run("recipes", "check", str(bad), db=dbfile)
    assert r.returncode == 1
    assert "mala.toml:8: código de alimento desconocido «QQ1»" in r.stdout


def test_foods_import_of_another_layout_is_refused(dbfile, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["codigo", "descripcion", "kcal"])
    other = tmp_path / "otra.xlsx"
    wb.save(other)
    r = run("foods", "import", str(other), db=dbfile)
    assert r.returncode == 2 and "no tiene el formato" in r.stderr
    still = run("analyse", "A3:100", "--json", db=dbfile, check_json=True)
    assert still.doc["nutrients"]["energy_kcal"] == pytest.approx(358)


def test_verify_detects_an_edit_behind_the_apps_back(dbfile):
    ok = run("verify", "--json", db=dbfile, check_json=True)
    assert ok.returncode == 0 and ok.doc[0]["ok"]
    import sqlite3

    con = sqlite3.connect(dbfile)
    con.execute("DROP TRIGGER journal_no_update")
    con.execute("UPDATE journal_entries SET payload = replace(payload, '142', '242') WHERE seq = 1")
    con.commit()
    con.close()
    bad = run("verify", db=dbfile)
    assert bad.returncode == 1 and "n.º 1" in bad.stdout


def test_bad_usage_exits_2_in_spanish(dbfile):
    r = run("recipes", "show", "x", db=dbfile)  # --level missing
    assert r.returncode == 2 and "uso incorrecto" in r.stderr


def test_a_newer_database_is_refused_with_a_message(dbfile):
    import sqlite3

    con = sqlite3.connect(dbfile)
    con.execute("UPDATE alembic_version SET version_num = '0099_futuro'")
    con.commit()
    con.close()
    r = run("foods", "search", "arroz", db=dbfile)
    assert r.returncode == 2 and "versión más nueva" in r.stderr
