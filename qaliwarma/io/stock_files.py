"""Delivery records (actas) and daily service records as CSV/XLSX files (CLI.md headers).

Every row is checked; a file with any bad row imports nothing and the message lists every bad row.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from ..domain.stock import KitchenIssueLine, Reception, ReceptionLine, ServiceInput
from ..errors import InvalidInput, Problem
from ..i18n import _
from ..numbers import COUNT, QUANTITY
from ..units import presentation as make_presentation
from .tabular import Row, cell_date, cell_number, read_rows, sheet_style

ACTA_COLUMNS = ["fecha", "acta", "proveedor_ruc", "proveedor", "producto", "marca", "presentacion", "unidad",
                "cantidad", "lote", "fecha_produccion", "fecha_vencimiento", "registro_sanitario", "estado_envase",
                "conformidad", "observacion"]
ACTA_OPTIONAL = ["cantidad_aceptada", "vehiculo_limpio", "personal_protegido", "almacen_listo", "hora_llegada",
                 "guia_remision"]
TIME = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")
SERVICE_COLUMNS = ["fecha", "comida", "nivel", "preparacion", "raciones_servidas", "asistentes"]
YES = {"si", "sí", "s", "1", "x", "true", "verdadero", ""}


def _yes(text: str) -> bool:
    return text.strip().lower() in YES


def read_receptions(path, resolve_code, densities: dict[str, str]) -> tuple[list[Reception], dict[int, list[str]]]:
    """Actas in a file (one or many, grouped by «acta»), with each line's place for messages."""
    rows = read_rows(path, ACTA_COLUMNS, ACTA_OPTIONAL)
    problems: list[Problem] = []
    groups: OrderedDict[str, dict] = OrderedDict()
    name = getattr(path, "name", str(path))
    style = sheet_style(rows, ["cantidad", "cantidad_aceptada", "presentacion"])
    for row in rows:
        where = _("{name}: fila {number}").format(name=name, number=row.number)
        day = cell_date(name, row, "fecha", problems)
        acta = row.get("acta")
        if not acta:
            problems.append(Problem(_("{where}, columna acta").format(where=where), _("falta el número de acta")))
            continue
        head = (day, row.get("proveedor_ruc"), row.get("proveedor"))
        group = groups.setdefault(acta, {"head": head, "lines": [], "where": [], "flags": row})
        arrival = row.get("hora_llegada").strip()
        if arrival and not TIME.match(arrival):
            problems.append(Problem(_("{where}, columna hora_llegada").format(where=where),
                                    _("«{arrival}» no es una hora: escríbala como 08:40 (de 00:00 a 23:59)").format(arrival=arrival),
                                    file=name, row=row.number, column="hora_llegada"))
        if day and group["head"] != head:
            problems.append(Problem(where, _("el acta {acta} tiene otra fecha o proveedor en otra fila").format(acta=acta)))
        code = resolve_code(row.get("producto"))
        if code is None:
            problems.append(Problem(_("{where}, columna producto").format(where=where),
                                    _("«{get}» no es un código ni un producto conocido").format(get=row.get('producto'))))
        quantity = cell_number(name, row, "cantidad", QUANTITY, style, problems)
        unit = row.get("unidad").upper() or "UNIDAD"
        net_grams = None
        try:
            density = densities.get(code or "")
            net_grams = make_presentation(unit, row.get("presentacion"), density).grams()
        except InvalidInput as exc:
            problems.append(Problem(_("{where}, columna presentacion").format(where=where), getattr(exc, "summary", exc.message)))
        conformity = row.get("conformidad").lower()
        accepted = None
        if conformity == "conforme":
            accepted = quantity
        elif conformity == "rechazado":
            accepted = Decimal(0)
        elif conformity == "parcial":
            if not row.get("cantidad_aceptada"):
                problems.append(Problem(_("{where}, columna cantidad_aceptada").format(where=where),
                                        _("en una recepción parcial indique cuántas unidades se aceptan"),
                                        file=name, row=row.number, column="cantidad_aceptada",
                                        field="cantidad"))
            else:
                accepted = cell_number(name, row, "cantidad_aceptada", QUANTITY, style, problems)
        else:
            problems.append(Problem(_("{where}, columna conformidad").format(where=where),
                                    _("«{get}»: use conforme, parcial o rechazado").format(get=row.get('conformidad'))))
        dates = {}
        for col in ("fecha_produccion", "fecha_vencimiento"):
            dates[col] = cell_date(name, row, col, problems, required=False)
        if code is None or quantity is None or net_grams is None or accepted is None:
            continue
        group["lines"].append(ReceptionLine(
            food_code=code, product_name=row.get("producto"), brand=row.get("marca"),
            presentation=f"{unit} {row.get('presentacion')}", unit=unit, net_grams_per_unit=net_grams,
            quantity=quantity, accepted_units=accepted, lot=row.get("lote"), production=dates["fecha_produccion"],
            expiry=dates["fecha_vencimiento"], sanitary_registration=row.get("registro_sanitario"),
            package_state=(row.get("estado_envase") or "bueno").lower(), conformity=conformity,
            observation=row.get("observacion")))
        group["where"].append(where)
    if problems:
        raise InvalidInput(_("{name} tiene errores; no se importó nada.").format(name=name), problems)
    receptions, where_map = [], {}
    for acta, g in groups.items():
        day, ruc, supplier = g["head"]
        flags = g["flags"]
        where_map[len(receptions)] = g["where"]
        arrival = TIME.match(flags.get("hora_llegada").strip())
        receptions.append(Reception(day, acta, ruc, supplier, tuple(g["lines"]),
                                    _yes(flags.get("vehiculo_limpio")), _yes(flags.get("personal_protegido")),
                                    _yes(flags.get("almacen_listo")),
                                    arrival_time=f"{int(arrival[1]):02d}:{arrival[2]}" if arrival else "",
                                    guide=flags.get("guia_remision").strip()))
    return receptions, where_map


SERVICE_OPTIONAL = ["sobras", "origen_fuera"]  # origen_fuera: where food never in the store came from
ISSUE_OPTIONAL = ["producto", "lote", "cantidad", "unidad", "motivo"]  # the day's issue from the store, per row
SERVICE_FIELDS = ("nivel", "preparacion", "raciones_servidas", "asistentes")


@dataclass(frozen=True)
class ServiceSheet:
    """A file of services read and checked: the services with their rows, and what left the store for the
    kitchen (salida de almacén) when the file has the issue columns (``producto, lote, cantidad, unidad``)."""

    items: list[ServiceInput]
    where: list[str]
    issues: list[KitchenIssueLine] = field(default_factory=list)


def read_services(path) -> tuple[list[ServiceInput], list[str]]:
    """The services of a file (``read_service_sheet`` also reads the optional issue columns)."""
    sheet = read_service_sheet(path)
    return sheet.items, sheet.where


def read_service_sheet(path, resolve_code=None, densities: dict[str, str] | None = None) -> ServiceSheet:
    """Services per day × meal × level; a row may also carry one line of what left the store for that day's
    meal (producto, lote, cantidad, unidad — the same rule as ``stock issue import``), and a row with only
    fecha, comida and those columns records only the issue. ``resolve_code`` turns «producto» into a food
    code (a code or a known name); without it a file with issue columns is refused."""
    rows = read_rows(path, SERVICE_COLUMNS, SERVICE_OPTIONAL + ISSUE_OPTIONAL)
    problems: list[Problem] = []
    items, where, issues = [], [], []
    name = getattr(path, "name", str(path))
    for row in rows:
        place = _("{name}: fila {number}").format(name=name, number=row.number)
        day = cell_date(name, row, "fecha", problems)
        meal = row.get("comida").lower()
        has_issue = bool(row.get("producto") or row.get("cantidad") or row.get("lote"))
        if has_issue:
            if resolve_code is None:
                problems.append(Problem(_("{place}, columna producto").format(place=place),
                                        _("esta lectura no registra salidas de almacén: use «qaliwarma serve import»")))
            else:
                line = issue_line(name, row, place, day, resolve_code, densities or {}, problems)
                if line is not None:
                    issues.append(line)
            if not any(row.get(c) for c in SERVICE_FIELDS):
                continue  # a row with only the day's issue
        numbers = {}
        for col in ("raciones_servidas", "asistentes", "sobras"):
            value = cell_number(name, row, col, COUNT, None, problems, default="0" if col == "sobras" else None,
                                label=_("no vale: se espera un número entero de 0 o más"))
            if value is not None:
                numbers[col] = int(value)
        level = row.get("nivel").lower()
        if day is None or len(numbers) < 3:
            continue
        items.append(ServiceInput(day, meal, level, row.get("preparacion"), numbers["raciones_servidas"],
                                  numbers["asistentes"], numbers["sobras"], outside_origin=row.get("origen_fuera")))
        where.append(place)
    if problems:
        raise InvalidInput(_("{name} tiene errores; no se importó nada.").format(name=name), problems)
    if not items and not issues:
        raise InvalidInput(_("{name} no tiene registros de servicio.").format(name=name))
    return ServiceSheet(items, where, issues)


RATION_COLUMNS = ["fecha", "nivel", "producto", "raciones_recibidas", "raciones_aceptadas", "conformidad"]


def read_ration_receptions(path):
    """Ready rations received per day and level (raciones modality)."""
    from ..domain.rations import RationReception

    rows = read_rows(path, RATION_COLUMNS, ["proveedor", "observacion", "comida"])
    name = getattr(path, "name", str(path))
    problems: list[Problem] = []
    items, where = [], []
    for row in rows:
        place = _("{name}: fila {number}").format(name=name, number=row.number)
        day = cell_date(name, row, "fecha", problems)
        counts = {}
        for col in ("raciones_recibidas", "raciones_aceptadas"):
            value = cell_number(name, row, col, COUNT, None, problems, label=_("no vale: se espera un número entero"))
            if value is not None:
                counts[col] = int(value)
        if day is None or len(counts) < 2:
            continue
        items.append(RationReception(day, row.get("nivel").lower(), row.get("producto"), counts["raciones_recibidas"],
                                     counts["raciones_aceptadas"], row.get("conformidad").lower(),
                                     row.get("proveedor"), row.get("observacion"),
                                     (row.get("comida") or "desayuno").lower()))
        where.append(place)
    if problems:
        raise InvalidInput(_("{name} tiene errores; no se importó nada.").format(name=name), problems)
    if not items:
        raise InvalidInput(_("{name} no tiene recepciones de raciones.").format(name=name))
    return items, where


ISSUE_COLUMNS = ["fecha", "comida", "producto", "lote", "cantidad", "unidad"]


def read_issues(path, resolve_code, densities: dict[str, str]):
    """What left the store for the kitchen (salida de almacén), one line per product and lot:
    ``fecha, comida, producto, lote, cantidad, unidad`` (the lot may be blank: oldest expiry first)."""
    rows = read_rows(path, ISSUE_COLUMNS, ["motivo"])
    name = getattr(path, "name", str(path))
    problems: list[Problem] = []
    items = []
    for row in rows:
        place = _("{name}: fila {number}").format(name=name, number=row.number)
        day = cell_date(name, row, "fecha", problems)
        line = issue_line(name, row, place, day, resolve_code, densities, problems)
        if line is not None:
            items.append(line)
    if problems:
        raise InvalidInput(_("{name} tiene errores; no se importó nada.").format(name=name), problems)
    if not items:
        raise InvalidInput(_("{name} no tiene salidas de almacén.").format(name=name))
    return items


def issue_line(name: str, row: Row, place: str, day, resolve_code, densities: dict[str, str],
               problems: list[Problem]):
    """One line of what left the store (comida, producto, lote, cantidad, unidad, motivo) of a row of
    ``stock issue import`` or of ``serve import``: the one rule for both. A mistake goes to ``problems``
    naming row and column; None then."""
    from ..units import UnitError, to_grams

    meal = row.get("comida").strip().lower()
    if meal not in ("desayuno", "almuerzo"):
        problems.append(Problem(_("{place}, columna comida").format(place=place), _("«{get}»: use desayuno o almuerzo").format(get=row.get('comida'))))
    code = resolve_code(row.get("producto")) if row.get("producto") else None
    if code is None:
        problems.append(Problem(_("{place}, columna producto").format(place=place),
                                _("«{get}» no es un código ni un producto conocido").format(get=row.get('producto'))
                                if row.get("producto") else _("falta el producto que salió del almacén")))
    amount = cell_number(name, row, "cantidad", QUANTITY, None, problems,
                         label=_("no vale: se espera una cantidad mayor que 0"))
    grams = None
    if amount is not None and code is not None:
        if amount <= 0:
            problems.append(Problem(_("{place}, columna cantidad").format(place=place), _("la cantidad debe ser mayor que 0")))
        else:
            try:
                grams = to_grams(amount, row.get("unidad") or "kg", food_code=code,
                                 density_kg_per_l=densities.get(code))
            except UnitError as exc:
                problems.append(Problem(_("{place}, columna unidad").format(place=place), getattr(exc, "message", str(exc))))
    if day is None or code is None or grams is None or meal not in ("desayuno", "almuerzo"):
        return None
    return KitchenIssueLine(day, meal, code, row.get("lote").strip(), grams, place, (row.get("motivo") or "").strip())
