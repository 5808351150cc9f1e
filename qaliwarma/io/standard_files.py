"""Standard set files (resources/standards/*.toml) and their JSON copy in the database."""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..domain.levels import LEVELS, MEALS, REGIONS
from ..domain.nutrients import NUTRIENT_KEYS
from ..domain.recipes import ID_PATTERN
from ..domain.standards import (
    ABOVE_IS_NOTICE,
    ABOVE_IS_PROBLEM,
    DERIVED_METRICS,
    Range,
    Rule,
    StandardSet,
    Target,
)
from ..errors import InvalidInput, Problem
from ..i18n import N_, _
from ..numbers import Limit, NumberRefused, read_number

NUTRIENT_TARGET = Limit(N_("meta"), N_("la meta"), Decimal(-1000000), Decimal(1000000), 6)

METRICS = set(NUTRIENT_KEYS) | set(DERIVED_METRICS)
RULE_KINDS = {"haem_iron_per_week", "no_repeat_within_days", "same_base_cereal_per_week", "vitamin_a_per_week"}
_TARGET_KEYS = {"level", "meal", "quintiles", "regions"}


def _number(value: Any) -> float | None:
    """A target value: a finite, non-negative number within the nutrient limits (qaliwarma/numbers.py)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return float(read_number(value, NUTRIENT_TARGET))
    except NumberRefused:
        return None


def parse_standard(doc: dict[str, Any], where: str) -> StandardSet:
    """Build a standard set from its TOML/JSON document; InvalidInput lists every problem."""
    problems: list[Problem] = []

    def bad(what: str, place: str = "") -> None:
        problems.append(Problem(f"{where}{place}", what))

    sid = str(doc.get("id", "")).strip()
    if not ID_PATTERN.match(sid):
        bad(_("falta «id» (minúsculas, números y guiones)"))
    name = str(doc.get("name", "")).strip()
    if not name:
        bad(_("falta «name»"))
    if not str(doc.get("source", "")).strip():
        bad(_("falta «source»: todo estándar dice de dónde vienen sus cifras"))
    targets: list[Target] = []
    for n, raw in enumerate(doc.get("targets", []) or [], start=1):
        place = _(" meta {n}").format(n=n)
        level, meal = raw.get("level"), raw.get("meal")
        if level not in LEVELS:
            bad(_("nivel «{level}» desconocido").format(level=level), place)
        if meal not in MEALS:
            bad(_("comida «{meal}» desconocida").format(meal=meal), place)
        quintiles = tuple(raw.get("quintiles", ()) or ())
        if any(q not in (1, 2, 3, 4, 5) for q in quintiles):
            bad(_("«quintiles» van de 1 a 5"), place)
        regions = tuple(raw.get("regions", ()) or ())
        if any(r not in REGIONS for r in regions):
            bad(_("«regions» son costa, sierra o selva"), place)
        ranges: dict[str, Range] = {}
        for key, spec in raw.items():
            if key in _TARGET_KEYS:
                continue
            if key not in METRICS:
                bad(_("«{key}» no es un nutriente conocido").format(key=key), place)
                continue
            if not isinstance(spec, dict):
                bad(_("«{key}» debe ser {{ min = …, max = … }}").format(key=key), place)
                continue
            low, high = _number(spec.get("min")), _number(spec.get("max"))
            above = spec.get("above", ABOVE_IS_PROBLEM)
            below = spec.get("below", ABOVE_IS_PROBLEM)
            if low is None and high is None:
                bad(_("«{key}» necesita «min», «max» o ambos (números)").format(key=key), place)
            elif low is not None and high is not None and low > high:
                bad(_("«{key}»: el mínimo {low:g} es mayor que el máximo {high:g}").format(key=key, low=low, high=high), place)
            if low is not None and low < 0 or high is not None and high < 0:
                bad(_("«{key}»: las metas no pueden ser negativas").format(key=key), place)
            if above not in (ABOVE_IS_PROBLEM, ABOVE_IS_NOTICE):
                bad(_("«{key}»: «above» es «problema» o «aviso»").format(key=key), place)
            if below not in (ABOVE_IS_PROBLEM, ABOVE_IS_NOTICE):
                bad(_("«{key}»: «below» es «problema» o «aviso»").format(key=key), place)
            ranges[key] = Range(low, high, above, below)
        if not ranges:
            bad(_("la meta no fija ningún nutriente"), place)
        targets.append(Target(str(level), str(meal), ranges, quintiles, regions))
    if not targets:
        bad(_("el estándar no tiene metas ([[targets]])"))
    rules: list[Rule] = []
    for n, raw in enumerate(doc.get("rules", []) or [], start=1):
        place = f" regla {n}"
        kind = raw.get("kind")
        if kind not in RULE_KINDS:
            bad(_("tipo de regla «{kind}» desconocido ({join})").format(kind=kind, join=', '.join(sorted(RULE_KINDS))), place)
            continue
        times, days = raw.get("times", 0), raw.get("days", 0)
        if kind in ("haem_iron_per_week", "same_base_cereal_per_week") and (not isinstance(times, int) or times < 1):
            bad(_("«times» debe ser un entero mayor que 0"), place)
        if kind == "no_repeat_within_days" and (not isinstance(days, int) or days < 1):
            bad(_("«days» debe ser un entero mayor que 0"), place)
        foods = tuple(str(f).upper() for f in raw.get("foods", ()) or ())
        if kind == "haem_iron_per_week" and not foods:
            bad(_("«foods» debe listar códigos o grupos (\"E*\") de alimentos con hierro hemínico"), place)
        meals = tuple(raw.get("meals", ()) or ())
        if any(m not in MEALS for m in meals):
            bad(_("«meals» son desayuno o almuerzo"), place)
        limits_raw = raw.get("limits", {}) or {}
        limits: list[tuple[str, float]] = []
        if kind == "vitamin_a_per_week":
            if not isinstance(limits_raw, dict) or not limits_raw:
                bad(_("«limits» debe dar el máximo por nivel, p. ej. { inicial = 2700 }"), place)
                limits_raw = {}
            for level, value in limits_raw.items():
                if level not in LEVELS:
                    bad(_("«limits»: nivel «{level}» desconocido").format(level=level), place)
                elif _number(value) is None or value <= 0:
                    bad(_("«limits»: el máximo de {level} debe ser un número mayor que 0").format(level=level), place)
                else:
                    limits.append((level, float(value)))
        rules.append(Rule(kind, str(raw.get("description", kind)), int(times or 0), int(days or 0),
                          float(raw.get("min_grams", 0) or 0), foods, meals, tuple(limits)))
    if problems:
        raise InvalidInput(_("El estándar {value} tiene errores; no se guardó.").format(value=sid or where), problems)
    return StandardSet(sid, name, str(doc["source"]).strip(), tuple(targets), tuple(rules),
                       str(doc.get("note", "")).strip(), based_on=doc.get("based_on"))


def read_standard_file(path: Path) -> StandardSet:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput(_("No se puede leer el estándar {name}: {exc}").format(name=path.name, exc=exc)) from exc
    return parse_standard(doc, path.name)


def to_document(standard: StandardSet) -> dict[str, Any]:
    """The JSON/TOML shape of a standard set (what parse_standard reads back)."""
    def target(t: Target) -> dict[str, Any]:
        doc: dict[str, Any] = {"level": t.level, "meal": t.meal}
        if t.quintiles:
            doc["quintiles"] = list(t.quintiles)
        if t.regions:
            doc["regions"] = list(t.regions)
        for key, r in t.ranges.items():
            spec: dict[str, Any] = {}
            if r.min is not None:
                spec["min"] = r.min
            if r.max is not None:
                spec["max"] = r.max
            if r.above != ABOVE_IS_PROBLEM:
                spec["above"] = r.above
            if r.below != ABOVE_IS_PROBLEM:
                spec["below"] = r.below
            doc[key] = spec
        return doc

    def rule(r: Rule) -> dict[str, Any]:
        doc: dict[str, Any] = {"kind": r.kind, "description": r.description}
        for key in ("times", "days", "min_grams"):
            if getattr(r, key):
                doc[key] = getattr(r, key)
        if r.foods:
            doc["foods"] = list(r.foods)
        if r.meals:
            doc["meals"] = list(r.meals)
        if r.limits:
            doc["limits"] = dict(r.limits)
        return doc

    doc = {"id": standard.id, "name": standard.name, "source": standard.source, "note": standard.note,
           "targets": [target(t) for t in standard.targets], "rules": [rule(r) for r in standard.rules]}
    if standard.based_on:
        doc["based_on"] = standard.based_on
    return doc


def to_json(standard: StandardSet) -> str:
    return json.dumps(to_document(standard), ensure_ascii=False, sort_keys=True, indent=1)
