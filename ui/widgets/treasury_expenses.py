"""The month's expenses: a sortable grid filtered by heading and document type, with its total;
cancel (anular) the chosen expense, or import a sheet of expenses."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.domain.treasury import DOC_TYPES
from qaliwarma.money import format_soles

from ..i18n import _
from ..models.base import RowsProxy
from ..models.treasury_rows import ExpenseRow, ExpenseTableModel, MonthView, month_label
from ..theme import set_role
from .table import DataTable


class ExpensesPanel(QWidget):
    reverse_requested = Signal(object)  # ExpenseRow
    import_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._view: MonthView | None = None
        self.heading_filter = QComboBox()
        self.type_filter = QComboBox()
        self.type_filter.addItem(_("Todos los comprobantes"), None)
        for key, label in DOC_TYPES.items():
            self.type_filter.addItem(_(label), key)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(_("Rubro:")))
        filters.addWidget(self.heading_filter)
        filters.addSpacing(10)
        filters.addWidget(QLabel(_("Comprobante:")))
        filters.addWidget(self.type_filter)
        filters.addStretch(1)

        self.model = ExpenseTableModel(self)
        self.proxy = RowsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = DataTable(stretch_column=(4, 5), sortable=True, wrap=True)
        self.table.setModel(self.proxy)
        # the receipt's column as wide as a usual «Boleta B002-00004518», longer ones wrapped («Planilla
        # movilidad» over its number): sized to its longest text it took the width the supplier and the detail
        # needed, and they wrapped into rows five lines tall (four receipts on a 1366×768 screen)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, self.table.fontMetrics().horizontalAdvance("Boleta B002-00004518") + 28)
        self.table.setTabKeyNavigation(False)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.total = QLabel()
        set_role(self.total, "summary")
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        set_role(self.empty, "muted")
        self.cancelled = QLabel()  # the numbers missing from the list, and why
        self.cancelled.setTextFormat(Qt.TextFormat.PlainText)  # the reasons are typed by users: never markup
        self.cancelled.setWordWrap(True)
        set_role(self.cancelled, "muted")
        self.cancelled.hide()

        style = self.style()
        self.reverse_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_DialogCancelButton),
                                          _("Anular el gasto elegido…"))
        self.import_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton),
                                         _("Importar gastos de una hoja (CSV o Excel)…"))
        self.reverse_note = QLabel()
        self.reverse_note.setWordWrap(True)
        set_role(self.reverse_note, "muted")
        buttons = QHBoxLayout()
        buttons.addWidget(self.reverse_button)
        buttons.addWidget(self.import_button)
        from .template_button import template_button

        self.template_button = template_button("gastos", self)
        buttons.addWidget(self.template_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.total)
        layout.addWidget(self.cancelled)
        layout.addLayout(buttons)
        layout.addWidget(self.reverse_note)

        self.heading_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.type_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.reverse_button.clicked.connect(self._reverse_clicked)
        self.import_button.clicked.connect(self.import_requested)
        self._update_buttons()

    def show_view(self, view: MonthView) -> None:
        self._view = view
        code = self.heading_filter.currentData()
        self.heading_filter.blockSignals(True)
        self.heading_filter.clear()
        self.heading_filter.addItem(_("Todos los rubros"), None)
        for h in view.heading_defs:
            self.heading_filter.addItem(h.name, h.code)
        self.heading_filter.setCurrentIndex(max(0, self.heading_filter.findData(code)))
        self.heading_filter.blockSignals(False)
        self.model.set_rows(view.expenses)
        self.apply_filter()
        self.cancelled.setText(_("Anulados en el mes (no figuran en la lista): {items}.").format(items="; ".join(
            _("n.º {number} ({doc_number}, {amount}), el {on:%d/%m/%Y}: {reason}").format(
                number=c.number, doc_number=c.doc_number, amount=format_soles(c.amount), on=c.cancelled_on,
                reason=c.reason or "—") for c in view.cancelled)))
        self.cancelled.setVisible(bool(view.cancelled))
        blocked = view.frozen or view.closed
        self.import_button.setEnabled(not blocked)
        self.reverse_note.setText(
            _("La rendición de este mes ya fue presentada: sus gastos no se anulan ni se importan otros.")
            if view.frozen else _("Este mes está cerrado: sus gastos no se anulan ni se importan otros.")
            if view.closed else _("Para corregir un gasto mal registrado, anúlelo (con el motivo) y regístrelo de "
                                  "nuevo. El gasto anulado queda en el historial."))

    def apply_filter(self) -> None:
        heading, doc = self.heading_filter.currentData(), self.type_filter.currentData()

        def accept(row: ExpenseRow) -> bool:
            return (heading is None or row.heading == heading) and (doc is None or row.doc_type == doc)

        self.proxy.set_filter(accept)
        shown = self.shown_rows()
        total = sum((r.amount for r in shown), Decimal("0.00"))
        label = month_label(self._view.month) if self._view else ""
        if not self.model.rows():
            self.empty.setText(_("No hay gastos registrados en {month}. Regístrelos en «Registrar gasto» o importe "
                                 "una hoja.").format(month=label))
        elif not shown:
            self.empty.setText(_("Ningún gasto con estos filtros: elija «Todos los rubros» o «Todos los "
                                 "comprobantes»."))
        self.empty.setVisible(not shown)
        filtered = len(shown) != len(self.model.rows())
        count = _("1 gasto") if len(shown) == 1 else _("{n} gastos").format(n=len(shown))
        self.total.setText((_("Total de los {count} mostrados: {total}") if filtered else
                            _("Total del mes ({count}): {total}")).format(count=count, total=format_soles(total)))
        self._update_buttons()

    def shown_rows(self) -> list[ExpenseRow]:
        return [self.model.row_at(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
                for r in range(self.proxy.rowCount())]

    def selected(self) -> ExpenseRow | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def _update_buttons(self) -> None:
        blocked = self._view is None or self._view.frozen or self._view.closed
        self.reverse_button.setEnabled(not blocked and self.selected() is not None)

    def _reverse_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            self.reverse_requested.emit(row)
