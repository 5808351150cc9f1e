"""What happened to each package of the last import: importado, sin cambios, REEMPLAZADO (it replaces
an older package of the same school and month) or RECHAZADO with the reason."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from ..i18n import _
from ..models.base import RowsProxy
from ..models.sup_summary import ImportResultModel
from ..theme import ERROR_COLOR, set_role
from .table import DataTable


class ImportResults(QFrame):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        set_role(self, "card")
        self.title = QLabel(_("Resultado de la importación"))
        self.title.setStyleSheet("font-weight: bold;")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.advice = QLabel()
        self.advice.setWordWrap(True)
        self.hide_button = QPushButton(_("Ver la escuela elegida"))
        self.model = ImportResultModel(self)
        self.proxy = RowsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = DataTable(stretch_column=4, wrap=True)
        self.table.setModel(self.proxy)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.summary, 1)
        top.addWidget(self.hide_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 10)
        layout.addLayout(top)
        layout.addWidget(self.advice)
        layout.addWidget(self.table, 1)

    def show_results(self, results) -> None:
        """Refused packages first (they need the user), then replaced ones, then the rest in order."""
        order = {"rechazado": 0, "reemplazado": 1, "restablecido": 2, "importado": 3, "sin_cambios": 4}
        self.model.set_rows(sorted(results, key=lambda r: order.get(r.status, 4)))
        counts = self.model.counts()
        parts = []
        for status, one, many in (("importado", _("importado"), _("importados")),
                                  ("reemplazado", _("REEMPLAZADO"), _("REEMPLAZADOS")),
                                  ("restablecido", _("restablecido"), _("restablecidos")),
                                  ("sin_cambios", _("sin cambios"), _("sin cambios")),
                                  ("rechazado", _("RECHAZADO"), _("RECHAZADOS"))):
            if counts.get(status):
                parts.append(f"{counts[status]} {one if counts[status] == 1 else many}")
        self.summary.setText(", ".join(parts))
        self.summary.setStyleSheet(f"color: {ERROR_COLOR}; font-weight: bold;" if counts.get("rechazado") else "")
        advice = []
        if counts.get("rechazado"):
            advice.append(_("Lo RECHAZADO no se cargó: pida a ese comité que vuelva a exportar el mes desde su "
                            "programa y se lo envíe de nuevo."))
        if counts.get("reemplazado"):
            advice.append(_("REEMPLAZADO: el comité volvió a enviar ese mes; la tabla ya muestra el paquete nuevo y "
                            "cuenta el reemplazo."))
        if counts.get("restablecido"):
            advice.append(_("Restablecido: el paquete vuelve a ser el de su mes; el que lo había reemplazado con el "
                            "mismo diario y otros archivos queda rechazado."))
        self.advice.setText(" ".join(advice))
        self.advice.setVisible(bool(advice))

    def statuses(self) -> dict[str, str]:
        """File name → the result shown for it."""
        from pathlib import Path

        return {Path(r.path).name: r.status for r in self.model.rows()}
