"""Raciones › «El mes» (raciones modality): per day and level, the rations accepted against those served
plus those left over. What does not add up is red, with a plain sentence of what to check."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from qaliwarma.services.rations_received import RationBalance

from ..i18n import _
from ..models.base import RowsProxy
from ..models.rations_received_rows import BalanceModel
from ..theme import set_role
from .table import DataTable


class RationBalanceView(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        title = QLabel(_("Raciones recibidas, servidas y sobras"))
        set_role(title, "heading")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = BalanceModel(self)
        self.proxy = RowsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = DataTable(stretch_column=6, wrap=True)
        self.table.setModel(self.proxy)
        self.table.setMinimumHeight(120)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def set_rows(self, rows: list[RationBalance]) -> None:
        self.model.set_rows(rows)
        wrong = [b for b in rows if b.difference]
        if not rows:
            text, role = _("Todavía no hay raciones recibidas este mes. Se registran en «Recepción», pestaña "
                           "«Raciones listas del día»."), "muted"
        elif not wrong:
            text, role = _("✓ Todas las raciones aceptadas se sirvieron o quedaron como sobras."), "ok"
        else:
            text = (_("En 1 día y nivel las cuentas no cuadran (en rojo).") if len(wrong) == 1 else
                    _("En {n} días y niveles las cuentas no cuadran (en rojo).").format(n=len(wrong)))
            text += " " + _("Revise lo servido y las sobras en «Registrar un día», o las raciones recibidas en "
                            "«Recepción».")
            role = "error"
        self.summary.setText(text)
        set_role(self.summary, role)
