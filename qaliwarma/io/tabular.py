"""Files that committees fill by hand (CLI.md): CSV (comma or semicolon, UTF-8 or Latin-1) or XLSX
(first sheet), with the headers on the first row. Values are checked row by row by the caller, which
reports every bad row before anything is written.

The standard library's csv and openpyxl are used rather than pandas: the files are small, every
value must be validated with its row and column anyway, and pandas costs ~0.3 s to import.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from ..domain.foods import fold
from ..errors import InvalidInput, Problem
from ..i18n import _
from ..numbers import GRAMS, MAX_DATE, MIN_DATE, Limit, NumberRefused, Style, read_number


@dataclass(frozen=True)
class Row:
    number: int  # as the user sees it in the spreadsheet (header = 1)
    values: dict[str, str]
    formulas: frozenset[str] = frozenset()  # columns whose XLSX cell holds a formula with no saved value

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()


class _Formula(str):
    """An XLSX cell holding a formula with no saved value: read as empty, remembered as a formula."""


def header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(str(text or ""))).strip("_")


MAX_FILE_BYTES = 20 * 1024 * 1024  # a year of a school's records is well under 1 MB
MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_CELL = 2_000  # characters in one cell (an observation is a few lines at most)
MAX_ZIP_MEMBERS = 2_000
MAX_ZIP_BYTES = 200 * 1024 * 1024  # uncompressed, all members together
MAX_ZIP_RATIO = 200  # a member may not expand more than this (a zip bomb expands thousands of times)


def check_zip(path: Path, *, max_bytes: int = MAX_ZIP_BYTES, max_members: int = MAX_ZIP_MEMBERS,
              what: str = _("una hoja de cálculo .xlsx válida")) -> None:
    """Refuse a zip (an .xlsx is one) whose members are too many or expand too much, before reading
    any of them: the sizes are read from the zip's directory, not by decompressing."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InvalidInput(_("No se puede leer {name}: no es {what} (el archivo está dañado o es de otro tipo).").format(name=path.name, what=what)) from exc
    if len(infos) > max_members:
        raise InvalidInput(_("{name}: contiene {len} archivos internos (máximo {max_members}); no parece un archivo de la aplicación o de Excel.").format(name=path.name, len=len(infos), max_members=max_members))
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > max_bytes or (info.file_size > 1024 * 1024 and ratio > MAX_ZIP_RATIO):
            raise InvalidInput(_("{name}: su contenido descomprimido es demasiado grande («{filename}» ocupa {file_size:,} bytes); no se leyó.").format(name=path.name, filename=info.filename, file_size=info.file_size))


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # "Unicode text" from Excel: UTF-16 with its mark
        try:
            raw_text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InvalidInput(_("No se puede leer {name}: el texto UTF-16 está dañado. Guárdelo como CSV UTF-8 o como Excel .xlsx.").format(name=name)) from exc
        return raw_text
    if b"\x00" in raw:
        raise InvalidInput(_("No se puede leer {name}: es un archivo binario, no un texto CSV. Guárdelo como CSV UTF-8 o como Excel .xlsx.").format(name=name))
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(_("No se puede leer {name}: guárdelo como CSV UTF-8 o como Excel .xlsx.").format(name=name))


def _csv_rows(path: Path) -> list[list[str]]:
    text = _decode(path.read_bytes(), path.name)
    if "\x00" in text:
        raise InvalidInput(_("No se puede leer {name}: contiene caracteres nulos (es un archivo binario).").format(name=path.name))
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # Windows and old Mac line endings
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ("\t" if first.count("\t") > first.count(",") else ",")
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            if len(rows) > MAX_ROWS:
                raise InvalidInput(_("{name}: tiene más de {MAX_ROWS:,} filas; divídalo en archivos más pequeños.").format(name=path.name, MAX_ROWS=MAX_ROWS))
            rows.append(row[:MAX_COLUMNS + 1])
    except csv.Error as exc:
        raise InvalidInput(_("No se puede leer {name} como CSV (fila {value}): una celda es demasiado larga o las comillas están mal cerradas.").format(name=path.name, value=len(rows) + 1)) from exc
    return rows


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, datetime | date):
        return v.strftime("%Y-%m-%d") if 1 <= v.year else ""
    if isinstance(v, Decimal):
        return format(v, "f") if v.is_finite() and v.adjusted() < 16 else str(v)
    if isinstance(v, float):
        if v == v and abs(v) < 1e15:
            return format(Decimal(repr(v)), "f")
        return repr(v)  # refused by the number parser, never expanded
    if isinstance(v, int) and abs(v) >= 10**16:
        return repr(float(v))
    return str(v)


def _xlsx_rows(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    check_zip(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - an unreadable file is the user's input problem
        raise InvalidInput(_("No se puede leer {name} como hoja de cálculo: {name2}: {value}").format(name=path.name, name2=type(exc).__name__, value=str(exc)[:200])) from exc
    try:
        rows = []
        if not wb.worksheets:
            raise InvalidInput(_("{name} no tiene hojas.").format(name=path.name))
        for raw in wb.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS + 1):
            if len(rows) > MAX_ROWS:
                raise InvalidInput(_("{name}: tiene más de {MAX_ROWS:,} filas; divídalo en archivos más pequeños.").format(name=path.name, MAX_ROWS=MAX_ROWS))
            rows.append([_cell_text(v) for v in raw])
        _mark_formulas(path, rows)
        return rows
    except InvalidInput:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet inside a valid zip
        raise InvalidInput(_("No se puede leer {name} como hoja de cálculo: {name2}: {value}").format(name=path.name, name2=type(exc).__name__, value=str(exc)[:200])) from exc
    finally:
        wb.close()


def _mark_formulas(path: Path, rows: list[list[str]]) -> None:
    """Cells that hold a formula without a saved value (a sheet written by a program, not Excel) become
    ``_Formula("")``: the importer says «contiene una fórmula» instead of «está vacío»."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - the values were read; formulas are only a better message
        return
    try:
        for r, raw in enumerate(wb.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)):
            if r >= len(rows):
                break
            for c, v in enumerate(raw):
                if isinstance(v, str) and v.startswith("=") and c < len(rows[r]) and rows[r][c] == "":
                    rows[r][c] = _Formula("")
    except Exception:  # noqa: BLE001
        return
    finally:
        wb.close()


def read_rows(path: Path, required: list[str], optional: list[str] | None = None) -> list[Row]:
    """The data rows of a CSV/XLSX file, keyed by normalised header. Refuses (naming them) a file
    that is missing, of another type, empty, or lacking required columns."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(_("No existe el archivo {path}.").format(path=path))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InvalidInput(_("{name}: pesa más de {value} MB; no parece una planilla de la institución.").format(name=path.name, value=MAX_FILE_BYTES // (1024 * 1024)))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        table = _xlsx_rows(path)
    elif suffix in (".csv", ".txt", ".tsv"):
        table = _csv_rows(path)
    else:
        raise InvalidInput(_("{name}: use un archivo .csv o .xlsx.").format(name=path.name))
    table = [r for r in table if any(str(c).strip() or isinstance(c, _Formula) for c in r)]
    if not table:
        raise InvalidInput(_("{name} está vacío.").format(name=path.name))
    headers = [header_key(h) for h in table[0][:MAX_COLUMNS]]
    missing = [c for c in required if c not in headers]
    if missing:
        raise InvalidInput(
            _("{name}: faltan columnas en la primera fila; no se importó nada.").format(name=path.name),
            [Problem(_("fila 1"), _("falta la columna «{c}»").format(c=c)) for c in missing]
            + [Problem(_("fila 1"), _("se esperan: {join}").format(join=', '.join(required + (optional or []))))],
        )
    rows = []
    for n, raw in enumerate(table[1:], start=2):
        values = {h: (str(raw[i]).strip() if i < len(raw) else "") for i, h in enumerate(headers) if h}
        long = [h for h, v in values.items() if len(v) > MAX_CELL]
        if long:
            raise InvalidInput(
                _("{name}: fila {n}, columna {value}: la celda tiene más de {MAX_CELL:,} caracteres; no se importó nada.").format(name=path.name, n=n, value=long[0], MAX_CELL=MAX_CELL),
                [Problem(_("fila {n}, columna {h}").format(n=n, h=h), _("más de {MAX_CELL:,} caracteres").format(MAX_CELL=MAX_CELL), file=path.name, row=n,
                         column=h, field=h) for h in long])
        rows.append(Row(n, values, frozenset(h for i, h in enumerate(headers)
                                             if h and i < len(raw) and isinstance(raw[i], _Formula))))
    return rows


@lru_cache(maxsize=4096)  # a file repeats the same few hundred days on thousands of rows
def parse_date(text: str) -> date | None:
    """dd/mm/yyyy, dd-mm-yyyy or yyyy-mm-dd between 2000 and 2100; None when it is not such a date."""
    text = text.strip().split(" ")[0]
    if len(text) > 10:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%y"):
        try:
            day = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return day if MIN_DATE <= day <= MAX_DATE else None
    return None


def parse_decimal(text: str, limit: Limit = GRAMS, style: Style | None = None) -> Decimal | None:
    """A number read by the one parser (qaliwarma/numbers.py) within ``limit``; None when refused."""
    try:
        return read_number(text, limit, style)
    except NumberRefused:
        return None


def sheet_style(rows: list[Row], columns: list[str]) -> Style:
    """The decimal separator the sheet's numbers use (to resolve «1,250» or refuse it)."""
    return Style.of(r.get(c) for r in rows for c in columns)


def cell_problem(file: str, row: int, column: str, what: str, field: str | None = None) -> Problem:
    """A problem in one cell, as text («x.csv: fila 4, columna monto») and as data."""
    return Problem(_("{file}: fila {row}, columna {column}").format(file=file, row=row, column=column), what, file=file, row=row, column=column,
                   field=field or column)


def cell_number(file: str, row: Row, column: str, limit: Limit, style: Style, problems: list[Problem],
                *, default: str | None = None, label: str = _("no es un número válido")) -> Decimal | None:
    """The number in a cell within ``limit``; a refusal goes to ``problems`` naming file, row, column."""
    text = row.get(column) or (default or "")
    try:
        return read_number(text, limit, style)
    except NumberRefused as exc:
        problems.append(cell_problem(file, row.number, column, _("«{value}» {label}: {why}").format(value=text[:40], label=label, why=exc.why), limit.name))
        return None


def cell_date(file: str, row: Row, column: str, problems: list[Problem], *, required: bool = True) -> date | None:
    text = row.get(column)
    if not text and not required:
        return None
    day = parse_date(text)
    if day is None:
        problems.append(cell_problem(
            file, row.number, column,
            _("«{value}» no es una fecha (dd/mm/aaaa, entre {year} y {year2})").format(value=text[:40], year=MIN_DATE.year, year2=MAX_DATE.year), "fecha"))
    return day
