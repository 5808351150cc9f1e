"""Expense sheets (CSV or XLSX) as treasurers keep them: `fecha, rubro, tipo_documento,
numero_documento, ruc_dni, proveedor, detalle, monto` (+ optional pago, que, donde, origen, destino,
motivo). Every row is checked; one bad row and nothing is imported."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..domain.foods import fold
from ..domain.treasury import DOC_ALIASES, DOC_TYPES, Expense, Heading, check_expense
from ..errors import InvalidInput, Problem
from ..numbers import AMOUNT, NumberRefused, read_number
from .tabular import cell_date, cell_problem, read_rows, sheet_style

COLUMNS = ["fecha", "rubro", "tipo_documento", "numero_documento", "ruc_dni", "proveedor", "detalle", "monto"]
OPTIONAL = ["pago", "que", "donde", "origen", "destino", "motivo"]


def _doc_type(text: str) -> str:
    key = fold(text).replace("_", " ")
    if key.replace(" ", "_") in DOC_TYPES:
        return key.replace(" ", "_")
    return DOC_ALIASES.get(key, key)


def read_expenses(path, headings: list[Heading]) -> tuple[list[Expense], list[str]]:
    rows = read_rows(path, COLUMNS, OPTIONAL)
    by_name = {fold(h.code): h.code for h in headings} | {fold(h.name): h.code for h in headings}
    name = getattr(path, "name", str(path))
    problems: list[Problem] = []
    expenses, where = [], []
    style = sheet_style(rows, ["monto"])
    for row in rows:
        place = f"{name}: fila {row.number}"
        day = cell_date(name, row, "fecha", problems)
        amount = None
        try:
            amount = read_number(row.get("monto").replace("S/.", "").replace("S/", ""), AMOUNT, style)
        except NumberRefused as exc:
            problems.append(cell_problem(name, row.number, "monto",
                                         f"«{row.get('monto')[:40]}» no es un monto (p. ej. 125.50): {exc.why}",
                                         "monto"))
        heading = by_name.get(fold(row.get("rubro")), row.get("rubro") or "(vacío)")
        party = row.get("ruc_dni").replace(" ", "")
        if party.endswith(".0"):  # a number typed in Excel
            party = party[:-2]
        extra = {k: row.get(k) for k in ("que", "donde", "origen", "destino", "motivo") if row.get(k)}
        expense = Expense(day or date.today(), heading, _doc_type(row.get("tipo_documento")),
                          row.get("numero_documento"), party, row.get("proveedor"), row.get("detalle"),
                          amount if amount is not None else Decimal("0.01"), (row.get("pago") or "efectivo").lower(),
                          extra)
        if day is None or amount is None:
            # the row is refused anyway: still name every other mistake it has, so one pass fixes all
            codes = {h.code for h in headings}
            problems += [Problem(f"{place}, columna {f}", m) for f, m in check_expense(expense, codes).items()
                         if not (amount is None and f == "monto")]
            continue
        expenses.append(expense)
        where.append(place)
    if problems:
        raise InvalidInput(f"{name} tiene errores; no se importó nada.", problems)
    if not expenses:
        raise InvalidInput(f"{name} no tiene gastos.")
    return expenses, where
