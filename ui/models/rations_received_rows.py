"""Raciones modality: the month's ready rations received (listed per day and level) and their
reconciliation with what was served and left over. The loaders run on the worker; the models show rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from qaliwarma.domain.levels import LEVEL_LABELS
from qaliwarma.services.database import Database
from qaliwarma.services.rations_received import RationBalance, RationReception

from ..i18n import _
from .base import Column, RowsModel
from .stock_format import fmt_date, fmt_number
from .stock_lists import CONFORMITY_LABELS, MUTED_FG

ERROR_FG = "#b3261e"
ERROR_BG = "#fde7e5"


@dataclass(frozen=True)
class ReceivedRow:
    seq: int  # the journal entry (to void it)
    reception: RationReception


@dataclass(frozen=True)
class RationMonth:
    """The receptions of a month, and what the day form remembers (last product per level, last supplier)."""

    year: int
    month: int
    rows: list[ReceivedRow] = field(default_factory=list)
    last_product: dict[str, str] = field(default_factory=dict)
    last_supplier: str = ""


def month_bounds(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    end = (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
    return start, end


def load_ration_month(db: Database, committee_id: int, year: int, month: int) -> RationMonth:
    from qaliwarma.services import rations_received

    everything = rations_received.received(db, committee_id)
    start, end = month_bounds(year, month)
    last_product: dict[str, str] = {}
    last_supplier = ""
    for _seq, r in sorted(everything, key=lambda x: (x[1].day, x[0])):
        last_product[r.level] = r.product
        if r.supplier:
            last_supplier = r.supplier
    rows = [ReceivedRow(seq, r) for seq, r in everything if start <= r.day <= end]
    return RationMonth(year, month, rows, last_product, last_supplier)


def level_label(level: str) -> str:
    return _(LEVEL_LABELS.get(level, level))


class ReceivedListModel(RowsModel[ReceivedRow]):
    columns = (
        Column(_("Fecha"), lambda r: fmt_date(r.reception.day), sort_key=lambda r: (r.reception.day, r.seq)),
        Column(_("Nivel"), lambda r: level_label(r.reception.level)),
        Column(_("Qué llegó"), lambda r: r.reception.product),
        Column(_("Según la guía"), lambda r: fmt_number(r.reception.received, 0), align_right=True,
               sort_key=lambda r: r.reception.received),
        Column(_("Aceptadas"), lambda r: fmt_number(r.reception.accepted, 0), align_right=True,
               sort_key=lambda r: r.reception.accepted),
        Column(_("Conformidad"), lambda r: _(CONFORMITY_LABELS.get(r.reception.conformity, r.reception.conformity))),
        Column(_("Observación"), lambda r: r.reception.observation or "—"),
    )

    def extra_data(self, row: ReceivedRow, column: int, role: int):
        if role == Qt.ItemDataRole.ForegroundRole and column == 5 and row.reception.conformity != "conforme":
            return QBrush(QColor(ERROR_FG))
        if role == Qt.ItemDataRole.ForegroundRole and column == 6 and not row.reception.observation:
            return QBrush(QColor(MUTED_FG))
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [row.reception.product]
            if row.reception.supplier:
                parts.append(_("Proveedor: {name}").format(name=row.reception.supplier))
            if row.reception.observation:
                parts.append(_("Observación: {text}").format(text=row.reception.observation))
            return "\n".join(parts)
        return None


def difference_sentence(balance: RationBalance) -> str:
    """What a non-zero difference means, in plain words ("" when the rations add up)."""
    diff = balance.difference
    if diff == 0:
        return ""
    if diff > 0 and balance.served == 0 and balance.leftovers == 0:
        return (_("Falta registrar lo servido: 1 ración aceptada sin registro") if diff == 1 else
                _("Falta registrar lo servido: {n} raciones aceptadas sin registro").format(n=fmt_number(diff, 0)))
    if diff > 0:
        return (_("1 ración no se sirvió ni quedó como sobra") if diff == 1 else
                _("{n} raciones no se sirvieron ni quedaron como sobras").format(n=fmt_number(diff, 0)))
    extra = -diff
    return (_("Se anotó 1 ración más (servidas + sobras) de las que se aceptaron") if extra == 1 else
            _("Se anotaron {n} raciones más (servidas + sobras) de las que se aceptaron").format(
                n=fmt_number(extra, 0)))


class BalanceModel(RowsModel[RationBalance]):
    """Per day and level: rations accepted = served + left over? Rows that do not add up are red."""

    columns = (
        Column(_("Fecha"), lambda b: fmt_date(b.day), sort_key=lambda b: (b.day, b.level)),
        Column(_("Nivel"), lambda b: level_label(b.level)),
        Column(_("Aceptadas"), lambda b: fmt_number(b.accepted, 0), align_right=True, sort_key=lambda b: b.accepted),
        Column(_("Servidas"), lambda b: fmt_number(b.served, 0), align_right=True, sort_key=lambda b: b.served),
        Column(_("Sobras"), lambda b: fmt_number(b.leftovers, 0), align_right=True, sort_key=lambda b: b.leftovers),
        Column(_("Diferencia"), lambda b: fmt_number(b.difference, 0) if b.difference else "✓ 0", align_right=True,
               sort_key=lambda b: b.difference),
        Column(_("Qué revisar"), lambda b: difference_sentence(b) or _("Cuadra")),
    )

    def extra_data(self, row: RationBalance, column: int, role: int):
        if not row.difference:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(ERROR_FG))
        if role == Qt.ItemDataRole.BackgroundRole and column in (5, 6):
            return QBrush(QColor(ERROR_BG))
        if role == Qt.ItemDataRole.FontRole and column in (5, 6):
            font = QFont()
            font.setBold(True)
            return font
        return None
