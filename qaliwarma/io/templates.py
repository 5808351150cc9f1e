"""Import templates: an XLSX for each sheet the application imports (acta, raciones servidas, gastos,
plan de menú) with the column headers, one example row the importer accepts, and a second sheet
«Explicación» that says what goes in each column. The formats are described in docs/import-formats.md.

    qaliwarma template gastos plantilla-gastos.xlsx
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..i18n import _
from .stock_files import ACTA_COLUMNS, ACTA_OPTIONAL, ISSUE_OPTIONAL, SERVICE_COLUMNS, SERVICE_OPTIONAL
from .treasury_files import COLUMNS as EXPENSE_COLUMNS
from .treasury_files import OPTIONAL as EXPENSE_OPTIONAL

PLAN_COLUMNS = ["fecha", "comida", "nivel", "preparacion"]


@dataclass(frozen=True)
class Template:
    title: str
    columns: list[str]
    optional: list[str]
    example: dict[str, object]
    explain: dict[str, str]


TEMPLATES: dict[str, Template] = {
    "acta": Template(
        "Acta de entrega de productos (una fila por producto; las filas con el mismo acta son una entrega)",
        ACTA_COLUMNS, ACTA_OPTIONAL,
        {"fecha": "02/03/2026", "acta": "AER-2026-000731", "proveedor_ruc": "20604512370",
         "proveedor": "Distribuidora Andina SAC", "producto": "G5", "marca": "Vaquita Andina",
         "presentacion": "400 g", "unidad": "BOLSA", "cantidad": 20, "lote": "LP-2609-11",
         "fecha_produccion": "10/09/2025", "fecha_vencimiento": "10/12/2026", "registro_sanitario": "A1234567N",
         "estado_envase": "bueno", "conformidad": "conforme", "observacion": "",
         "cantidad_aceptada": "", "vehiculo_limpio": "sí", "personal_protegido": "sí", "almacen_listo": "sí",
         "hora_llegada": "08:40", "guia_remision": "EG01-000512"},
        {"fecha": "día de la entrega (dd/mm/aaaa)", "acta": "número del acta de entrega del proveedor",
         "proveedor_ruc": "RUC del proveedor (11 dígitos)", "proveedor": "nombre o razón social del proveedor",
         "producto": "código de la tabla de alimentos (p. ej. G5) o nombre del producto",
         "marca": "marca del envase", "presentacion": "contenido de cada unidad: 400 g, 1 kg, 946 ml…",
         "unidad": "BOLSA, LATA, CAJA, SACO, UNIDAD…", "cantidad": "unidades que trajo el proveedor",
         "lote": "lote impreso en el envase", "fecha_produccion": "dd/mm/aaaa (puede ir vacía)",
         "fecha_vencimiento": "dd/mm/aaaa", "registro_sanitario": "registro sanitario del envase",
         "estado_envase": "bueno o dañado", "conformidad": "conforme, parcial o rechazado",
         "observacion": "lo que se anotó en el acta (puede ir vacía)",
         "cantidad_aceptada": "(opcional) en una recepción parcial, cuántas unidades se aceptan",
         "vehiculo_limpio": "(opcional) sí o no", "personal_protegido": "(opcional) sí o no",
         "almacen_listo": "(opcional) sí o no",
         "hora_llegada": "(opcional) hora en que llegó el proveedor, 08:40",
         "guia_remision": "(opcional) número de la guía de remisión del proveedor"}),
    "raciones": Template(
        "Raciones servidas (una fila por día, comida y nivel)",
        SERVICE_COLUMNS, SERVICE_OPTIONAL + ISSUE_OPTIONAL,
        {"fecha": "02/03/2026", "comida": "desayuno", "nivel": "primaria",
         "preparacion": "sierra-avena-kiwicha-pan-sangrecita", "raciones_servidas": 131, "asistentes": 135,
         "sobras": "", "origen_fuera": "aporte de padres", "producto": "", "lote": "", "cantidad": "", "unidad": "",
         "motivo": ""},
        {"fecha": "día de clases (dd/mm/aaaa)", "comida": "desayuno o almuerzo", "nivel": "inicial o primaria",
         "preparacion": "identificador de la preparación del recetario (como en «Alimentos y recetas»)",
         "raciones_servidas": "raciones que se sirvieron", "asistentes": "niños que asistieron",
         "sobras": "(opcional, modalidad raciones) raciones que sobraron",
         "origen_fuera": "(opcional) de dónde vino lo que la preparación lleva y nunca entró al almacén: aporte "
                         "de padres, compra con dinero del comité, donación…; sin él, esa fila se rechaza",
         "producto": "(opcional) lo que salió del almacén para esa comida: código (p. ej. D9) o nombre del "
                     "producto; un producto por fila (una fila con solo fecha, comida y estas columnas lleva "
                     "otro producto). Reemplaza lo propuesto por la dosificación",
         "lote": "(opcional) lote impreso en el envase; vacío: el que vence primero",
         "cantidad": "(opcional) cuánto salió del almacén, mayor que 0",
         "unidad": "(opcional) kg (si va vacía), g, L, ml…",
         "motivo": "(opcional) nota para el kárdex"}),
    "gastos": Template(
        "Gastos del mes (una fila por comprobante)",
        EXPENSE_COLUMNS, EXPENSE_OPTIONAL,
        {"fecha": "16/11/2026", "rubro": "Alimentos", "tipo_documento": "declaración jurada",
         "numero_documento": "DJ-001", "ruc_dni": "41234567", "proveedor": "Juana Quispe",
         "detalle": "Papa amarilla 50 kg en la feria de Acobamba", "monto": 75.00,
         "pago": "", "que": "", "donde": "", "origen": "", "destino": "", "motivo": ""},
        {"fecha": "fecha del comprobante (dd/mm/aaaa)", "rubro": "rubro del gasto (como en «Tesorería»)",
         "tipo_documento": "boleta, factura, ticket, recibo, declaración jurada o planilla de movilidad",
         "numero_documento": "serie y número (p. ej. B001-000123) o el número de la declaración o planilla",
         "ruc_dni": "RUC de quien cobró (boleta, factura) o DNI (declaración jurada, recibo)",
         "proveedor": "nombre de quien cobró",
         "detalle": "qué se compró o pagó. Sin las columnas opcionales: en una declaración jurada, qué y "
                    "dónde («Papa 50 kg en la feria de Acobamba»); en una planilla de movilidad, de dónde, "
                    "a dónde y para qué («Acobamba - Huancavelica: recojo de alimentos»)",
         "monto": "importe en soles (p. ej. 125.50)", "pago": "(opcional) efectivo o banco",
         "que": "(opcional) declaración jurada: qué se compró", "donde": "(opcional) declaración jurada: dónde",
         "origen": "(opcional) planilla de movilidad: de dónde", "destino": "(opcional) planilla: a dónde",
         "motivo": "(opcional) planilla: para qué"}),
    "plan": Template(
        "Plan de menú (una fila por día, comida y nivel)",
        PLAN_COLUMNS, [],
        {"fecha": "02/03/2026", "comida": "desayuno", "nivel": "primaria",
         "preparacion": "sierra-avena-kiwicha-pan-sangrecita"},
        {"fecha": "día (dd/mm/aaaa)", "comida": "desayuno o almuerzo",
         "nivel": "inicial, primaria o todos",
         "preparacion": "identificador de la preparación del recetario"}),
}


def write_template(kind: str, path: Path) -> Path:
    """Write the template ``kind`` (acta, raciones, gastos, plan) as XLSX at ``path``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from ..errors import InvalidInput

    if kind not in TEMPLATES:
        raise InvalidInput(_("«{kind}» no es una plantilla: use {join}.").format(kind=kind, join=', '.join(TEMPLATES)))
    t = TEMPLATES[kind]
    columns = t.columns + t.optional
    wb = Workbook()
    sheet = wb.active
    sheet.title = kind
    sheet.append(columns)
    sheet.append([t.example.get(c, "") for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for n, column in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(1, n).column_letter].width = max(12, len(column) + 4)
    notes = wb.create_sheet(_("Explicación"))
    notes.append([t.title])
    notes["A1"].font = Font(bold=True)
    notes.append(["Columna", _("Qué va"), "¿Obligatoria?"])
    for cell in notes[2]:
        cell.font = Font(bold=True)
    for column in columns:
        notes.append([column, t.explain.get(column, ""), "no" if column in t.optional else "sí"])
    notes.append([])
    notes.append([_("La fila 2 de la primera hoja es un ejemplo: reemplácela por sus datos. Una fila con un error "
                  "y no se importa nada; el mensaje dice la fila y la columna.")])
    notes.column_dimensions["A"].width = 22
    notes.column_dimensions["B"].width = 90
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
