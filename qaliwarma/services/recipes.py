"""The recipe bank (files in recipes/) and committees' own preparations (in the database)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from ..domain.levels import LEVELS, MEALS, REGIONS
from ..domain.recipes import Dose, Ingredient, RecipeDef, RecipeSummary, ordered_levels, slugify
from ..errors import InvalidInput, NotFound, Problem
from ..i18n import _
from ..io.recipe_files import bank_files, check_files
from ..paths import recipes_dir
from ..persistence.engine import Database
from ..persistence.models import (
    AppSetting,
    Food,
    FoodSource,
    IngredientDose,
    MenuEntry,
    Recipe,
    RecipeIngredient,
)


@dataclass(frozen=True)
class SyncResult:
    added: int
    updated: int
    removed: int
    unchanged: int
    kept: int = 0  # no longer in the bank's files but kept: a committee's menu uses them (see sync_bank)


def known_codes(db: Database) -> set[str]:
    with db.session() as s:
        return set(s.scalars(select(Food.code)))


def _content_hash(recipe: RecipeDef) -> str:
    parts = [recipe.id, recipe.name, recipe.region, recipe.meal, ",".join(recipe.levels), recipe.source,
             recipe.note, recipe.preparation]
    for ing in recipe.ingredients:
        parts.append(f"{ing.code}|{ing.label}|{ing.edible_factor}")
        for level, dose in sorted(ing.doses.items()):
            parts.append(f"{level}={dose.grams}|{dose.measure}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _store(s: Session, recipe: RecipeDef, committee_id: int | None, existing: Recipe | None = None) -> None:
    row = existing or Recipe(id=recipe.id, created_at=datetime.now())
    row.committee_id = committee_id
    row.name = recipe.name
    row.region = recipe.region
    row.meal = recipe.meal
    row.levels = ",".join(recipe.levels)
    row.source = recipe.source
    row.note = recipe.note
    row.preparation = recipe.preparation
    row.file_path = recipe.file_path
    row.content_sha256 = _content_hash(recipe)
    row.ingredients = [
        RecipeIngredient(
            position=pos,
            food_code=ing.code,
            label=ing.label,
            edible_factor=ing.edible_factor,
            doses=[IngredientDose(level=lv, grams=d.grams, measure=d.measure) for lv, d in ing.doses.items()],
        )
        for pos, ing in enumerate(recipe.ingredients)
    ]
    if existing is None:
        s.add(row)


BANK_FINGERPRINT = "recetario.huella"  # app_settings key: the bank files last loaded, as a fingerprint


def _bank_fingerprint(s: Session, root: Path, files: list[Path]) -> str:
    """What the loaded bank depends on: every bank file's name and bytes, the food table it was checked
    against (a new edition may lack a food a preparation uses), the schema and the code that reads and checks
    the files (the reader, the preparation's rules, the levels and meals)."""
    from ..domain import levels as levels_module
    from ..domain import recipes as recipe_domain
    from ..io import recipe_files

    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    source = s.execute(select(FoodSource.id, FoodSource.edition, FoodSource.food_count)
                       .where(FoodSource.active.is_(True)).order_by(FoodSource.id.desc())).first()
    digest.update(repr(tuple(source) if source else None).encode())
    from ..persistence.schema_version import HEAD_REVISION

    digest.update(HEAD_REVISION.encode())
    for module in (recipe_files.__file__, recipe_domain.__file__, levels_module.__file__, __file__):
        try:
            digest.update(Path(module).read_bytes())
        except (OSError, TypeError):  # a frozen copy without its sources: its version says which code it is
            from .. import __version__

            digest.update(__version__.encode())
    return digest.hexdigest()


def sync_bank(db: Database, root: Path | None = None) -> SyncResult:
    """Load the regional bank from its files into the database. Running it twice changes nothing.

    Refuses the whole bank (nothing changed) if any file has a problem. The files are parsed and checked
    only when they (or the food table) changed since the last load: the fingerprint of what was loaded is
    kept in the database, so an unchanged bank costs reading 42 small files, not parsing them.
    """
    root = root or recipes_dir()
    files = bank_files(root)
    with db.session() as s:
        fingerprint = _bank_fingerprint(s, root, files)
        kept = s.get(AppSetting, BANK_FINGERPRINT)
        if kept is not None and kept.value == fingerprint:
            count = s.scalar(select(func.count()).select_from(Recipe).where(Recipe.committee_id.is_(None)))
            return SyncResult(0, 0, 0, count or 0)
    recipes, problems = check_files(files, known_codes(db), base=root.parent)
    if problems:
        raise InvalidInput(_("El recetario regional tiene errores; no se cargó."), problems)
    added = updated = unchanged = 0
    with db.session() as s:
        kept = s.get(AppSetting, BANK_FINGERPRINT)
        if kept is None:
            s.add(AppSetting(key=BANK_FINGERPRINT, value=fingerprint))
        else:
            kept.value = fingerprint
        rows = {r.id: r for r in s.scalars(select(Recipe).where(Recipe.committee_id.is_(None)))}
        own_ids = set(s.scalars(select(Recipe.id).where(Recipe.committee_id.is_not(None))))
        for recipe in recipes:
            if recipe.id in own_ids:
                raise InvalidInput(_("El id «{id}» del recetario ya lo usa una preparación del comité.").format(id=recipe.id))
            row = rows.pop(recipe.id, None)
            if row is None:
                _store(s, recipe, None)
                added += 1
            elif row.content_sha256 != _content_hash(recipe):
                _store(s, recipe, None, row)
                updated += 1
            else:
                unchanged += 1
        # a preparation the new bank no longer ships is removed, unless a committee's menu uses it: the menu, and
        # what was planned and served from it, keep their preparation (deleting it was refused by the database,
        # so the whole new bank was never loaded and every start said another person's data clashed)
        in_use = set(s.scalars(select(MenuEntry.recipe_id).where(MenuEntry.recipe_id.in_(list(rows)))
                               .distinct())) if rows else set()
        for gone in rows.values():
            if gone.id not in in_use:
                s.delete(gone)
    return SyncResult(added, updated, len(rows) - len(in_use), unchanged, len(in_use))


def _to_def(row: Recipe) -> RecipeDef:
    return RecipeDef(
        id=row.id,
        name=row.name,
        region=row.region,
        meal=row.meal,
        levels=tuple(row.levels.split(",")) if row.levels else (),
        ingredients=tuple(
            Ingredient(
                i.food_code, i.label, Decimal(i.edible_factor),
                {d.level: Dose(Decimal(d.grams), d.measure) for d in i.doses},
            )
            for i in row.ingredients
        ),
        source=row.source,
        note=row.note,
        preparation=row.preparation,
        committee_own=row.committee_id is not None,
        file_path=row.file_path,
    )


def list_recipes(
    db: Database, *, region: str | None = None, meal: str | None = None, committee_id: int | None = None
) -> list[RecipeSummary]:
    """Bank preparations (and, with ``committee_id``, that committee's own), by region and meal."""
    with db.session() as s:
        query = select(Recipe)
        if committee_id is None:
            query = query.where(Recipe.committee_id.is_(None))
        else:
            query = query.where((Recipe.committee_id.is_(None)) | (Recipe.committee_id == committee_id))
        if region:
            query = query.where(Recipe.region == region)
        if meal:
            query = query.where(Recipe.meal == meal)
        rows = s.scalars(query.order_by(Recipe.region, Recipe.meal, Recipe.name)).all()
        return [
            RecipeSummary(r.id, r.name, r.region, r.meal, tuple(r.levels.split(",")), r.committee_id is not None)
            for r in rows
        ]


def get_recipe(db: Database, recipe_id: str) -> RecipeDef:
    with db.session() as s:
        row = s.scalar(
            select(Recipe)
            .where(Recipe.id == recipe_id)
            .options(selectinload(Recipe.ingredients).selectinload(RecipeIngredient.doses))
        )
        if row is None:
            raise _not_found(recipe_id)
        return _to_def(row)


def _not_found(recipe_id: str) -> NotFound:
    return NotFound(_("No existe la preparación «{recipe_id}». Vea la lista con «qaliwarma recipes list».").format(
        recipe_id=recipe_id))


def require_recipes(db: Database, recipe_ids) -> dict[str, RecipeDef]:
    """The preparations of ``recipe_ids``, by id, read in one query; NotFound (as ``get_recipe``) names the
    first that does not exist."""
    found = get_recipes(db, recipe_ids)
    missing = sorted(set(recipe_ids) - found.keys())
    if missing:
        raise _not_found(missing[0])
    return found


def get_recipes(db: Database, recipe_ids) -> dict[str, RecipeDef]:
    """The preparations of ``recipe_ids`` that exist, by id, read in one query (a file of services names
    a few dozen preparations over thousands of rows)."""
    ids = sorted(set(recipe_ids))
    if not ids:
        return {}
    with db.session() as s:
        return recipes_in(s, ids)


def recipes_in(s: Session, recipe_ids) -> dict[str, RecipeDef]:
    """As ``get_recipes``, in the caller's unit of work."""
    ids = sorted(set(recipe_ids))
    if not ids:
        return {}
    rows = s.scalars(
        select(Recipe)
        .where(Recipe.id.in_(ids))
        .options(selectinload(Recipe.ingredients).selectinload(RecipeIngredient.doses))
    ).all()
    return {r.id: _to_def(r) for r in rows}


def usable_recipes(db: Database, committee_id: int) -> list[RecipeDef]:
    """Every preparation the committee can use (the bank and its own), read in one query."""
    with db.session() as s:
        rows = s.scalars(
            select(Recipe)
            .where(Recipe.committee_id.is_(None) | (Recipe.committee_id == committee_id))
            .options(selectinload(Recipe.ingredients).selectinload(RecipeIngredient.doses))
            .order_by(Recipe.region, Recipe.meal, Recipe.name)
        ).all()
        return [_to_def(r) for r in rows]


def validate_recipe(recipe: RecipeDef, codes: set[str]) -> list[Problem]:
    """Problems of a committee's preparation, each naming the field."""
    problems: list[Problem] = []
    if not recipe.name.strip():
        problems.append(Problem("Nombre", _("escriba el nombre de la preparación")))
    if recipe.region not in REGIONS:
        problems.append(Problem(_("Región"), _("elija costa, sierra o selva")))
    if recipe.meal not in MEALS:
        problems.append(Problem("Comida", _("elija desayuno o almuerzo")))
    if not recipe.levels or any(lv not in LEVELS for lv in recipe.levels):
        problems.append(Problem("Niveles", _("elija al menos un nivel")))
    if not recipe.ingredients:
        problems.append(Problem("Ingredientes", _("agregue al menos un ingrediente")))
    for n, ing in enumerate(recipe.ingredients, start=1):
        where = f"Ingrediente {n}"
        if ing.code not in codes:
            problems.append(Problem(where, _("el código «{code}» no está en la tabla de alimentos").format(code=ing.code), row=n, field="code"))
        if not (Decimal(0) < ing.edible_factor <= Decimal(1)):
            problems.append(Problem(where, _("la parte comestible debe estar entre 0 y 1"), row=n, field="edible_factor"))
        for level in recipe.levels:
            dose = ing.doses.get(level)
            if dose is None:
                problems.append(Problem(where, _("falta la cantidad para {level}").format(level=level), row=n, field=level))
            elif dose.grams <= 0:
                problems.append(Problem(where, _("la cantidad para {level} debe ser mayor que cero").format(level=level), row=n, field=level))
    return problems


def portion_warnings(recipe: RecipeDef) -> list[Problem]:
    """Notices (not problems: the preparation can still be saved), the same rules as `recipes check`: each food
    weighed at more than 500 g per child (domain.portions.HEAVY_GRAMS), then each food group over its portion
    cap (resources/standards/datos/porciones.toml); each names the ingredient row (the group's first food)."""
    from ..domain.portions import heavy_doses, portion_excesses
    from ..io.portion_files import shipped_portion_groups

    heavy = [Problem(f"Ingrediente {h.index + 1}", h.message(recipe), row=h.index + 1, field=h.level)
             for h in heavy_doses(recipe)]
    if recipe.meal not in MEALS:
        return heavy
    return heavy + [Problem(f"Ingrediente {e.items[0][0] + 1}", e.message(recipe), row=e.items[0][0] + 1,
                            field=e.level) for e in portion_excesses(recipe, shipped_portion_groups())]


def save_own_recipe(db: Database, committee_id: int, recipe: RecipeDef) -> RecipeDef:
    """Create or replace one of the committee's own preparations. Its id starts with ``comite-``."""
    recipe = replace(recipe, levels=ordered_levels(recipe.levels), committee_own=True, file_path=None)
    problems = validate_recipe(recipe, known_codes(db))
    if problems:
        raise InvalidInput(_("La preparación tiene datos incompletos; no se guardó."), problems)
    with db.session() as s:
        rid = recipe.id
        if not rid:
            base = f"comite-{slugify(recipe.name)}"
            rid, n = base, 2
            while s.get(Recipe, rid) is not None:
                rid, n = f"{base}-{n}", n + 1
            recipe = replace(recipe, id=rid)
        existing = s.get(Recipe, rid)
        if existing is not None and existing.committee_id != committee_id:
            raise InvalidInput(_("«{rid}» es una preparación del recetario regional: guárdela con otro nombre.").format(rid=rid))
        if existing is not None:
            _refuse_if_served_in_a_closed_month(s, committee_id, existing)
        _store(s, recipe, committee_id, existing)
    return recipe


def _refuse_if_served_in_a_closed_month(s, committee_id: int, row: Recipe) -> None:
    """A committee's own preparation planned in a closed month is that month's dosing: changed or deleted, the
    month's report and code would change (its yield compares what left the store with these doses)."""
    from .planning import planned_in_closed_months

    found = planned_in_closed_months(s, committee_id, recipe_id=row.id)
    if found:
        raise InvalidInput(_("«{name}» está en el menú de {month}, ya cerrado: ya no se cambia ni se elimina (el "
                             "informe de ese mes compara lo que salió del almacén con sus gramos). Guárdela con otro "
                             "nombre para los meses que vienen.").format(name=row.name, month=found[0][0]))


def delete_own_recipe(db: Database, committee_id: int, recipe_id: str) -> None:
    with db.session() as s:
        row = s.get(Recipe, recipe_id)
        if row is None or row.committee_id != committee_id:
            raise NotFound(_("No existe la preparación propia «{recipe_id}».").format(recipe_id=recipe_id))
        _refuse_if_served_in_a_closed_month(s, committee_id, row)
        s.execute(delete(Recipe).where(Recipe.id == recipe_id))


# ------------------------------------------------------------------------------------ one preparation
@dataclass(frozen=True)
class DetailLine:
    """One ingredient for one level: what the cook weighs per child and the household measure."""

    code: str
    name: str  # the food table's name (the recipe's own label when the table does not have it)
    gross_grams: Decimal  # per child, as weighed
    edible_factor: Decimal
    measure: str  # the recipe's household measure, else one suggested from the grams («≈ …»), else ""


@dataclass(frozen=True)
class LevelDetail:
    lines: tuple[DetailLine, ...]
    nutrients: dict[str, float | None]  # with the substitutes' estimates where the table has no value
    incomplete: dict[str, tuple[str, ...]]  # nutrient → the foods without a value nor a substitute for it
    # nutrient → (estimate, lowest, highest, foods substituted): the figure the compliance check judges
    estimated: dict[str, tuple[float, float, float, tuple[str, ...]]] = field(default_factory=dict)


@dataclass(frozen=True)
class RecipeDetail:
    """A preparation with, for each of its levels, the grams per child and what each child receives."""

    recipe: RecipeDef
    levels: dict[str, LevelDetail]
    food_names: dict[str, str]


def _measure(ingredient: Ingredient, level: str) -> str:
    from ..errors import QaliwarmaError
    from ..units import household_hint

    dose = ingredient.doses[level]
    if dose.measure.strip():
        return dose.measure.strip()
    try:
        hint = household_hint(ingredient.code, float(dose.grams))
    except QaliwarmaError:
        return ""
    return f"≈ {hint}" if hint else ""


def recipe_detail(db: Database, recipe_id: str) -> RecipeDetail:
    """The preparation ``recipe_id`` and, per level, its ingredients' grams and measures and the analysis
    (plain data: the desktop builds its view from it). NotFound when there is no such preparation."""
    from . import substitutes
    from .analysis import analyse_recipe

    recipe = get_recipe(db, recipe_id)
    names: dict[str, str] = {}
    levels: dict[str, LevelDetail] = {}
    for level in recipe.levels:
        result = analyse_recipe(db, recipe, level)
        names.update({item.code: item.name for item in result.items})
        lines = tuple(DetailLine(ing.code, names.get(ing.code, ing.label), grams, ing.edible_factor,
                                 _measure(ing, level)) for ing, grams in recipe.gross_grams(level))
        grams_of: dict[str, float] = {}
        for code, grams in recipe.edible_items(level):
            grams_of[code] = grams_of.get(code, 0.0) + grams
        nutrients = dict(result.nutrients)
        incomplete = {k: tuple(v) for k, v in result.incomplete.items()}
        estimated = {}
        for key, est in substitutes.fill(result.nutrients, result.incomplete, grams_of).items():
            nutrients[key] = substitutes.shown_value(est)  # as compliance judges it (services.compliance)
            incomplete[key] = est.still_missing
            estimated[key] = (est.value, est.low, est.high, est.codes)
        levels[level] = LevelDetail(lines, nutrients, {k: v for k, v in incomplete.items() if v}, estimated)
    return RecipeDetail(recipe, levels, names)
