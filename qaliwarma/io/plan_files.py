"""Menu plan files (docs/plan-format.md): TOML, or CSV/XLSX with one row per day × meal × level."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..domain.levels import LEVELS, MEALS
from ..domain.menus import PlanEntry
from ..errors import InvalidInput, Problem
from ..i18n import _
from ..numbers import MAX_DATE, MIN_DATE
from .tabular import MAX_FILE_BYTES, cell_date, read_rows

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


def _plain_date(value) -> bool:
    """A TOML date (not a date-time, not a time) in the plausible range."""
    return isinstance(value, date) and not isinstance(value, datetime) and MIN_DATE <= value <= MAX_DATE


def read_plan_file(path: Path, school_levels: list[str]) -> PlanFile:
    """Read and check the file's own shape; the planning service then checks it against the
    committee (its days, levels and preparations). InvalidInput lists every problem."""
    path = Path(path)
    if path.suffix.lower() == ".toml":
        return _read_toml(path, school_levels)
    return _read_table(path, school_levels)


def _read_toml(path: Path, school_levels: list[str]) -> PlanFile:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InvalidInput(_("{name}: pesa demasiado para ser un plan de menús.").format(name=path.name))
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InvalidInput(_("No existe el archivo {path}.").format(path=path)) from exc
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as exc:
        raise InvalidInput(_("{name} no es un plan válido (TOML mal formado): {value}").format(name=path.name, value=str(exc)[:200])) from exc
    problems: list[Problem] = []
    plan = PlanFile(str(doc.get("name") or path.stem), None, None, doc.get("committee"), doc.get("standard"))
    for key in ("start", "end"):
        value = doc.get(key)
        if value is not None and not _plain_date(value):
            problems.append(Problem(f"{path.name}: {key}", _("«{value}» no es una fecha entre {year} y {year2} (use 2027-03-15, sin hora)").format(value=str(value)[:40], year=MIN_DATE.year, year2=MAX_DATE.year),
                                    file=path.name, field=key))
        else:
            setattr(plan, key, value)
    days = doc.get("days")
    if not isinstance(days, list) or not days:
        problems.append(Problem(path.name, _("el plan no tiene días ([[days]])")))
        days = []
    for n, day in enumerate(days, start=1):
        where = _("{name}: día {n}").format(name=path.name, n=n)
        when = day.get("date") if isinstance(day, dict) else None
        if not _plain_date(when):
            problems.append(Problem(where, _("falta «date» (una fecha como 2027-03-15, sin hora, entre {year} y {year2})").format(year=MIN_DATE.year, year2=MAX_DATE.year), file=path.name, field="date"))
            continue
        where = f"{path.name}: {when:%d/%m/%Y}"
        for meal, value in day.items():
            if meal == "date":
                continue
            if meal not in MEALS:
                problems.append(Problem(where, _("comida «{meal}» desconocida (desayuno o almuerzo)").format(meal=meal)))
                continue
            per_level = {lv: value for lv in school_levels} if isinstance(value, str) else value
            if not isinstance(per_level, dict):
                problems.append(Problem(where, _("{meal}: escriba el id de la preparación o una por nivel").format(meal=meal)))
                continue
            for level, recipe in per_level.items():
                if not isinstance(recipe, str):
                    problems.append(Problem(where, _("{meal}: el id de la preparación debe ser texto").format(meal=meal)))
                    continue
                for lv in _expand(level, school_levels):
                    if lv not in LEVELS:
                        problems.append(Problem(where, _("{meal}: nivel «{level}» desconocido").format(meal=meal, level=level)))
                        continue
                    entry = PlanEntry(when, meal, lv, str(recipe).strip())
                    plan.entries.append(entry)
                    plan.where[entry] = f"{where} {meal} {lv}"
    if problems:
        raise InvalidInput(_("{name} tiene errores; no se importó nada.").format(name=path.name), problems)
    return plan


def _read_table(path: Path, school_levels: list[str]) -> PlanFile:
    rows = read_rows(path, ["fecha", "comida", "nivel", "preparacion"])
    problems: list[Problem] = []
    plan = PlanFile(path.stem, None, None, None, None)
    for row in rows:
        where = _("{name}: fila {number}").format(name=path.name, number=row.number)
        when = cell_date(path.name, row, "fecha", problems)
        meal = row.get("comida").lower()
        level = row.get("nivel").lower()
        recipe = row.get("preparacion")
        if meal not in MEALS:
            problems.append(Problem(_("{where}, columna comida").format(where=where), _("«{get}»: se espera desayuno o almuerzo").format(get=row.get('comida'))))
        if level not in LEVELS and level not in ALL_LEVELS:
            problems.append(Problem(_("{where}, columna nivel").format(where=where), _("«{get}»: se espera inicial, primaria, secundaria o todos").format(get=row.get('nivel'))))
        if not recipe:
            problems.append(Problem(_("{where}, columna preparacion").format(where=where), _("falta el id de la preparación")))
        if when is None or meal not in MEALS or not recipe or (level not in LEVELS and level not in ALL_LEVELS):
            continue
        for lv in _expand(level, school_levels):
            entry = PlanEntry(when, meal, lv, recipe)
            plan.entries.append(entry)
            plan.where[entry] = f"{where}"
    if problems:
        raise InvalidInput(_("{name} tiene errores; no se importó nada.").format(name=path.name), problems)
    if not plan.entries:
        raise InvalidInput(_("{name} no tiene filas con preparaciones.").format(name=path.name))
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
