"""Menu plan files (docs/plan-format.md): TOML, or CSV/XLSX with one row per day × meal × level."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..domain.levels import LEVELS, MEALS
from ..domain.menus import PlanEntry
from ..errors import InvalidInput, Problem
from .tabular import parse_date, read_rows

ALL_LEVELS = ("todos", "todas", "*")


@dataclass
class PlanFile:
    name: str
    start: date | None
    end: date | None
    committee: str | None
    standard: str | None
    entries: list[PlanEntry] = field(default_factory=list)
    where: dict[PlanEntry, str] = field(default_factory=dict)


def _expand(level: str, school_levels: list[str]) -> list[str]:
    return list(school_levels) if level in ALL_LEVELS else [level]


def read_plan_file(path: Path, school_levels: list[str]) -> PlanFile:
    """Read and check the file's own shape; the planning service then checks it against the
    committee (its days, levels and preparations). InvalidInput lists every problem."""
    path = Path(path)
    if path.suffix.lower() == ".toml":
        return _read_toml(path, school_levels)
    return _read_table(path, school_levels)


def _read_toml(path: Path, school_levels: list[str]) -> PlanFile:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InvalidInput(f"No existe el archivo {path}.") from exc
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InvalidInput(f"{path.name} no es un plan válido (TOML mal formado): {exc}") from exc
    problems: list[Problem] = []
    plan = PlanFile(str(doc.get("name") or path.stem), None, None, doc.get("committee"), doc.get("standard"))
    for key in ("start", "end"):
        value = doc.get(key)
        if value is not None and not isinstance(value, date):
            problems.append(Problem(f"{path.name}: {key}", f"«{value}» no es una fecha (use 2027-03-15)"))
        else:
            setattr(plan, key, value)
    days = doc.get("days")
    if not isinstance(days, list) or not days:
        problems.append(Problem(path.name, "el plan no tiene días ([[days]])"))
        days = []
    for n, day in enumerate(days, start=1):
        where = f"{path.name}: día {n}"
        when = day.get("date") if isinstance(day, dict) else None
        if not isinstance(when, date):
            problems.append(Problem(where, "falta «date» (una fecha como 2027-03-15)"))
            continue
        where = f"{path.name}: {when:%d/%m/%Y}"
        for meal, value in day.items():
            if meal == "date":
                continue
            if meal not in MEALS:
                problems.append(Problem(where, f"comida «{meal}» desconocida (desayuno o almuerzo)"))
                continue
            per_level = {lv: value for lv in school_levels} if isinstance(value, str) else value
            if not isinstance(per_level, dict):
                problems.append(Problem(where, f"{meal}: escriba el id de la preparación o una por nivel"))
                continue
            for level, recipe in per_level.items():
                for lv in _expand(level, school_levels):
                    if lv not in LEVELS:
                        problems.append(Problem(where, f"{meal}: nivel «{level}» desconocido"))
                        continue
                    entry = PlanEntry(when, meal, lv, str(recipe).strip())
                    plan.entries.append(entry)
                    plan.where[entry] = f"{where} {meal} {lv}"
    if problems:
        raise InvalidInput(f"{path.name} tiene errores; no se importó nada.", problems)
    return plan


def _read_table(path: Path, school_levels: list[str]) -> PlanFile:
    rows = read_rows(path, ["fecha", "comida", "nivel", "preparacion"])
    problems: list[Problem] = []
    plan = PlanFile(path.stem, None, None, None, None)
    for row in rows:
        where = f"{path.name}: fila {row.number}"
        when = parse_date(row.get("fecha"))
        meal = row.get("comida").lower()
        level = row.get("nivel").lower()
        recipe = row.get("preparacion")
        if when is None:
            problems.append(Problem(f"{where}, columna fecha", f"«{row.get('fecha')}» no es una fecha (dd/mm/aaaa)"))
        if meal not in MEALS:
            problems.append(Problem(f"{where}, columna comida", f"«{row.get('comida')}»: se espera desayuno o almuerzo"))
        if level not in LEVELS and level not in ALL_LEVELS:
            problems.append(Problem(f"{where}, columna nivel", f"«{row.get('nivel')}»: se espera inicial, primaria, secundaria o todos"))
        if not recipe:
            problems.append(Problem(f"{where}, columna preparacion", "falta el id de la preparación"))
        if when is None or meal not in MEALS or not recipe or (level not in LEVELS and level not in ALL_LEVELS):
            continue
        for lv in _expand(level, school_levels):
            entry = PlanEntry(when, meal, lv, recipe)
            plan.entries.append(entry)
            plan.where[entry] = f"{where}"
    if problems:
        raise InvalidInput(f"{path.name} tiene errores; no se importó nada.", problems)
    if not plan.entries:
        raise InvalidInput(f"{path.name} no tiene filas con preparaciones.")
    return plan


def write_plan_toml(name: str, start: date, end: date, entries: list[PlanEntry], *, committee: str | None = None,
                    standard: str | None = None) -> str:
    """A plan as TOML text that ``read_plan_file`` reads back (to share menu banks as files)."""
    lines = [f'name = "{name}"']
    if committee:
        lines.append(f'committee = "{committee}"')
    if standard:
        lines.append(f'standard = "{standard}"')
    lines += [f"start = {start.isoformat()}", f"end = {end.isoformat()}", ""]
    by_day: dict[date, dict[str, dict[str, str]]] = {}
    for e in entries:
        by_day.setdefault(e.day, {}).setdefault(e.meal, {})[e.level] = e.recipe_id
    for day in sorted(by_day):
        lines += ["[[days]]", f"date = {day.isoformat()}"]
        for meal in MEALS:
            if meal in by_day[day]:
                inner = ", ".join(f'{lv} = "{rid}"' for lv, rid in by_day[day][meal].items())
                lines.append(f"{meal} = {{ {inner} }}")
        lines.append("")
    return "\n".join(lines)
