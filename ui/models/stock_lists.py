"""Lists of records: past receptions, the days of a month with their rations record, incidents."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from qaliwarma.domain.stock import INCIDENT_TYPES
from qaliwarma.services.store_views import MonthDay, ReceptionSummary

from ..i18n import _
from .base import Column, RowsModel
from .stock_format import WEEKDAYS, fmt_date, fmt_kg, fmt_number

CONFORMITY_LABELS = {"conforme": "Conforme", "parcial": "Parcial", "rechazado": "Rechazado"}
MISSING_BG = "#ffe4a0"
DONE_FG = "#1b6e20"
MUTED_FG = "#6b6b6b"


class ReceptionListModel(RowsModel[ReceptionSummary]):
    columns = (
        Column(_("Fecha"), lambda r: fmt_date(r.day), sort_key=lambda r: (r.day, r.seq)),
        Column(_("Acta"), lambda r: r.acta + (_(" (ANULADA)") if r.voided else "")),
        Column(_("Proveedor"), lambda r: r.supplier),
        Column(_("Conformidad"), lambda r: _(CONFORMITY_LABELS.get(r.conformity, r.conformity))),
        Column(_("Productos"), lambda r: fmt_number(r.lines, 0), align_right=True, sort_key=lambda r: r.lines),
        Column(_("Ingresó"), lambda r: fmt_kg(r.accepted_grams), align_right=True,
               sort_key=lambda r: r.accepted_grams),
        Column(_("Rechazado"), lambda r: fmt_kg(r.rejected_grams) if r.rejected_grams else "—", align_right=True,
               sort_key=lambda r: r.rejected_grams),
    )

    def extra_data(self, row: ReceptionSummary, column: int, role: int):
        if role == Qt.ItemDataRole.ForegroundRole and row.voided:
            return QBrush(QColor(MUTED_FG))
        if role == Qt.ItemDataRole.ToolTipRole and row.voided:
            return _("Esta acta fue anulada: lo que ingresó se descontó del almacén.")
        return None


class MonthDaysModel(RowsModel[MonthDay]):
    """The month's days: school days with or without their record, and days served without classes."""

    today: date = date.today()

    def status(self, row: MonthDay) -> str:
        if not row.school_day:
            return _("Sin clases ({why}), con registro").format(why=row.why_not) if row.recorded else row.why_not
        if row.recorded >= row.expected:
            return _("✓ Registrado")
        if row.recorded:
            return _("Incompleto: {n} de {m}").format(n=row.recorded, m=row.expected)
        if row.day >= self.today:
            return _("Por registrar") if row.day == self.today else _("Todavía no")
        return _("Sin registro")

    def missing(self, row: MonthDay) -> bool:
        return row.school_day and row.recorded < row.expected and row.day < self.today

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.columns = (
            Column(_("Fecha"), lambda d: fmt_date(d.day), sort_key=lambda d: d.day),
            Column(_("Día"), lambda d: _(WEEKDAYS[d.day.weekday()]).capitalize()),
            Column(_("Registro de raciones"), self.status),
            Column(_("Raciones"), lambda d: fmt_number(d.rations, 0) if d.rations else "—", align_right=True,
                   sort_key=lambda d: d.rations),
        )

    def extra_data(self, row: MonthDay, column: int, role: int):
        if role == Qt.ItemDataRole.BackgroundRole and self.missing(row):
            return QBrush(QColor(MISSING_BG))
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.school_day and row.recorded >= row.expected:
                return QBrush(QColor(DONE_FG))
            if not row.school_day or row.day > self.today:
                return QBrush(QColor(MUTED_FG))
        return None


class IncidentListModel(RowsModel):
    """Rows are qaliwarma.services.incidents.IncidentRecord."""

    columns = (
        Column(_("Fecha"), lambda r: fmt_date(r.incident.day), sort_key=lambda r: (r.incident.day, r.seq)),
        Column(_("Tipo"), lambda r: _(INCIDENT_TYPES.get(r.incident.kind, r.incident.kind))),
        Column(_("Qué pasó"), lambda r: r.incident.description),
        Column(_("Niños"), lambda r: fmt_number(r.incident.children_affected, 0) if r.incident.children_affected
               else "—", align_right=True, sort_key=lambda r: r.incident.children_affected),
        Column(_("Puesto de salud"), lambda r: _("Sí") if r.incident.referred_to_health_post else _("No")),
        Column(_("Reporte al programa"), lambda r: r.incident.programme_reference
               if r.incident.reported_to_programme else _("Falta reportar")),
    )

    def extra_data(self, row, column: int, role: int):
        if role == Qt.ItemDataRole.BackgroundRole and column == 5 and not row.incident.reported_to_programme:
            return QBrush(QColor(MISSING_BG))
        if role == Qt.ItemDataRole.FontRole and column == 5 and not row.incident.reported_to_programme:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [row.incident.description]
            if row.incident.lot:
                parts.append(_("Lote: {lot}").format(lot=row.incident.lot))
            if row.incident.notes:
                parts.append(_("Notas: {notes}").format(notes=row.incident.notes))
            parts.append(_("Registró: {user}").format(user=row.user))
            return "\n".join(parts)
        return None
