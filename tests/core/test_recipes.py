"""The regional recipe bank and committees' own preparations."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from qaliwarma.domain.recipes import Dose, Ingredient, RecipeDef
from qaliwarma.errors import InvalidInput, NotFound
from qaliwarma.io.recipe_files import bank_files, check_files
from qaliwarma.io.tpca import read_table
from qaliwarma.paths import food_table_file, recipes_dir
from qaliwarma.services import analysis, recipes


@pytest.fixture(scope="module")
def codes():
    return {f.code for f in read_table(food_table_file()).foods}


def test_the_shipped_bank_has_no_problems(codes):
    found, problems = check_files(bank_files(recipes_dir()), codes)
    assert problems == []
    per_region = Counter(r.region for r in found)
    assert all(per_region[region] >= 12 for region in ("costa", "sierra", "selva")), per_region
    for region in ("costa", "sierra", "selva"):
        meals = {r.meal for r in found if r.region == region}
        assert meals == {"desayuno", "almuerzo"}, region
    assert all({"inicial", "primaria"} <= set(r.levels) for r in found)
    assert all(r.source for r in found)


GOOD = """id = "sierra-prueba"
name = "Prueba"
region = "sierra"
meal = "desayuno"
levels = ["inicial", "primaria"]
source = "prueba"

[[ingredients]]
code = "A3"
grams = { inicial = 25, primaria = 30 }
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "sierra"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_check_reports_file_and_line_of_each_problem(tmp_path, codes):
    bad = GOOD.replace('code = "A3"', 'code = "ZZ9"') + """
[[ingredients]]
code = "T52"
grams = { inicial = -5 }
"""
    path = _write(tmp_path, "mala.toml", bad)
    _, problems = check_files([path], codes, base=tmp_path)
    lines = [str(p) for p in problems]
    assert "sierra/mala.toml:9: código de alimento desconocido «ZZ9»" in lines
    assert any(s.startswith("sierra/mala.toml:14:") and "mayor que cero" in s for s in lines)
    assert any(s.startswith("sierra/mala.toml:14:") and "falta la cantidad de T52 para primaria" in s for s in lines)


def test_an_absurd_quantity_is_refused_saying_the_allowed_range_not_that_it_is_no_number(tmp_path, codes):
    bad = GOOD + """
[[ingredients]]
code = "T52"
grams = { inicial = 1e9, primaria = 99999999 }
"""
    _, problems = check_files([_write(tmp_path, "absurda.toml", bad)], codes, base=tmp_path)
    lines = [str(p) for p in problems]
    for level, shown in (("inicial", "«1000000000.0»"), ("primaria", "«99999999»")):
        assert any(s.startswith("sierra/absurda.toml:14:") and f"cantidad de T52 para {level}: {shown}" in s
                   and "entre 0 y 100,000" in s and "no es un número:" not in s for s in lines), lines


def test_check_reports_duplicate_ids_and_missing_fields(tmp_path, codes):
    first = _write(tmp_path, "a.toml", GOOD)
    second = _write(tmp_path, "b.toml", GOOD)
    third = _write(tmp_path, "c.toml", GOOD.replace('meal = "desayuno"\n', "").replace("sierra-prueba", "sierra-otra"))
    _, problems = check_files([first, second, third], codes, base=tmp_path)
    lines = [str(p) for p in problems]
    assert "sierra/b.toml:1: id duplicado «sierra-prueba» (ya usado en sierra/a.toml:1)" in lines
    assert "sierra/c.toml:1: falta «meal» (texto)" in lines


def test_check_reports_malformed_toml_and_wrong_folder(tmp_path, codes):
    broken = _write(tmp_path, "rota.toml", 'id = "x\nname = 3')
    costa = _write(tmp_path, "costa.toml", GOOD.replace('region = "sierra"', 'region = "costa"'))
    _, problems = check_files([broken, costa], codes, base=tmp_path)
    lines = [str(p) for p in problems]
    assert any(s.startswith("sierra/rota.toml:1: TOML mal formado") for s in lines)
    assert "sierra/costa.toml:3: región «costa» no coincide con la carpeta «sierra»" in lines


def test_loading_the_bank_twice_changes_nothing(db):
    again = recipes.sync_bank(db)
    assert again.added == again.updated == again.removed == 0 and again.unchanged >= 36


def test_edible_factor_reduces_the_analysed_grams(db):
    recipe = RecipeDef(
        id="", name="Papa sancochada", region="sierra", meal="almuerzo", levels=("primaria",),
        ingredients=(Ingredient("U18", "Papa", Decimal("0.80"), {"primaria": Dose(Decimal("100"))}),),
    )
    result = analysis.analyse_recipe(db, recipe, "primaria")
    whole = analysis.analyse_items(db, [("U18", 80)])
    assert result.nutrients["energy_kcal"] == pytest.approx(whole.nutrients["energy_kcal"])


def _own(name="Mazamorra del comité", grams="40") -> RecipeDef:
    return RecipeDef(
        id="", name=name, region="sierra", meal="desayuno", levels=("inicial", "primaria"),
        ingredients=(
            Ingredient("A1", "Kiwicha", Decimal("1"), {"inicial": Dose(Decimal(grams), "2 cucharadas"),
                                                     "primaria": Dose(Decimal("50"), "3 cucharadas")}),
        ),
        source="Receta de las madres del comité",
    )


def _committee_id(db) -> int:
    from qaliwarma.services import committee
    from qaliwarma.services.setup import demo_form

    return committee.register(db, demo_form(), user="Rosa").id


def test_a_committee_saves_edits_and_deletes_its_own_preparation(db):
    cid = _committee_id(db)
    saved = recipes.save_own_recipe(db, cid, _own())
    assert saved.id == "comite-mazamorra-del-comite"
    listed = {r.id: r for r in recipes.list_recipes(db, region="sierra", meal="desayuno", committee_id=cid)}
    assert listed[saved.id].committee_own
    assert saved.id not in {r.id for r in recipes.list_recipes(db)}  # not part of the regional bank
    recipes.save_own_recipe(db, cid, RecipeDef(**{**_own(grams="45").__dict__, "id": saved.id}))
    assert recipes.get_recipe(db, saved.id).ingredients[0].doses["inicial"].grams == Decimal("45")
    recipes.delete_own_recipe(db, cid, saved.id)
    with pytest.raises(NotFound):
        recipes.get_recipe(db, saved.id)


def test_an_incomplete_own_preparation_is_refused_naming_the_fields(db):
    cid = _committee_id(db)
    bad = RecipeDef(
        id="", name="", region="sierra", meal="once", levels=("inicial",),
        ingredients=(Ingredient("ZZ9", "", Decimal("1"), {"inicial": Dose(Decimal("0"))}),),
    )
    with pytest.raises(InvalidInput) as err:
        recipes.save_own_recipe(db, cid, bad)
    text = str(err.value)
    assert "Nombre" in text and "Comida" in text and "«ZZ9»" in text and "mayor que cero" in text
    assert not [r for r in recipes.list_recipes(db, committee_id=cid) if r.committee_own]


def test_a_bank_preparation_cannot_be_overwritten_by_a_committee(db):
    cid = _committee_id(db)
    bank_id = recipes.list_recipes(db)[0].id
    with pytest.raises(InvalidInput, match="recetario regional"):
        recipes.save_own_recipe(db, cid, RecipeDef(**{**_own().__dict__, "id": bank_id}))


def test_a_cooked_or_prepared_food_code_gets_a_warning_in_recipes_check(tmp_path):
    from qaliwarma.domain.foods import is_cooked_or_prepared
    from qaliwarma.io.recipe_files import bank_files, cooked_warnings
    from qaliwarma.paths import recipes_dir

    assert is_cooked_or_prepared("A6", "Avena, hojuela cocida")
    assert is_cooked_or_prepared("F94", "Res, hígado frito**")
    assert is_cooked_or_prepared("SS12A", "Ají de gallina")
    assert not is_cooked_or_prepared("A99", "Kiwicha, precocida, hojuela de")  # bought like that, weighed dry
    assert not is_cooked_or_prepared("F30", "Pollo, sangre cruda de")
    names = {"A6": "Avena, hojuela cocida", "K1": "Azúcar", "A7": "Avena, hojuela cruda"}
    recipe = tmp_path / "avena.toml"
    recipe.write_text('id = "avena"\nname = "Avena"\nregion = "costa"\nmeal = "desayuno"\nlevels = ["inicial"]\n\n'
                      '[[ingredients]]\ncode = "K1"\ngrams = { inicial = 5 }\n\n'
                      '[[ingredients]]\ncode = "A6"\ngrams = { inicial = 30 }\n', encoding="utf-8")
    (warning,) = cooked_warnings(recipe, names, display="avena.toml")
    assert warning.where == "avena.toml:12" and "A6" in warning.what and "crudas" in warning.what
    recipe.write_text(recipe.read_text(encoding="utf-8") + "cooked_weight = true\n", encoding="utf-8")
    assert cooked_warnings(recipe, names) == []
    from qaliwarma.io.tpca import read_table
    from qaliwarma.paths import food_table_file

    table = {f.code: f.name for f in read_table(food_table_file()).foods}
    assert [w for f in bank_files(recipes_dir()) for w in cooked_warnings(f, table)] == []  # the shipped bank


def test_a_preparations_detail_is_plain_data_per_level(db):
    """What the Recetas page shows comes from the service as plain data (built into widgets on the GUI
    side): per level the grams the cook weighs, the recipe's measure, and what the analysis gives."""
    import dataclasses
    import pickle

    cid = _committee_id(db)
    saved = recipes.save_own_recipe(db, cid, _own(grams="40"))
    detail = recipes.recipe_detail(db, saved.id)
    assert set(detail.levels) == {"inicial", "primaria"}
    (line,) = detail.levels["inicial"].lines
    assert (line.code, line.gross_grams, line.measure) == ("A1", Decimal("40"), "2 cucharadas")
    assert detail.levels["primaria"].lines[0].gross_grams == Decimal("50")
    alone = analysis.analyse_items(db, [("A1", 40)])
    assert detail.levels["inicial"].nutrients["energy_kcal"] == pytest.approx(alone.nutrients["energy_kcal"])
    assert all(dataclasses.is_dataclass(v) for v in detail.levels.values())
    assert pickle.loads(pickle.dumps(detail)) == detail  # nothing but data
    with pytest.raises(NotFound):
        recipes.recipe_detail(db, "no-existe")


def test_an_unchanged_bank_is_not_parsed_again_and_a_changed_file_is_loaded(db, tmp_path, monkeypatch):
    """Every start loads the bank: unchanged files are not parsed again (the fingerprint of what was loaded is
    kept in the database), but an edited file, a new one or a removed one is loaded as always, and a file
    with a mistake is still refused."""
    import shutil

    from qaliwarma.io import recipe_files

    root = tmp_path / "recetario"
    shutil.copytree(recipes_dir(), root)
    first = recipes.sync_bank(db, root)
    assert first.added + first.updated + first.removed > 0 or first.unchanged >= 36
    parsed: list[int] = []
    real_check = recipe_files.check_files
    monkeypatch.setattr(recipes, "check_files", lambda *a, **k: parsed.append(1) or real_check(*a, **k))

    again = recipes.sync_bank(db, root)
    assert parsed == [] and again.added == again.updated == again.removed == 0
    assert again.unchanged == len(bank_files(root))

    path = root / "sierra" / "sierra-aji-pollo.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('name = "Ají de pollo con papa y quinua graneada"',
                                 'name = "Ají de pollo con papa y quinua"'), encoding="utf-8")
    changed = recipes.sync_bank(db, root)
    assert parsed == [1] and changed.updated == 1
    assert recipes.get_recipe(db, "sierra-aji-pollo").name == "Ají de pollo con papa y quinua"

    path.write_text(text.replace('meal = "almuerzo"', 'meal = "cena"'), encoding="utf-8")
    with pytest.raises(InvalidInput, match="El recetario regional tiene errores"):
        recipes.sync_bank(db, root)
    assert recipes.get_recipe(db, "sierra-aji-pollo").name == "Ají de pollo con papa y quinua"  # nothing changed
    with pytest.raises(InvalidInput):  # still refused on the next start: the refusal was not remembered as loaded
        recipes.sync_bank(db, root)

    path.unlink()
    gone = recipes.sync_bank(db, root)
    assert gone.removed == 1
    with pytest.raises(NotFound):
        recipes.get_recipe(db, "sierra-aji-pollo")


def test_a_preparation_the_new_bank_drops_is_kept_while_a_menu_uses_it(db, tmp_path):
    """An update of the regional bank that no longer ships a preparation a committee planned with: the new
    bank still loads (the others dropped are removed), the menu keeps its preparation, and nothing is said
    about another person's data clashing."""
    import shutil
    from datetime import date

    from qaliwarma.domain.menus import PlanEntry
    from qaliwarma.services import committee, planning
    from qaliwarma.services.setup import demo_form

    root = tmp_path / "recetario"
    shutil.copytree(recipes_dir(), root)
    recipes.sync_bank(db, root)
    school = committee.register(db, demo_form(), user="Rosa")
    day = date(2027, 3, 24)
    plan = planning.create_plan(db, school, "Marzo", day, day, [
        PlanEntry(day, "almuerzo", level, "sierra-aji-pollo") for level in ("inicial", "primaria")])
    (root / "sierra" / "sierra-aji-pollo.toml").unlink()  # planned with: kept
    (root / "sierra" / "sierra-patachi.toml").unlink()  # planned with by nobody: removed
    (root / "sierra" / "sierra-api-pan-queso.toml").write_text(
        (recipes_dir() / "sierra" / "sierra-api-pan-queso.toml").read_text(encoding="utf-8").replace(
            'name = "', 'name = "Nuevo: ', 1), encoding="utf-8")  # and the rest of the new bank is loaded

    result = recipes.sync_bank(db, root)

    assert (result.removed, result.kept, result.updated) == (1, 1, 1)
    assert recipes.get_recipe(db, "sierra-aji-pollo").name.startswith("Ají de pollo")
    assert recipes.get_recipe(db, "sierra-api-pan-queso").name.startswith("Nuevo: ")
    with pytest.raises(NotFound):
        recipes.get_recipe(db, "sierra-patachi")
    assert {e.recipe_id for e in planning.get_plan(db, plan.id).entries} == {"sierra-aji-pollo"}
    assert recipes.sync_bank(db, root).updated == 0  # loaded once: the next start changes nothing
