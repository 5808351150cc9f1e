"""Search a lot the programme warns about: where it is, and which days, meals and levels ate it (recall)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from qaliwarma.services.store_views import RecallView, load_recall

from ..i18n import _
from ..models.stock_format import fmt_kg, fmt_number
from ..models.stock_store import LotModel, ServingModel
from ..theme import set_role
from .search_field import SearchField
from .stock_common import error_text
from .table import DataTable


class RecallPanel(QWidget):
    suspend_requested = Signal(object)  # LotInfo

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: RecallView | None = None
        hint = QLabel(_("Si el programa avisa que un lote tiene problemas, escriba su número: verá dónde está y qué "
                        "días, en qué comida y nivel, y a cuántos niños se sirvió."))
        hint.setWordWrap(True)
        set_role(hint, "hint")
        self.field = SearchField(_("Número de lote, por ejemplo LP-2609-11"), delay_ms=60000)
        self.field.settled.connect(self.search)
        search_button = QPushButton(_("Buscar"))
        set_role(search_button, "primary")
        search_button.clicked.connect(self.field.flush)
        row = QHBoxLayout()
        row.addWidget(self.field, 1)
        row.addWidget(search_button)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.lot_model = LotModel(self, with_product=True)
        self.lots = DataTable(stretch_column=0, fit=True)
        self.lots.setModel(self.lot_model)
        self.serving_model = ServingModel(self)
        self.servings = DataTable(stretch_column=3)
        self.servings.setModel(self.serving_model)
        self.suspend_button = QPushButton(_("Suspender este lote…"))
        self.suspend_button.clicked.connect(self._suspend)
        self.servings_heading = QLabel(_("Dónde se sirvió"))
        set_role(self.servings_heading, "heading")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.lots)
        layout.addWidget(self.suspend_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.servings_heading)
        layout.addWidget(self.servings, 1)
        self.show_view(None)

    def search(self, text: str) -> None:
        lot = text.strip()
        if not lot or self.ctx.committee is None:
            return
        db, cid = self.ctx.db, self.ctx.committee.id
        self.ctx.runner.run(lambda: load_recall(db, cid, lot), self.show_view, on_error=self._failed,
                            key="store.recall", owner=self)

    def search_again(self) -> None:
        if self.field.text().strip():
            self.search(self.field.text())

    def show_view(self, view: RecallView | None) -> None:
        self.view = view
        for widget in (self.lots, self.servings, self.servings_heading, self.suspend_button):
            widget.setVisible(view is not None)
        if view is None:
            self.summary.setText("")
            return
        self.lot_model.names = view.product_names
        self.lot_model.set_rows(list(view.recall.lots))
        self.serving_model.recipe_names = view.recipe_names
        self.serving_model.set_rows(list(view.recall.servings))
        held = sum((lot.balance_grams for lot in view.recall.lots), Decimal(0))
        text = _("Lote {lot}: quedan {kg} en el almacén.").format(lot=view.recall.lot, kg=fmt_kg(held))
        if view.recall.servings:
            text += " " + _("Se sirvió en {days} día(s): {rations} raciones en total.").format(
                days=view.days, rations=fmt_number(view.recall.children_served, 0))
        else:
            text += " " + _("Todavía no se sirvió a ningún niño.")
        self.summary.setText(text)
        set_role(self.summary, "summary")
        self.servings_heading.setVisible(bool(view.recall.servings))
        self.servings.setVisible(bool(view.recall.servings))
        self.suspend_button.setEnabled(any(not lot.suspended for lot in view.recall.lots))

    def _failed(self, error: Exception) -> None:
        self.show_view(None)
        self.summary.setText(error_text(error) + " " + _("Revise el número tal como figura en el envase."))
        set_role(self.summary, "error")

    def _suspend(self) -> None:
        if self.view is not None and self.view.recall.lots:
            self.suspend_requested.emit(self.view.recall.lots[0])
