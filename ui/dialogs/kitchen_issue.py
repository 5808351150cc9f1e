"""The day's issue to the kitchen (salida de almacén): per meal and product, what the rations × dosing say
and what left the store, pre-filled from the dosing; the storekeeper confirms it or writes what really left,
from which lot, with the reason for each difference."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from qaliwarma.domain.levels import MEAL_LABELS
from qaliwarma.services.kitchen_issue import DayIssueRow

from ..i18n import _
from ..models.stock_format import fmt_kg, fmt_number
from ..theme import set_role
from ..widgets.stock_common import message_label, parse_number, show_message

MEAL, PRODUCT, EXPECTED, ISSUED, LOT = range(5)


class KitchenIssueDialog(QDialog):
    def __init__(self, parent, what: str, rows: list[DayIssueRow]) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Salida del almacén a cocina"))
        self.setMinimumWidth(820)
        self.rows = rows
        intro = QLabel(_("{what}. Por cada comida y producto: lo que debía salir según las raciones servidas y la "
                         "dosificación, y lo que salió. Si salió otra cantidad u otro lote, escríbalo y anote el "
                         "motivo: eso queda como la salida registrada del día.").format(what=what))
        intro.setWordWrap(True)
        self.table = QTableWidget(len(rows), 5)
        self.table.setHorizontalHeaderLabels([_("Comida"), _("Producto"), _("Según raciones (kg)"),
                                              _("Salió (kg)"), _("Lote")])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(PRODUCT, QHeaderView.ResizeMode.Stretch)
        self.issued: list[QLineEdit] = []
        self.lots: list[QLineEdit] = []
        for r, row in enumerate(rows):
            for column, text in ((MEAL, _(MEAL_LABELS.get(row.meal, row.meal))), (PRODUCT, row.name),
                                 (EXPECTED, fmt_kg(row.expected_grams))):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~item.flags().ItemIsEditable)
                self.table.setItem(r, column, item)
            issued = QLineEdit(fmt_number(row.issued_grams / 1000, 3).replace(",", ""))
            lot = QLineEdit(row.lot)
            self.issued.append(issued)
            self.lots.append(lot)
            self.table.setCellWidget(r, ISSUED, issued)
            self.table.setCellWidget(r, LOT, lot)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(LOT, max(self.table.columnWidth(LOT), 200))  # «COMPRA-B002-004518» fits
        header.setSectionResizeMode(PRODUCT, QHeaderView.ResizeMode.Stretch)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("Por ejemplo: el aceite se midió con la jarra, no con la balanza"))
        self.message = message_label()
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(_("Registrar la salida"), QDialogButtonBox.ButtonRole.AcceptRole)
        set_role(self.ok_button, "primary")
        buttons.addButton(_("Cancelar"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if not rows:
            layout.addWidget(QLabel(_("Ese día no hay raciones registradas con productos del almacén.")))
            self.ok_button.setEnabled(False)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel(_("Motivo de las diferencias")))
        layout.addWidget(self.reason)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._lines: list[tuple[str, str, str, Decimal]] | None = None

    def set_issued(self, food_code: str, meal: str, kg: str) -> None:
        """Type ``kg`` in the «Salió» cell of ``food_code`` × ``meal`` (for keyboard-less callers)."""
        for r, row in enumerate(self.rows):
            if row.food_code == food_code and row.meal == meal:
                self.issued[r].setText(kg)
                return
        raise KeyError((food_code, meal))

    def lines(self) -> list[tuple[str, str, str, Decimal]] | None:
        """(meal, product, lot, grams) of each row whose quantity or lot was changed; None (and a message)
        when a quantity is not a number or a difference has no reason."""
        out = []
        differs = False
        for r, row in enumerate(self.rows):
            kg = parse_number(self.issued[r].text())
            if kg is None or kg <= 0:
                show_message(self.message, _("Revise los kilos de {product}: escriba un número mayor que 0 "
                                             "(por ejemplo 2.5).").format(product=row.name))
                self.issued[r].setFocus()
                return None
            grams = (kg * 1000).quantize(Decimal("0.1"))
            lot = self.lots[r].text().strip()
            if abs(grams - row.issued_grams) >= Decimal("0.5") or lot != row.lot:
                out.append((row.meal, row.food_code, lot, grams))
                differs = differs or abs(grams - row.expected_grams) >= Decimal("0.5")
        if differs and not self.reason.text().strip():
            show_message(self.message, _("Escriba el motivo: lo que salió no es lo que dicen las raciones."))
            self.reason.setFocus()
            return None
        return out

    def _accept(self) -> None:
        found = self.lines()
        if found is None:
            return
        self._lines = found
        self.accept()

    def accepted_lines(self) -> list[tuple[str, str, str, Decimal]]:
        return self._lines or []

    def note(self) -> str:
        return self.reason.text().strip()


def ask_issue(parent, what: str, rows: list[DayIssueRow]) -> tuple[list, str] | None:
    """The lines to record and their reason, or None when the user cancelled."""
    dialog = KitchenIssueDialog(parent, what, rows)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.accepted_lines(), dialog.note()
