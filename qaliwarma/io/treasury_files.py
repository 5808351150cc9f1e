"""Expense sheets (CSV or XLSX) as treasurers keep them: `fecha, rubro, tipo_documento,
numero_documento, ruc_dni, proveedor, detalle, monto` (+ optional pago, que, donde, origen, destino,
motivo). Every row is checked; one bad row and nothing is imported.

Without the optional columns (a sheet with only the contract's eight), ``detalle`` says what and why:
a declaración jurada's «Papa amarilla 50 kg en la feria de Acobamba» is what (que) and where (donde,
after the last « en », or after «;» / « — »); a planilla de movilidad's «Acobamba - Huancavelica:
recojo de alimentos» is origin, destination (split at « - », « a », «→») and reason (after «:»)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from ..domain.foods import fold
from ..domain.treasury import DOC_ALIASES, DOC_TYPES, Expense, Heading, check_expense
from ..errors import InvalidInput, Place, Problem, problem_at
from ..i18n import N_, _
from ..numbers import AMOUNT, NumberRefused, read_number
from .tabular import cell_date, cell_problem, read_rows, sheet_style

COLUMNS = ["fecha", "rubro", "tipo_documento", "numero_documento", "ruc_dni", "proveedor", "detalle", "monto"]
OPTIONAL = ["pago", "que", "donde", "origen", "destino", "motivo"]


def _doc_type(text: str) -> str:
    key = fold(text).replace("_", " ")
    if key.replace(" ", "_") in DOC_TYPES:
        return key.replace(" ", "_")
    return DOC_ALIASES.get(key, key)


_PLACE = re.compile(r"^(?P<que>.+?)\s*(?:;|\s—\s|\s\|\s)\s*(?P<donde>.+)$|^(?P<que2>.+)\s+en\s+(?P<donde2>.+)$")
_TRIP = re.compile(r"^(?:de\s+)?(?P<origen>.+?)\s*(?:→|->|\s-\s|\s–\s|\s—\s|\sa\s)\s*(?P<destino>.+?)\s*[:;,]\s*"
                   r"(?P<motivo>.+)$", re.IGNORECASE)


def _from_detail(doc_type: str, detail: str, extra: dict[str, str]) -> dict[str, str]:
    """The what/where (declaración jurada) or origin/destination/reason (planilla de movilidad) that
    ``detalle`` holds when the sheet has no column for them; columns present always win."""
    detail = detail.strip()
    if doc_type == "declaracion_jurada" and not ({"que", "donde"} & extra.keys()):
        m = _PLACE.match(detail)
        if m:
            return {"que": (m["que"] or m["que2"]).strip(), "donde": (m["donde"] or m["donde2"]).strip()}
        return {"que": detail} if detail else {}
    if doc_type == "planilla_movilidad" and not ({"origen", "destino", "motivo"} & extra.keys()):
        m = _TRIP.match(detail)
        if m:
            return {k: m[k].strip() for k in ("origen", "destino", "motivo")}
    return extra


_DETAIL_HINT = {
    "declaracion_jurada": (("que", "donde"), N_("una declaración jurada dice qué se compró y dónde: escríbalo en "
                           "detalle, p. ej. «Papa amarilla 50 kg en la feria de Acobamba» (o agregue las "
                           "columnas que y donde)")),
    "planilla_movilidad": (("origen", "destino", "motivo"), N_("una planilla de movilidad dice de dónde, a dónde y "
                           "para qué: escríbalo en detalle, p. ej. «Acobamba - Huancavelica: recojo de "
                           "alimentos» (o agregue las columnas origen, destino y motivo)")),
}


def read_expenses(path, headings: list[Heading]) -> tuple[list[Expense], list[str]]:
    rows = read_rows(path, COLUMNS, OPTIONAL)
    by_name = {fold(h.code): h.code for h in headings} | {fold(h.name): h.code for h in headings}
    name = getattr(path, "name", str(path))
    problems: list[Problem] = []
    expenses, where = [], []
    style = sheet_style(rows, ["monto"])
    codes = {h.code for h in headings}
    for row in rows:
        place = Place(_("{name}: fila {number}").format(name=name, number=row.number), file=name, row=row.number)
        for column in sorted(row.formulas):
            problems.append(cell_problem(name, row.number, column, _("contiene una fórmula; escriba el valor"), column))
        day = cell_date(name, row, "fecha", problems) if "fecha" not in row.formulas else None
        amount = None
        try:
            if "monto" not in row.formulas:
                amount = read_number(row.get("monto").replace("S/.", "").replace("S/", ""), AMOUNT, style)
        except NumberRefused as exc:
            problems.append(cell_problem(name, row.number, "monto",
                                         _("«{value}» no es un monto (p. ej. 125.50): {why}").format(value=row.get('monto')[:40], why=exc.why),
                                         "monto"))
        heading = by_name.get(fold(row.get("rubro")), row.get("rubro") or _("(vacío)"))
        party = row.get("ruc_dni").replace(" ", "")
        if party.endswith(".0"):  # a number typed in Excel
            party = party[:-2]
        extra = {k: row.get(k) for k in ("que", "donde", "origen", "destino", "motivo") if row.get(k)}
        extra = _from_detail(_doc_type(row.get("tipo_documento")), row.get("detalle"), extra) or extra
        expense = Expense(day or date.today(), heading, _doc_type(row.get("tipo_documento")),
                          row.get("numero_documento"), party, row.get("proveedor"), row.get("detalle"),
                          amount if amount is not None else Decimal("0.01"), (row.get("pago") or "efectivo").lower(),
                          extra)
        hint = _DETAIL_HINT.get(expense.doc_type)
        if hint and not all(expense.extra.get(k) for k in hint[0]) and not any(row.get(k) for k in hint[0]):
            problems.append(problem_at(place, "detalle", _(hint[1])))
            refused = True
        else:
            refused = False
        # every mistake of every row at once, so one pass fixes all (a cell with a formula is named above)
        found = [problem_at(place, f, m) for f, m in check_expense(expense, codes).items()
                 if not (amount is None and f == "monto") and f not in row.formulas]
        if refused or day is None or amount is None or found or row.formulas:
            problems += found
            continue
        expenses.append(expense)
        where.append(place)
    if problems:
        raise InvalidInput(_("{name} tiene errores; no se importó nada.").format(name=name), problems)
    if not expenses:
        raise InvalidInput(_("{name} no tiene gastos.").format(name=name))
    return expenses, where
