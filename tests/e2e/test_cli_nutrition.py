"""The nutrition checks as a programme nutritionist runs them from the command line."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import run

NECTAR = """id = "comite-nectar-galleta"
name = "Néctar de mango con galleta"
region = "costa"
meal = "desayuno"
levels = ["primaria"]
source = "Ración observada en la auditoría (DOMAIN.md §4)"

[[ingredients]]
code = "C113"
grams = { primaria = 200 }

[[ingredients]]
code = "A92"
grams = { primaria = 20 }
"""


def test_menu_check_of_nectar_and_biscuit_for_primaria_fails_on_energy_and_added_sugar(dbfile, tmp_path):
    recipe = tmp_path / "nectar.toml"
    recipe.write_text(NECTAR, encoding="utf-8")
    assert run("recipes", "add", str(recipe), db=dbfile).returncode == 0
    plan = tmp_path / "plan.csv"
    plan.write_text("fecha,comida,nivel,preparacion\n23/11/2026,desayuno,primaria,comite-nectar-galleta\n",
                    encoding="utf-8")
    r = run("menu", "check", str(plan), "--json", db=dbfile, check_json=True)
    assert r.returncode == 1
    entry = r.doc["entries"][0]
    problems = " | ".join(entry["problems"])
    # By hand: 2 × 44 + 0.2 × 443 = 176.6 kcal (355–405); sugar 2 × 7.5 + 0.2 × 20 = 19 g (max 10).
    assert "Energía: 177 kcal, por debajo de la meta 355–405 kcal" in problems
    assert "Azúcar añadida: 19.0 g (estimado), por encima de la meta como máximo 10 g" in problems
    assert entry["nutrients"]["energy_kcal"] == pytest.approx(176.6)


def test_recipes_check_warns_about_a_cooked_food_code_and_passes_the_shipped_bank(dbfile, tmp_path):
    bank = run("recipes", "check", db=dbfile)
    assert bank.returncode == 0 and "aviso" not in bank.stdout and "sin problemas." in bank.stdout
    recipe = tmp_path / "avena.toml"
    recipe.write_text('id = "avena"\nname = "Avena"\nregion = "costa"\nmeal = "desayuno"\nlevels = ["inicial"]\n\n'
                      '[[ingredients]]\ncode = "A6"\ngrams = { inicial = 30 }\n', encoding="utf-8")
    r = run("recipes", "check", str(recipe), db=dbfile)
    assert r.returncode == 0 and ":8: aviso: A6" in r.stdout and "1 preparación revisada: sin problemas, con 1 aviso." in r.stdout
