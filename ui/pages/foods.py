"""Alimentos: search the food composition table and read a food's nutrients per 100 g."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from qaliwarma.domain.foods import FOOD_GROUPS, FoodSummary
from qaliwarma.services import catalog
from qaliwarma.services.database import Database

from ..i18n import _
from ..models.base import RowsProxy
from ..models.foods import FoodTableModel
from ..models.nutrients import NutrientTableModel, nutrient_lines
from ..tasks import TaskRunner
from ..theme import set_role
from ..widgets.search_field import SearchField
from ..widgets.table import DataTable


class FoodsPage(QWidget):
    def __init__(self, db: Database, runner: TaskRunner, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self._runner = runner
        self._shown_code: str | None = None

        hint = QLabel(_("Escriba el nombre de un alimento (por ejemplo «lenteja» o «quinua») y elija uno "
                        "de la lista: a la derecha verá lo que contienen 100 gramos."))
        hint.setWordWrap(True)
        set_role(hint, "hint")

        self.search_field = SearchField(_("Buscar alimento…"))
        self.search_field.setAccessibleName(_("Buscar alimento"))
        self.group_combo = QComboBox()
        self.group_combo.addItem(_("Todos los grupos"), None)
        for code, name in FOOD_GROUPS.items():
            self.group_combo.addItem(_(name), code)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_field, 3)
        search_row.addWidget(self.group_combo, 2)

        self.model = FoodTableModel(self)
        self.proxy = RowsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = DataTable(stretch_column=1, sortable=True)
        self.table.setModel(self.proxy)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, header.ResizeMode.Interactive)
        header.resizeSection(2, self.fontMetrics().horizontalAdvance("Verduras, hortalizas y d") + 12)
        header.setSectionResizeMode(0, header.ResizeMode.Interactive)
        header.resizeSection(0, self.fontMetrics().horizontalAdvance("Código") + 40)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.count_label = QLabel()
        self.count_label.setWordWrap(True)
        set_role(self.count_label, "muted")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.count_label)
        left_layout.addWidget(self.table, 1)

        self.food_title = QLabel(_("Elija un alimento de la lista"))
        self.food_title.setWordWrap(True)
        set_role(self.food_title, "heading")
        self.food_subtitle = QLabel()
        self.food_subtitle.setWordWrap(True)
        set_role(self.food_subtitle, "muted")
        self.nutrient_model = NutrientTableModel(_("En 100 g"), parent=self)
        self.nutrient_table = DataTable(stretch_column=0)
        self.nutrient_table.setSelectionMode(DataTable.SelectionMode.NoSelection)
        self.nutrient_table.setModel(self.nutrient_model)
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        set_role(self.source_label, "muted")

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.addWidget(self.food_title)
        right_layout.addWidget(self.food_subtitle)
        right_layout.addWidget(self.nutrient_table, 1)
        right_layout.addWidget(self.source_label)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(search_row)
        layout.addWidget(splitter, 1)

        self.search_field.settled.connect(lambda _text: self.refresh())
        self.group_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        """Search again with what is typed and the chosen group."""
        text = self.search_field.text()
        group = self.group_combo.currentData()
        db = self._db
        self._runner.run(lambda: catalog.search(db, text, group=group), lambda rows: self._show_rows(text, rows),
                         key="foods.search", owner=self)
        if self.source_label.text() == "":
            self._runner.run(lambda: catalog.active_source(db), self._show_source, owner=self)

    def _show_rows(self, text: str, rows: list[FoodSummary]) -> None:
        keep = self._shown_code
        self.model.set_rows(rows)
        if not rows:
            if self.group_combo.currentData():
                self.count_label.setText(
                    _("Ningún alimento de «{group}» contiene «{text}». Elija «Todos los grupos» o pruebe con "
                      "otra palabra.").format(group=self.group_combo.currentText(), text=text.strip()))
            else:
                self.count_label.setText(
                    _("Ningún alimento contiene «{text}». Pruebe con otra palabra o solo con el comienzo "
                      "(por ejemplo «lente»).").format(text=text.strip()))
            return
        if text.strip():
            self.count_label.setText(_("{n} alimentos contienen «{text}».").format(n=len(rows), text=text.strip())
                                     if len(rows) != 1 else _("1 alimento contiene «{text}».").format(text=text.strip()))
        elif self.group_combo.currentData():
            self.count_label.setText(_("{n} alimentos en «{group}». Escriba para buscar.").format(
                n=len(rows), group=self.group_combo.currentText()))
        else:
            self.count_label.setText(_("{n} alimentos en la tabla. Escriba para buscar.").format(n=len(rows)))
        codes = [r.code for r in rows]
        if not self.select_code(keep if keep in codes else None):
            self.table.selectRow(0)

    def _show_source(self, source) -> None:
        if source is not None:
            self.source_label.setText(_("Fuente: {citation}").format(citation=source.citation))

    def select_code(self, code: str | None) -> bool:
        """Select a food of the current list by its code; True if it is listed."""
        if code is None:
            return False
        for row, food in enumerate(self.model.rows()):
            if food.code == code:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                self.table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                self.table.scrollTo(index)
                return True
        return False

    def _row_changed(self, current, _previous) -> None:
        if not current.isValid():
            return
        food = self.model.row_at(self.proxy.mapToSource(current).row())
        if food.code == self._shown_code:
            return
        db = self._db
        self._runner.run(lambda: catalog.food(db, food.code), self._show_food, key="foods.detail", owner=self)

    def _show_food(self, detail: catalog.FoodDetail) -> None:
        self._shown_code = detail.code
        self.food_title.setText(detail.name)
        self.food_subtitle.setText(
            _("Código {code} · {group} · valores en 100 g de parte comestible").format(
                code=detail.code, group=_(detail.group_name)))
        self.nutrient_model.set_rows(nutrient_lines(detail.values))
