"""Reader of the Peruvian food composition table (TPCA, INS/CENAN) in its distributed XLSX layout.

Layout: one sheet; row 0 holds column titles with INFOODS tagnames (``Energía\\n<ENERC>``), row 1 the
units, data from row 2. Column 0 is the number inside the group, column 1 the group letter: the
official code is group + number (``A`` + ``3`` = ``A3``). Only raw foods (one-letter groups) are read;
prepared dishes (SE, SS) are left out. A blank cell is an unknown value (None), never zero.
A file of another layout is refused as a whole, naming what is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..domain.foods import FOOD_GROUPS, FoodRow, fold
from ..domain.nutrients import NUTRIENTS
from ..errors import InvalidInput, Problem
from ..i18n import _
from ..numbers import NUTRIENT, NumberRefused, Style, read_number

NUTRIENT_STYLE = Style(frozenset({",", "."}))  # a table of decimals: «1,250» is never one thousand

# The column of each nutrient: its tagname in the title and, where a tag repeats, the unit row.
_FOLATE_TITLES = ("acido folico", "folato")


# Names of the distributed table that read wrongly to a committee, and how they are shown instead. The
# table keeps the canned-fish trade word «grated» (flaked fish) glued to Spanish as «en grated»; the
# name is made plain Spanish and the trade word kept in brackets so a label can still be matched.
# Applied when the table is read (code and values untouched); add a line here for each name to clean.
NAME_FIXES = {
    "Pescado sardina, en grated (en conserva)": "Pescado sardina desmenuzado, en conserva («grated»)",
}


def clean_name(name: str) -> str:
    """The name as the committee reads it (see NAME_FIXES)."""
    return NAME_FIXES.get(name, name)


@dataclass(frozen=True)
class TableFile:
    sheet: str
    foods: list[FoodRow]
    skipped_prepared: int


def _tag(title: str) -> str | None:
    m = re.search(r"<\s*([A-Z0-9]+)\s*>", title or "")
    return m.group(1) if m else None


def _locate_columns(titles: list, units: list) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    missing: list[str] = []
    for nutrient in NUTRIENTS:
        found = None
        for i, title in enumerate(titles):
            title = str(title or "")
            tag = _tag(title)
            unit = str(units[i] or "").strip() if i < len(units) else ""
            if nutrient.key == "folate_ug" and (tag in ("FOL", "FOLAC", "FOLDFE") or fold(title).startswith(_FOLATE_TITLES)):
                found = i
                break
            if tag == nutrient.tagname:
                if nutrient.key == "energy_kcal" and unit.lower() != "kcal":
                    continue
                if nutrient.key == "protein_g" and fold(title).split("\n")[0].strip() not in ("proteinas totales", "proteinas", "proteina"):
                    continue
                found = i
                break
        if found is None:
            missing.append(_("falta la columna de {label_es} <{tagname}> ({unit})").format(label_es=nutrient.label_es, tagname=nutrient.tagname, unit=nutrient.unit))
        else:
            columns[nutrient.key] = found
    return columns, missing


def _number(value, where: str, problems: list[Problem], *, file: str = "", row: int | None = None,
            column: str | None = None, field: str | None = None) -> float | None:
    """A nutrient value per 100 g by the one parser (qaliwarma/numbers.py): finite, not negative."""
    if value is None:
        return None
    if not isinstance(value, bool | int | float):
        text = str(value).strip()
        if text.upper() in ("", "-", "NAN", "ND", "N.D."):
            return None
        if text.rstrip(",.;").lower() in ("tr", "trazas"):  # trace: present, too small to measure
            return 0.0
        value = text
    try:
        return float(read_number(value, NUTRIENT, NUTRIENT_STYLE))
    except NumberRefused as exc:
        problems.append(Problem(where, _("valor «{value}» no es un número válido: {why}").format(value=str(value)[:40], why=exc.why),
                                file=file or None, row=row, column=column, field=field))
        return None


def read_table(path: Path) -> TableFile:
    """Read and validate a whole table file; raise InvalidInput listing every problem."""
    path = Path(path)
    if not path.exists():
        raise InvalidInput(_("No existe el archivo {path}.").format(path=path))
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InvalidInput(
            _("El archivo {name} no es una hoja de cálculo .xlsx: la tabla de composición se importa desde el archivo Excel que distribuye el INS/CENAN.").format(name=path.name)
        )
    from openpyxl import load_workbook

    from .tabular import check_zip

    check_zip(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is a user's input problem
        raise InvalidInput(_("No se pudo leer {name} como hoja de cálculo: {exc}").format(name=path.name, exc=exc)) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        titles = list(next(rows, ()) or ())
        units = list(next(rows, ()) or ())
        first = [fold(str(t or "")) for t in titles[:3]]
        layout_problems: list[str] = []
        if len(first) < 3 or not first[0].startswith("codigo") or not first[1].startswith("grupo") or "nombre" not in first[2]:
            layout_problems.append(_("las tres primeras columnas deben ser CÓDIGO, GRUPO y NOMBRE DEL ALIMENTO"))
        columns, missing = _locate_columns(titles, units)
        layout_problems += missing
        if layout_problems:
            raise InvalidInput(
                _("{name} no tiene el formato de la Tabla Peruana de Composición de Alimentos; no se cambió nada.").format(name=path.name),
                [Problem(_("{name}, hoja «{title}», fila 1").format(name=path.name, title=sheet.title), p) for p in layout_problems],
            )
        problems: list[Problem] = []
        foods: list[FoodRow] = []
        seen: dict[str, int] = {}
        prepared = 0
        for index, row in enumerate(rows, start=3):
            if row is None or all(v is None for v in row[:3]):
                continue
            number, group, name = row[0], str(row[1] or "").strip().upper(), str(row[2] or "").strip()
            where = _("{name}, fila {index}").format(name=path.name, index=index)
            if group in ("SE", "SS") or len(group) > 1:
                prepared += 1
                continue
            if group not in FOOD_GROUPS:
                problems.append(Problem(where, _("grupo «{value}» desconocido (se esperan {join})").format(value=row[1], join=', '.join(FOOD_GROUPS))))
                continue
            try:
                code = f"{group}{int(number)}"
            except (TypeError, ValueError):
                problems.append(Problem(where, _("el código «{number}» no es un número").format(number=number)))
                continue
            if not name:
                problems.append(Problem(where, _("el alimento {code} no tiene nombre").format(code=code)))
                continue
            if code in seen:
                problems.append(Problem(where, _("el código {code} se repite (ya está en la fila {value})").format(code=code, value=seen[code])))
                continue
            seen[code] = index
            values = {
                key: _number(row[col] if col < len(row) else None, _("{where}, columna {value}").format(where=where, value=col + 1), problems,
                             file=path.name, row=index, column=str(col + 1), field=key)
                for key, col in columns.items()
            }
            foods.append(FoodRow(code=code, name=clean_name(name), group_code=group, values=values))
        if problems:
            raise InvalidInput(_("{name} tiene errores; no se cambió nada.").format(name=path.name), problems)
        if not foods:
            raise InvalidInput(_("{name} no contiene alimentos; no se cambió nada.").format(name=path.name))
        return TableFile(sheet=sheet.title, foods=foods, skipped_prepared=prepared)
    finally:
        workbook.close()
