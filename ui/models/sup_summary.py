"""Supervisión: the per-school, per-month summary and the outcome of each imported package, as
table models; and the summary's loading on the worker (rows plus each alert in plain Spanish)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from qaliwarma.domain.flags import word
from qaliwarma.domain.foods import fold
from qaliwarma.services.supervision import ImportResult, SummaryRow
from qaliwarma.services.supervision import flag_label as supervision_flag_label

from ..i18n import _
from ..theme import ERROR_COLOR, MUTED_COLOR, OK_COLOR
from .base import Column, RowsModel

ALERT_BG = "#fde7e5"
REPLACED_COLOR = "#8a5a00"
STATUS_LABELS = {"importado": "importado", "sin_cambios": "sin cambios", "reemplazado": "REEMPLAZADO",
                 "restablecido": "restablecido", "rechazado": "RECHAZADO"}


from qaliwarma.vocab import SHORT_MONTHS  # noqa: E402,F401  (one vocabulary)
from qaliwarma.vocab import short_period_label as table_month  # noqa: E402


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:,.0f} %"


def _none_last(value):
    return (value is None, value or 0)


def soles(amount) -> str:
    from qaliwarma.money import format_soles

    return format_soles(amount)


def flag_label(kind: str) -> str:
    return _(supervision_flag_label(kind))


@dataclass(frozen=True)
class SummaryData:
    rows: list[SummaryRow]
    plain: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (code, month) → each alert's detail

    def alerts(self, row: SummaryRow) -> list[tuple[str, str]]:
        """(label, detail in plain words) of each alert of ``row``."""
        texts = self.plain.get((row.codigo_modular, row.month))
        details = texts if texts and len(texts) == len(row.flags) else [word(f) for f in row.flags]
        return [(flag_label(f.code), text) for f, text in zip(row.flags, details, strict=True)]


def load_summary(db) -> SummaryData:
    """On the worker: every school × month of the supervisor database, alerts worded as in the report."""
    from qaliwarma.services import supervision

    rows = supervision.summary(db)
    plain: dict[tuple[str, str], list[str]] = {}
    if any(r.flags for r in rows):
        from qaliwarma.services.catalog import food_names

        try:
            names = food_names(db)
        except Exception:  # noqa: BLE001 - a supervisor database without the food table: codes only
            names = {}
        for r in rows:
            plain[(r.codigo_modular, r.month)] = [word(f, names, limit=6) for f in r.flags]
    return SummaryData(rows, plain)


def school_cell(row: SummaryRow) -> str:
    """The school's name, and below it its código modular and UGEL (one column: room on a small screen)."""
    return f"{row.school_name}\n{row.codigo_modular} · {row.ugel}" if row.ugel else f"{row.school_name}\n{row.codigo_modular}"


class SummaryModel(RowsModel[SummaryRow]):
    columns = (
        Column(_("Alertas"), lambda r: str(len(r.flags)), align_right=True, sort_key=lambda r: len(r.flags)),
        Column(_("Institución\n(código, UGEL)"), school_cell, sort_key=lambda r: fold(r.school_name)),
        Column(_("Mes"), lambda r: table_month(r.month), sort_key=lambda r: r.month),
        Column(_("Raciones /\nmatrícula"), lambda r: percent(r.rations_vs_enrolment), align_right=True,
               sort_key=lambda r: _none_last(r.rations_vs_enrolment)),
        Column(_("Cumple\nla norma"), lambda r: percent(r.compliance_rate), align_right=True,
               sort_key=lambda r: _none_last(r.compliance_rate)),
        Column(_("Lotes por\nvencer"), lambda r: f"{r.lots_near_expiry:,}", align_right=True,
               sort_key=lambda r: r.lots_near_expiry),
        Column(_("Incidencias"), lambda r: f"{r.incidents:,}", align_right=True, sort_key=lambda r: r.incidents),
        Column(_("Saldo de\ntesorería"), lambda r: soles(r.treasury_balance), align_right=True,
               sort_key=lambda r: r.treasury_balance),
        Column(_("Reemplazos"), lambda r: f"{r.replacements:,}", align_right=True, sort_key=lambda r: r.replacements),
    )
    ALERTS, SCHOOL, MONTH, RATIO, COMPLIANCE, EXPIRY, INCIDENTS, BALANCE, REPLACEMENTS = range(9)
    HEADER_TIPS = {
        ALERTS: _("Cuántas alertas tiene el mes de la escuela: primero van las que necesitan una visita."),
        RATIO: _("Raciones servidas por comida, en promedio, frente a los niños matriculados."),
        COMPLIANCE: _("Cumplimiento nutricional: parte del menú del mes que cumple la norma del programa."),
        EXPIRY: _("Lotes de alimentos que vencen en los 30 días siguientes al fin de mes."),
        BALANCE: _("Dinero que el comité debería tener: todo lo recibido menos todo lo gastado."),
        REPLACEMENTS: _("Cuántas veces el comité volvió a enviar el paquete de ese mes."),
    }

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            tip = self.HEADER_TIPS.get(section)
            return _(tip) if tip else None
        return super().headerData(section, orientation, role)

    def extra_data(self, row: SummaryRow, column: int, role: int):
        if role == Qt.ItemDataRole.ToolTipRole:
            if not row.flags:
                return _("Sin alertas")
            return "\n".join(f"⚠ {flag_label(k)}" for k in dict.fromkeys(f.code for f in row.flags))
        if column == self.ALERTS and row.flags:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(ALERT_BG))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(ERROR_COLOR))
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.RATIO and (row.rations_vs_enrolment or 0) > 1:
                return QBrush(QColor(ERROR_COLOR))
            if column == self.BALANCE and row.treasury_balance < 0:
                return QBrush(QColor(ERROR_COLOR))
            if column == self.REPLACEMENTS and row.replacements:
                return QBrush(QColor(REPLACED_COLOR))
        return None


def reason(result: ImportResult) -> str:
    """What is wrong (the result names its file apart; the file has its own column)."""
    return result.message


class ImportResultModel(RowsModel[ImportResult]):
    columns = (
        Column(_("Archivo"), lambda r: Path(r.path).name),
        Column(_("Resultado"), lambda r: _(STATUS_LABELS.get(r.status, r.status))),
        Column(_("Escuela"), lambda r: r.codigo_modular or "—"),
        Column(_("Mes"), lambda r: table_month(r.month) if r.month else "—", sort_key=lambda r: r.month),
        Column(_("Detalle"), reason),
    )
    COLOURS = {"rechazado": ERROR_COLOR, "reemplazado": REPLACED_COLOR, "restablecido": REPLACED_COLOR,
               "importado": OK_COLOR, "sin_cambios": MUTED_COLOR}

    def extra_data(self, row: ImportResult, column: int, role: int):
        if role == Qt.ItemDataRole.ForegroundRole and column in (1, 4):
            return QBrush(QColor(self.COLOURS.get(row.status, "black")))
        if role == Qt.ItemDataRole.FontRole and column == 1 and row.status in ("rechazado", "reemplazado"):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.path}\n{row.message}"
        return None

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUS_LABELS, 0)
        for r in self._rows:
            out[r.status] = out.get(r.status, 0) + 1
        return out
