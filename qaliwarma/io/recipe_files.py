"""Recipe files (docs/recipe-format.md): parse and check, reporting ``file:line: problem``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..domain.levels import LEVELS, MEALS, REGIONS
from ..domain.recipes import ID_PATTERN, Dose, Ingredient, RecipeDef, ordered_levels
from ..errors import Problem
from ..i18n import N_, _
from ..numbers import FACTOR, Limit, NumberRefused, read_number

RECIPE_GRAMS = Limit(N_("peso en gramos"), N_("el peso en gramos"), Decimal(0), Decimal(100000), 3)  # grams of one food in one ration: never negative

_KEY = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=")
_TABLE_ARRAY = re.compile(r"^\s*\[\[\s*ingredients\s*\]\]\s*(#.*)?$")


@dataclass
class _Lines:
    """Line numbers of top-level keys and of each ingredient's keys, found by scanning the text."""

    top: dict[str, int]
    ingredients: list[dict[str, int]]

    @classmethod
    def scan(cls, text: str) -> _Lines:
        top: dict[str, int] = {}
        ingredients: list[dict[str, int]] = []
        in_table = False
        for number, line in enumerate(text.splitlines(), start=1):
            if _TABLE_ARRAY.match(line):
                ingredients.append({"": number})
                in_table = True
                continue
            if line.strip().startswith("["):
                in_table = False
                continue
            m = _KEY.match(line)
            if m:
                target = ingredients[-1] if in_table and ingredients else top
                target.setdefault(m.group(1), number)
        return cls(top, ingredients)

    def of(self, key: str, ingredient: int | None = None) -> int:
        if ingredient is None:
            return self.top.get(key, 1)
        if ingredient < len(self.ingredients):
            table = self.ingredients[ingredient]
            return table.get(key, table[""])
        return 1


def _negative(value) -> bool:
    """A number below zero, however it is written (-5, "-5", "-0,5")."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return False
    try:
        return Decimal(str(value).strip().replace(",", ".")) < 0
    except ArithmeticError:
        return False


def _decimal(value, limit: Limit = RECIPE_GRAMS) -> Decimal | None:
    """A number by the one parser (qaliwarma/numbers.py), within ``limit``; None when refused."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return read_number(value, limit)
    except NumberRefused:
        return None


def parse_recipe(
    path: Path, known_codes: set[str] | None, *, display: str | None = None, region_folder: str | None = None
) -> tuple[RecipeDef | None, list[Problem]]:
    """Parse one recipe file. Returns the recipe (None if unusable) and every problem found."""
    name = display or str(path)
    problems: list[Problem] = []

    def problem(line: int, what: str) -> None:
        problems.append(Problem(f"{name}:{line}", what))

    try:
        if path.stat().st_size > 1024 * 1024:
            return None, [Problem(f"{name}:1", _("el archivo pesa más de 1 MB: no es una receta"))]
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(f"{name}:1", _("no se puede leer el archivo ({exc})").format(exc=exc))]
    try:
        doc = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        m = re.search(r"line (\d+)", str(exc))
        return None, [Problem(f"{name}:{m.group(1) if m else 1}", _("TOML mal formado: {exc}").format(exc=exc))]
    lines = _Lines.scan(text)

    for key in ("id", "name", "region", "meal"):
        if not isinstance(doc.get(key), str) or not doc[key].strip():
            problem(lines.of(key), _("falta «{key}» (texto)").format(key=key))
    rid = str(doc.get("id", "")).strip()
    if rid and not ID_PATTERN.match(rid):
        problem(lines.of("id"), _("id «{rid}» inválido: use minúsculas, números y guiones").format(rid=rid))
    region = doc.get("region")
    if isinstance(region, str) and region not in REGIONS:
        problem(lines.of("region"), _("región «{region}» desconocida (costa, sierra o selva)").format(region=region))
    elif region_folder and isinstance(region, str) and region != region_folder:
        problem(lines.of("region"), _("región «{region}» no coincide con la carpeta «{region_folder}»").format(region=region, region_folder=region_folder))
    meal = doc.get("meal")
    if isinstance(meal, str) and meal not in MEALS:
        problem(lines.of("meal"), _("comida «{meal}» desconocida (desayuno o almuerzo)").format(meal=meal))
    raw_levels = doc.get("levels")
    if not isinstance(raw_levels, list) or not raw_levels:
        problem(lines.of("levels"), _("falta «levels»: la lista de niveles (inicial, primaria, secundaria)"))
        raw_levels = []
    bad = [lv for lv in raw_levels if lv not in LEVELS]
    if bad:
        problem(lines.of("levels"), _("nivel desconocido: {join}").format(join=', '.join(map(str, bad))))
    levels = ordered_levels(lv for lv in raw_levels if lv in LEVELS)

    raw_ingredients = doc.get("ingredients")
    if not isinstance(raw_ingredients, list) or not raw_ingredients:
        problem(lines.of("ingredients"), _("la preparación no tiene ingredientes ([[ingredients]])"))
        raw_ingredients = []
    ingredients: list[Ingredient] = []
    for i, item in enumerate(raw_ingredients):
        if not isinstance(item, dict):
            problem(lines.of("", i), _("ingrediente mal escrito"))
            continue
        code = str(item.get("code", "")).strip().upper()
        if not code:
            problem(lines.of("code", i), _("falta «code», el código del alimento en la tabla"))
        elif known_codes is not None and code not in known_codes:
            problem(lines.of("code", i), _("código de alimento desconocido «{code}»").format(code=code))
        factor = Decimal("1")
        if "edible_factor" in item:
            f = _decimal(item["edible_factor"], FACTOR)
            if f is None or not (Decimal(0) < f <= Decimal(1)):
                problem(lines.of("edible_factor", i), _("edible_factor «{edible_factor}» debe estar entre 0 y 1").format(edible_factor=item['edible_factor']))
            else:
                factor = f
        grams = item.get("grams")
        measures = item.get("measure", {}) or {}
        doses: dict[str, Dose] = {}
        if not isinstance(grams, dict):
            problem(lines.of("grams", i), _("falta «grams» del ingrediente {value} (gramos por nivel)").format(value=code or i + 1))
            grams = {}
        if not isinstance(measures, dict):
            problem(lines.of("measure", i), _("«measure» debe dar un texto por nivel"))
            measures = {}
        for level in levels:
            if level not in grams:
                problem(lines.of("grams", i), _("falta la cantidad de {value} para {level}").format(value=code or 'ingrediente', level=level))
                continue
            amount = _decimal(grams[level])
            if amount is None and _negative(grams[level]):  # said as for zero, not as a range that starts at 0
                problem(lines.of("grams", i), _("cantidad de {code} para {level} debe ser mayor que cero ({amount})").format(code=code, level=level, amount=grams[level]))
            elif amount is None and isinstance(grams[level], int | float | str) and not isinstance(grams[level], bool):
                try:  # a number the parser refuses (out of range, too many decimals): say why
                    read_number(grams[level], RECIPE_GRAMS)
                except NumberRefused as exc:
                    problem(lines.of("grams", i), _("cantidad de {code} para {level}: {why}").format(
                        code=code, level=level, why=exc.message))
            elif amount is None:
                problem(lines.of("grams", i), _("cantidad de {code} para {level} no es un número: «{value}»").format(code=code, level=level, value=grams[level]))
            elif amount <= 0:
                problem(lines.of("grams", i), _("cantidad de {code} para {level} debe ser mayor que cero ({amount})").format(code=code, level=level, amount=amount))
            else:
                doses[level] = Dose(amount, str(measures.get(level, "")))
        for level in grams:
            if level not in levels:
                problem(lines.of("grams", i), _("{code} tiene cantidad para «{level}», que no está en «levels»").format(code=code, level=level))
        ingredients.append(Ingredient(code, str(item.get("name", "")), factor, doses))
    if problems:
        return None, problems
    recipe = RecipeDef(
        id=rid,
        name=doc["name"].strip(),
        region=region,
        meal=meal,
        levels=levels,
        ingredients=tuple(ingredients),
        source=str(doc.get("source", "")),
        note=str(doc.get("note", "")),
        preparation=str(doc.get("preparation", "")).strip(),
        file_path=name,
        line_of={"id": lines.of("id")},
    )
    return recipe, []


def bank_files(root: Path) -> list[Path]:
    return sorted(p for region in REGIONS for p in (root / region).glob("*.toml"))


def expand_paths(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(p.rglob("*.toml")))
        else:
            files.append(p)
    return files


def check_files(
    files: list[Path], known_codes: set[str] | None, *, base: Path | None = None
) -> tuple[list[RecipeDef], list[Problem]]:
    """Parse every file; report every problem, including ids used twice."""
    recipes: list[RecipeDef] = []
    problems: list[Problem] = []
    first_seen: dict[str, str] = {}
    for path in files:
        display = str(path.relative_to(base)) if base and path.is_relative_to(base) else str(path)
        folder = path.parent.name if path.parent.name in REGIONS else None
        if not path.exists():
            problems.append(Problem(f"{display}:1", _("el archivo no existe")))
            continue
        recipe, found = parse_recipe(path, known_codes, display=display, region_folder=folder)
        problems += found
        if recipe is None:
            continue
        where = f"{display}:{recipe.line_of.get('id', 1)}"
        if recipe.id in first_seen:
            problems.append(Problem(where, _("id duplicado «{id}» (ya usado en {value})").format(id=recipe.id, value=first_seen[recipe.id])))
            continue
        first_seen[recipe.id] = where
        recipes.append(recipe)
    return recipes, problems


def cooked_warnings(path: Path, names: dict[str, str], *, display: str | None = None) -> list[Problem]:
    """«file:line: aviso» for each ingredient whose food code is already cooked or a prepared dish,
    unless the ingredient says ``cooked_weight = true`` (its grams are weighed cooked on purpose)."""
    from ..domain.foods import is_cooked_or_prepared

    try:
        text = path.read_text(encoding="utf-8")
        doc = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []
    lines = _Lines.scan(text)
    found = []
    for i, item in enumerate(doc.get("ingredients", []) or []):
        if not isinstance(item, dict):
            continue
        code = str(item.get("code", "")).strip().upper()
        if code in names and is_cooked_or_prepared(code, names[code]) and item.get("cooked_weight") is not True:
            found.append(Problem(f"{display or path}:{lines.of('code', i)}",
                                 _("aviso: {code} ({value}) es un alimento ya cocido o preparado, pero las recetas se pesan crudas; use el código del alimento crudo, o escriba «cooked_weight = true» si los gramos son de lo cocido").format(code=code, value=names[code])))
    return found


def portion_warnings(path: Path, *, display: str | None = None) -> list[Problem]:
    """«file:line: aviso» for each food weighed at more than 500 g per child (domain.portions.HEAVY_GRAMS) and
    each food group of the preparation over its portion cap at a level
    (resources/standards/datos/porciones.toml), on the line of the food (the group's first ingredient)."""
    from ..domain.portions import heavy_doses, portion_excesses
    from .portion_files import shipped_portion_groups

    recipe, problems = parse_recipe(path, None, display=display)
    if recipe is None or problems:
        return []
    lines = _Lines.scan(path.read_text(encoding="utf-8"))
    found = [(heavy.index, heavy.message(recipe)) for heavy in heavy_doses(recipe)]
    found += [(excess.items[0][0], excess.message(recipe))
              for excess in portion_excesses(recipe, shipped_portion_groups())]
    return [Problem(f"{display or path}:{lines.of('code', index)}", _("aviso: {text}").format(text=text))
            for index, text in found]
