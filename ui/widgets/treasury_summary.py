"""The month's money at a glance: received, spent, in the bank and in cash; the balance of each budget
heading (table and chart); the warnings; and the documents to print."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.money import format_soles

from ..i18n import _
from ..models.treasury_rows import HeadingTableModel, MonthView, format_day, month_label
from ..theme import set_role
from .table import DataTable
from .treasury_chart import HeadingChart

TOTALS = (
    ("transferred_in_month", "Recibido en el mes"),
    ("spent_in_month", "Gastado en el mes"),
    ("transferred_to_date", "Recibido hasta la fecha"),
    ("spent_to_date", "Gastado hasta la fecha"),
    ("bank", "En el banco"),
    ("cash", "Efectivo en caja"),
    ("balance", "Saldo total (banco + caja)"),
)


class TreasurySummary(QWidget):
    print_requested = Signal(str)  # "balance", "acta", "libro"
    edit_headings_requested = Signal()
    withdrawal_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        # --- totals
        totals = QFrame()
        set_role(totals, "card")
        grid = QGridLayout(totals)
        grid.setContentsMargins(14, 10, 14, 10)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(4)
        self.totals: dict[str, QLabel] = {}
        for n, (key, text) in enumerate(TOTALS):
            name = QLabel(_(text))
            value = QLabel()
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            bold = value.font()
            bold.setBold(True)
            value.setFont(bold)
            if key == "balance":
                bold.setPointSize(bold.pointSize() + 2)
                value.setFont(bold)
                name.setFont(bold)
            self.totals[key] = value
            grid.addWidget(name, n, 0)
            grid.addWidget(value, n, 1)
        grid.setColumnStretch(0, 1)
        self.totals["balance"].setToolTip(_("Todo lo recibido menos todo lo gastado: lo que hay en el banco y en caja."))
        self.balance_note = QLabel()
        self.balance_note.setWordWrap(True)
        set_role(self.balance_note, "muted")
        grid.addWidget(self.balance_note, len(TOTALS), 0, 1, 2)

        # --- warnings
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.PlainText)
        self.warnings_box = QFrame()
        set_role(self.warnings_box, "banner")
        box_layout = QHBoxLayout(self.warnings_box)
        box_layout.setContentsMargins(12, 8, 12, 8)
        box_layout.addWidget(self.warnings, 1)
        self.withdraw_button = QPushButton(_("Registrar un retiro del banco"))
        self.withdraw_button.clicked.connect(self.withdrawal_requested)
        box_layout.addWidget(self.withdraw_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.warnings_box.hide()

        # --- headings
        headings_title = QLabel(_("Saldo de cada rubro"))
        set_role(headings_title, "heading")
        self.edit_headings_button = QPushButton(_("Cambiar rubros y montos…"))
        self.edit_headings_button.clicked.connect(self.edit_headings_requested)
        self.heading_model = HeadingTableModel(self)
        self.heading_table = DataTable(stretch_column=0, fit=True)
        self.heading_table.setModel(self.heading_model)
        self.heading_table.setTabKeyNavigation(False)
        self.headings_note = QLabel(_("«Asignado» es lo que le toca al rubro de todo lo recibido hasta el fin del "
                                      "mes; «Saldo» es lo que todavía se puede gastar."))
        self.headings_note.setWordWrap(True)
        set_role(self.headings_note, "muted")
        self.chart = HeadingChart()
        head_row = QHBoxLayout()
        head_row.addWidget(headings_title)
        head_row.addStretch(1)
        head_row.addWidget(self.edit_headings_button)

        # --- printing
        print_title = QLabel(_("Imprimir:"))
        print_title.setStyleSheet("font-weight: bold;")
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        self.print_buttons = {
            "balance": QPushButton(icon, _("Balance de gastos")),
            "acta": QPushButton(icon, _("Acta de rendición de cuentas…")),
            "libro": QPushButton(icon, _("Libro caja")),
        }
        prints = QHBoxLayout()
        prints.addWidget(print_title)
        for key, button in self.print_buttons.items():
            button.clicked.connect(lambda _c=False, k=key: self.print_requested.emit(k))
            prints.addWidget(button)
        prints.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(prints)
        money_row = QHBoxLayout()
        money_row.addWidget(totals, 1)
        money_row.addWidget(self.chart, 1)
        layout.addLayout(money_row)
        layout.addWidget(self.warnings_box)
        layout.addLayout(head_row)
        layout.addWidget(self.heading_table)
        layout.addWidget(self.headings_note)
        layout.addStretch(1)

    def show_view(self, view: MonthView) -> None:
        for key, label in self.totals.items():
            label.setText(format_soles(getattr(view, key)))
        self.totals["cash"].setStyleSheet("color: #b3261e;" if view.cash < 0 else "")
        self.balance_note.setText(_("Al fin de {month}: todo lo recibido menos todo lo gastado.").format(
            month=month_label(view.month)))
        self.heading_model.set_rows(view.headings)
        self.chart.show_headings(view.headings)
        warnings = list(view.warnings)
        if view.state in ("borrador", "observado"):
            for t in view.transfers:
                warnings.append(_("Rinda cuentas de la transferencia del {day} ({amount}) hasta el {deadline}.")
                                .format(day=format_day(t.day), amount=format_soles(t.amount),
                                        deadline=format_day(t.deadline)))
        self.warnings.setText("\n".join(f"• {w}" for w in warnings))
        self.warnings_box.setVisible(bool(warnings))
        self.withdraw_button.setVisible(view.cash < 0 and not view.frozen)
        self.edit_headings_button.setEnabled(not view.frozen)
