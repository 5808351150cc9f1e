"""The problems found in an expense sheet, one row each: row of the sheet, column, what to correct."""

from __future__ import annotations

from dataclasses import dataclass

from qaliwarma.errors import Problem

from ..i18n import _
from .base import Column, RowsModel

COLUMN_LABELS = {"fecha": "fecha", "rubro": "rubro", "tipo_documento": "tipo de documento",
                 "numero_documento": "número de documento", "ruc_dni": "RUC o DNI", "proveedor": "proveedor",
                 "detalle": "detalle", "monto": "monto", "pago": "pago", "que": "qué", "donde": "dónde",
                 "origen": "origen", "destino": "destino", "motivo": "motivo"}


@dataclass(frozen=True)
class SheetProblem:
    row: int | None  # row of the sheet (1 = the headers); None when it concerns the whole file
    column: str
    what: str


def sheet_problems(problems: list[Problem]) -> list[SheetProblem]:
    """Each problem at its row and column (as the readers and services give them, as data), in the order of
    the sheet's rows."""
    rows = []
    for p in problems:
        what = p.what[:1].upper() + p.what[1:]
        rows.append(SheetProblem(p.row, COLUMN_LABELS.get(p.column, p.column) if p.column else "", what))
    return sorted(rows, key=lambda r: (r.row is not None, r.row or 0))


class ProblemTableModel(RowsModel[SheetProblem]):
    columns = (
        Column(_("Fila"), lambda p: str(p.row) if p.row is not None else _("archivo"), align_right=True,
               sort_key=lambda p: p.row or 0),
        Column(_("Columna"), lambda p: p.column),
        Column(_("Qué corregir"), lambda p: p.what),
    )
