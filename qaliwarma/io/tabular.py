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
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..domain.foods import fold
from ..errors import InvalidInput, Problem


@dataclass(frozen=True)
class Row:
    number: int  # as the user sees it in the spreadsheet (header = 1)
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()


def header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(str(text or ""))).strip("_")


def _decode(raw: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(f"No se puede leer {name}: guárdelo como CSV UTF-8 o como Excel .xlsx.")


def _csv_rows(path: Path) -> list[list[str]]:
    text = _decode(path.read_bytes(), path.name)
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ("\t" if first.count("\t") > first.count(",") else ",")
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_rows(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - an unreadable file is the user's input problem
        raise InvalidInput(f"No se puede leer {path.name} como hoja de cálculo: {exc}") from exc
    try:
        rows = []
        for raw in wb.worksheets[0].iter_rows(values_only=True):
            rows.append(["" if v is None else (v.strftime("%Y-%m-%d") if isinstance(v, datetime | date) else
                                               (format(v, "f") if isinstance(v, Decimal) else str(v)))
                         for v in raw])
        return rows
    finally:
        wb.close()


def read_rows(path: Path, required: list[str], optional: list[str] | None = None) -> list[Row]:
    """The data rows of a CSV/XLSX file, keyed by normalised header. Refuses (naming them) a file
    that is missing, of another type, empty, or lacking required columns."""
    path = Path(path)
    if not path.exists():
        raise InvalidInput(f"No existe el archivo {path}.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        table = _xlsx_rows(path)
    elif suffix in (".csv", ".txt", ".tsv"):
        table = _csv_rows(path)
    else:
        raise InvalidInput(f"{path.name}: use un archivo .csv o .xlsx.")
    table = [r for r in table if any(str(c).strip() for c in r)]
    if not table:
        raise InvalidInput(f"{path.name} está vacío.")
    headers = [header_key(h) for h in table[0]]
    missing = [c for c in required if c not in headers]
    if missing:
        raise InvalidInput(
            f"{path.name}: faltan columnas en la primera fila; no se importó nada.",
            [Problem("fila 1", f"falta la columna «{c}»") for c in missing]
            + [Problem("fila 1", f"se esperan: {', '.join(required + (optional or []))}")],
        )
    rows = []
    for n, raw in enumerate(table[1:], start=2):
        values = {h: (str(raw[i]).strip() if i < len(raw) else "") for i, h in enumerate(headers) if h}
        rows.append(Row(n, values))
    return rows


def parse_date(text: str) -> date | None:
    """dd/mm/yyyy, dd-mm-yyyy or yyyy-mm-dd; None when it is not a valid date."""
    text = text.strip().split(" ")[0]
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_decimal(text: str) -> Decimal | None:
    """A number with decimal comma or point ("1,5", "1.5", "1,234.50", "1.234,50")."""
    t = text.strip().replace(" ", "")
    if not t:
        return None
    if "," in t and "." in t:
        t = t.replace(".", "").replace(",", ".") if t.rfind(",") > t.rfind(".") else t.replace(",", "")
    elif "," in t:
        t = t.replace(",", ".")
    try:
        value = Decimal(t)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
