"""The foods bought with a receipt: search a food, say how it came (presentation), how many and at
what price each; the list adds up to the receipt's amount. They enter the store and the price list."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.domain.foods import FoodSummary, fold
from qaliwarma.domain.treasury import PurchaseItem
from qaliwarma.errors import InvalidInput
from qaliwarma.money import format_soles, to_money
from qaliwarma.services import catalog

from ..i18n import _
from ..models.foods import FoodTableModel
from ..models.treasury_rows import ItemRow, ItemTableModel
from ..theme import set_invalid, set_role
from .search_field import SearchField
from .table import DataTable

OTHER = "__otra__"


def presentation_choices() -> list[tuple[str, str]]:
    """(name, net) of the presentations a purchase can be in: weighed ones (a volume needs a density,
    which a purchase does not carry)."""
    from qaliwarma.units import default_presentations, presentation

    choices = [("KILO", "1 kg")]
    try:
        known = default_presentations().values()
    except InvalidInput:  # a broken presentations file: the kilo and «Otra» still work
        known = []
    for p in known:
        try:
            presentation(p.name, p.net_text).grams()
        except InvalidInput:
            continue
        if (p.name, p.net_text) not in choices:
            choices.append((p.name, p.net_text))
    return choices


def check_presentation(name: str, net: str) -> str | None:
    """None when ``name`` of ``net`` can be weighed, else what to correct."""
    from qaliwarma.units import presentation

    if not name.strip():
        return _("Escriba cómo viene el alimento (KILO, BOLSA, SACO…).")
    try:
        presentation(name.strip().upper(), net.strip()).grams()
    except InvalidInput as exc:
        return getattr(exc, "summary", str(exc))
    return None


def parse_units(text: str) -> Decimal:
    t = text.strip().replace(",", ".")
    try:
        value = Decimal(t)
    except InvalidOperation:
        raise InvalidInput(_("Cantidad no válida «{t}»: escriba un número, p. ej. 12 o 2.5.").format(t=text)) from None
    if not value.is_finite() or value <= 0:
        raise InvalidInput(_("La cantidad debe ser mayor que cero."))
    return value


class PurchaseItemsEditor(QWidget):
    changed = Signal()

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._food: FoodSummary | None = None
        self._prices: dict = {}
        self._choices = presentation_choices()

        self.enabled_check = QCheckBox(_("Con este comprobante compré alimentos que entran al almacén"))
        self.enabled_check.setToolTip(_("Los alimentos se suman al almacén y sus precios a la lista de precios."))
        self.panel = QWidget()

        self.search = SearchField(_("Buscar el alimento: papa, queso, huevo…"))
        self.food_model = FoodTableModel(self)
        self.results = DataTable(stretch_column=1)
        self.results.setModel(self.food_model)
        self.results.hideColumn(2)
        self.results.setTabKeyNavigation(False)  # Tab leaves the list for the next field
        self.results.setFixedHeight(self.results.verticalHeader().defaultSectionSize() * 3
                                    + self.results.horizontalHeader().sizeHint().height() + 4)
        self.chosen = QLabel(_("Escriba el nombre y elija el alimento en la lista."))
        self.chosen.setWordWrap(True)
        set_role(self.chosen, "muted")

        self.presentation = QComboBox()
        for name, net in self._choices:
            self.presentation.addItem(_("{name} de {net}").format(name=name, net=net), (name, net))
        self.presentation.addItem(_("Otra presentación…"), OTHER)
        self.other_name = QLineEdit()
        self.other_name.setPlaceholderText(_("cómo viene: ATADO, JABA…"))
        self.other_net = QLineEdit()
        self.other_net.setPlaceholderText(_("cuánto pesa: 5 kg"))
        self.units = QLineEdit()
        self.units.setPlaceholderText(_("p. ej. 50"))
        self.unit_price = QLineEdit()
        self.unit_price.setPlaceholderText(_("p. ej. 1.80"))
        self.add_button = QPushButton(_("Agregar alimento"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        set_role(self.message, "error")
        self.message.hide()

        self.model = ItemTableModel(self)
        self.table = DataTable(stretch_column=0, fit=True)
        self.table.setModel(self.model)
        self.table.setTabKeyNavigation(False)
        self.remove_button = QPushButton(_("Quitar el alimento elegido"))
        self.total = QLabel()
        self.total.setWordWrap(True)

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.addWidget(QLabel(_("Alimento:")), 0, 0)
        grid.addWidget(self.search, 0, 1, 1, 3)
        grid.addWidget(self.results, 1, 1, 1, 3)
        grid.addWidget(self.chosen, 2, 1, 1, 3)
        grid.addWidget(QLabel(_("Presentación:")), 3, 0)
        grid.addWidget(self.presentation, 3, 1)
        grid.addWidget(self.other_name, 3, 2)
        grid.addWidget(self.other_net, 3, 3)
        grid.addWidget(QLabel(_("Cantidad:")), 4, 0)
        grid.addWidget(self.units, 4, 1)
        grid.addWidget(QLabel(_("Precio por unidad (S/):")), 5, 0)
        grid.addWidget(self.unit_price, 5, 1)
        grid.addWidget(self.add_button, 5, 2)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(3, 1)
        panel_layout = QVBoxLayout(self.panel)
        panel_layout.setContentsMargins(24, 0, 0, 0)
        panel_layout.addLayout(grid)
        panel_layout.addWidget(self.message)
        panel_layout.addWidget(self.table)
        bottom = QHBoxLayout()
        bottom.addWidget(self.total, 1)
        bottom.addWidget(self.remove_button)
        panel_layout.addLayout(bottom)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.enabled_check)
        layout.addWidget(self.panel)

        self.enabled_check.toggled.connect(self._toggled)
        self.search.settled.connect(self._search)
        self.results.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._pick(cur.row()))
        self.presentation.currentIndexChanged.connect(lambda _i: self._sync_other())
        self.add_button.clicked.connect(self.add_current)
        self.remove_button.clicked.connect(self.remove_current)
        self._toggled(False)
        self._sync_other()
        self.update_total(None)

    # ------------------------------------------------------------------ data
    def set_prices(self, prices: dict) -> None:
        """The committee's price list (food code → PriceItem) to suggest presentation and price."""
        self._prices = dict(prices)

    def active(self) -> bool:
        return self.enabled_check.isChecked()

    def rows(self) -> list[ItemRow]:
        return self.model.rows() if self.active() else []

    def purchase_items(self) -> tuple[PurchaseItem, ...]:
        return tuple(PurchaseItem(r.food_code, r.presentation, r.net, r.units, r.unit_price) for r in self.rows())

    def items_total(self) -> Decimal:
        return sum((r.total for r in self.rows()), Decimal("0.00"))

    def clear(self) -> None:
        self.model.set_rows([])
        self.enabled_check.setChecked(False)
        self._clear_entry()
        self.search.clear()
        self.food_model.set_rows([])
        self.changed.emit()

    def update_total(self, amount: Decimal | None) -> None:
        rows = self.model.rows()
        total = sum((r.total for r in rows), Decimal("0.00"))
        if not rows:
            self.total.setText(_("Todavía no agregó alimentos."))
            set_role(self.total, "muted")
        elif amount is not None and total == amount:
            self.total.setText(_("✓ Los alimentos suman {total}, igual que el monto.").format(total=format_soles(total)))
            set_role(self.total, "ok")
        else:
            self.total.setText(_("Los alimentos suman {total}.").format(total=format_soles(total)))
            set_role(self.total, "")
        self.remove_button.setEnabled(bool(rows))

    # ------------------------------------------------------------------ entry of one food
    def _toggled(self, checked: bool) -> None:
        self.panel.setVisible(checked)
        if checked:
            self.search.setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()

    def _sync_other(self) -> None:
        other = self.presentation.currentData() == OTHER
        self.other_name.setVisible(other)
        self.other_net.setVisible(other)

    def _search(self, text: str) -> None:
        if not text.strip():
            self.food_model.set_rows([])
            return
        db = self._ctx.db
        self._ctx.runner.run(lambda: catalog.search(db, text, limit=40), self._show_results,
                             key="treasury.items.search", owner=self)

    def _show_results(self, foods: list[FoodSummary]) -> None:
        needle = fold(self.search.text().strip())
        def first_word(name: str) -> str:
            words = fold(name).replace(",", " ").split()
            return words[0] if words else ""

        # what starts with the words typed first, and of those "Papa amarilla" before "Papaya"
        word = first_word(needle)
        foods = sorted(foods, key=lambda f: (not fold(f.name).startswith(needle), first_word(f.name) != word))
        self.food_model.set_rows(foods)
        if len(foods) == 1:
            self.results.selectionModel().setCurrentIndex(
                self.food_model.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        elif foods:
            if self._food is None:
                self.chosen.setText(_("Elija el alimento en la lista: pulse Tab y muévase con las flechas, o haga "
                                      "clic en él."))
                set_role(self.chosen, "muted")
        else:
            self.chosen.setText(_("Ningún alimento con ese nombre. Pruebe con otra palabra."))
            set_role(self.chosen, "error")

    def _pick(self, row: int) -> None:
        if not 0 <= row < self.food_model.rowCount():
            return
        self.choose_food(self.food_model.row_at(row))

    def choose_food(self, food: FoodSummary) -> None:
        self._food = food
        self.chosen.setText(_("Elegido: {name} ({code})").format(name=food.name, code=food.code))
        set_role(self.chosen, "ok")
        price = self._prices.get(food.code)
        if price is not None:
            index = self.presentation.findData((price.presentation, price.net))
            if index < 0:
                index = self.presentation.findData(OTHER)
                self.other_name.setText(price.presentation)
                self.other_net.setText(price.net)
            self.presentation.setCurrentIndex(index)
            if not self.unit_price.text().strip():
                self.unit_price.setText(f"{price.price:.2f}")

    def _presentation(self) -> tuple[str, str]:
        data = self.presentation.currentData()
        if data == OTHER:
            return self.other_name.text().strip().upper(), self.other_net.text().strip()
        return data

    def entry(self) -> tuple[ItemRow | None, str]:
        """The food being typed as a row, or the first thing to correct."""
        if self._food is None:
            return None, _("Busque el alimento y elíjalo en la lista.")
        name, net = self._presentation()
        problem = check_presentation(name, net)
        if problem:
            return None, problem
        try:
            units = parse_units(self.units.text())
        except InvalidInput as exc:
            return None, str(exc)
        try:
            price = to_money(self.unit_price.text())
        except InvalidInput as exc:
            return None, _("Precio por unidad: {error}").format(error=exc)
        if price <= 0:
            return None, _("El precio por unidad debe ser mayor que cero.")
        return ItemRow(self._food.code, self._food.name, name, net, units, price), ""

    def add_current(self) -> bool:
        row, problem = self.entry()
        self.message.setText(problem)
        self.message.setVisible(bool(problem))
        for widget in (self.units, self.unit_price):
            set_invalid(widget, False)
        if row is None:
            if "antidad" in problem:
                set_invalid(self.units, True)
            elif "recio" in problem:
                set_invalid(self.unit_price, True)
            return False
        self.model.set_rows([*self.model.rows(), row])
        self._clear_entry()
        self.search.clear()
        self.food_model.set_rows([])
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()
        return True

    def remove_current(self) -> None:
        index = self.table.selectionModel().currentIndex()
        rows = self.model.rows()
        if not rows:
            return
        row = index.row() if index.isValid() else len(rows) - 1
        del rows[row]
        self.model.set_rows(rows)
        self.changed.emit()

    def _clear_entry(self) -> None:
        self._food = None
        self.chosen.setText(_("Escriba el nombre y elija el alimento en la lista."))
        set_role(self.chosen, "muted")
        self.units.clear()
        self.unit_price.clear()
        self.other_name.clear()
        self.other_net.clear()
        self.presentation.setCurrentIndex(0)
        self.message.hide()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt naming
        """Enter inside the food entry adds the food (it does not save the receipt)."""
        focus = QApplication.focusWidget()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and focus is not None \
                and self.panel.isAncestorOf(focus):
            if isinstance(focus, QPushButton):
                focus.click()
            elif focus is not self.search:
                self.add_current()
            event.accept()
            return
        super().keyPressEvent(event)
