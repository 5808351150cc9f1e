"""Create or change one of the committee's own preparations."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.domain.foods import FoodSummary
from qaliwarma.domain.levels import LEVEL_LABELS, LEVELS, MEAL_LABELS, REGION_LABELS
from qaliwarma.domain.recipes import RecipeDef
from qaliwarma.errors import InvalidInput, Problem
from qaliwarma.services import catalog, recipes
from qaliwarma.services.database import Database

from ..i18n import _
from ..models.foods import FoodTableModel
from ..models.recipe_edit import EDIBLE, GRAMS, IngredientEditModel
from ..tasks import TaskRunner
from ..theme import set_role
from ..widgets.number_box import GramsBox
from ..widgets.search_field import SearchField
from ..widgets.table import DataTable, PaddedDelegate

OWN_SOURCE = "Preparación del comité"
MAX_PROBLEM_LINES = 2


class _Delegate(PaddedDelegate):
    """Spin boxes with units for the edible part (%) and the grams; plain text for the measure. Grams the box
    could not take as typed (a digit past 2000, a second decimal) are not put in the table: ``refused`` says
    what and where, and the cell keeps what it had."""

    refused = Signal(str)

    def __init__(self, model: IngredientEditModel, parent=None) -> None:
        super().__init__(parent)
        self._model = model

    def setModelData(self, editor: QWidget, model, index) -> None:  # noqa: N802 - Qt naming
        if isinstance(editor, GramsBox) and editor.warning():
            food = model.index(index.row(), 0).data() or ""
            header = model.headerData(index.column(), Qt.Orientation.Horizontal) or ""
            self.refused.emit(_("{food}, {column}: no se anotó lo escrito. {why}").format(
                food=food, column=header, why=editor.warning()))
            return
        super().setModelData(editor, model, index)

    def createEditor(self, parent: QWidget, option, index):  # noqa: N802 - Qt naming
        kind, _level = self._model.column_kind(index.column())
        if kind == EDIBLE:
            editor = QSpinBox(parent)
            editor.setRange(1, 100)
            editor.setSuffix(" %")
            return editor
        if kind == GRAMS:
            return GramsBox(parent)
        return super().createEditor(parent, option, index)


class RecipeEditor(QDialog):
    saved = Signal(object)  # the RecipeDef as stored

    def __init__(self, db: Database, runner: TaskRunner, committee_id: int, recipe: RecipeDef | None = None,
                 *, region: str | None = None, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self._runner = runner
        self._committee_id = committee_id
        self._original = recipe
        self.setWindowTitle(_("Cambiar preparación del comité") if recipe else _("Nueva preparación del comité"))

        hint = QLabel(_("Escriba el nombre y elija región, comida y niveles. Busque cada alimento y pulse "
                        "«Agregar»; luego escriba en la tabla los gramos que se pesan por niño."))
        hint.setWordWrap(True)
        set_role(hint, "hint")

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(_("Por ejemplo: Mazamorra de quinua con manzana"))
        self.region_combo = QComboBox()
        self.region_combo.addItem(_("— Elija —"), None)
        for key, label in REGION_LABELS.items():
            self.region_combo.addItem(_(label), key)
        self.meal_combo = QComboBox()
        self.meal_combo.addItem(_("— Elija —"), None)
        for key, label in MEAL_LABELS.items():
            self.meal_combo.addItem(_(label), key)
        self.level_checks: dict[str, QCheckBox] = {}
        levels_row = QHBoxLayout()
        for level, label in LEVEL_LABELS.items():
            check = QCheckBox(_(label))
            check.toggled.connect(self._levels_changed)
            self.level_checks[level] = check
            levels_row.addWidget(check)
            levels_row.addSpacing(10)
        levels_row.addStretch(1)
        form = QGridLayout()
        form.setHorizontalSpacing(10)
        form.addWidget(QLabel(_("Nombre:")), 0, 0)
        form.addWidget(self.name_edit, 0, 1, 1, 5)
        form.addWidget(QLabel(_("Región:")), 1, 0)
        form.addWidget(self.region_combo, 1, 1)
        form.addWidget(QLabel(_("Comida:")), 1, 2)
        form.addWidget(self.meal_combo, 1, 3)
        form.addWidget(QLabel(_("Niveles:")), 1, 4)
        form.addLayout(levels_row, 1, 5)
        form.setColumnStretch(5, 1)

        # the food search that adds ingredients
        self.food_search = SearchField(_("Buscar alimento…"))
        self.food_model = FoodTableModel(self)
        self.food_table = DataTable(stretch_column=1)
        self.food_table.setModel(self.food_model)
        self.food_table.hideColumn(2)
        self.food_table.setFixedHeight(self.food_table.verticalHeader().defaultSectionSize() * 3
                                       + self.food_table.horizontalHeader().sizeHint().height() + 4)
        self.food_table.doubleClicked.connect(lambda _i: self._add_current_food())
        self.add_button = QPushButton(_("Agregar"))
        set_role(self.add_button, "primary")
        self.add_button.clicked.connect(self._add_current_food)
        self.search_status = QLabel(_("Escriba el nombre del alimento."))
        self.search_status.setWordWrap(True)
        set_role(self.search_status, "muted")
        search_box = QGroupBox(_("Agregar un alimento"))
        search_layout = QHBoxLayout(search_box)
        search_left = QVBoxLayout()
        search_left.addWidget(self.food_search)
        search_left.addWidget(self.search_status)
        search_left.addStretch(1)
        search_layout.addLayout(search_left, 2)
        search_layout.addWidget(self.food_table, 3)
        search_layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignVCenter)

        # the ingredients, full width: grams per level are the heart of the preparation
        self.model = IngredientEditModel(self)
        self.table = DataTable(stretch_column=0)
        self.table.setModel(self.model)
        delegate = _Delegate(self.model, self.table)
        delegate.refused.connect(self._say_refused)
        self.table.setItemDelegate(delegate)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setMinimumHeight(self.table.verticalHeader().defaultSectionSize() * 3
                                    + self.table.horizontalHeader().sizeHint().height() + 4)
        self.remove_button = QPushButton(_("Quitar alimento"))
        self.remove_button.clicked.connect(self._remove_current)
        ingredients_box = QGroupBox(_("Ingredientes: gramos que se pesan por cada niño"))
        box_layout = QVBoxLayout(ingredients_box)
        box_layout.addWidget(self.table, 1)
        # portions over the caps of resources/standards/datos/porciones.toml: a notice, saving is allowed
        self.portions = QLabel()
        self.portions.setWordWrap(True)
        set_role(self.portions, "hint")
        self.portions.hide()
        box_layout.addWidget(self.portions)

        self.steps_edit = QPlainTextEdit()
        self.steps_edit.setPlaceholderText(_("Pasos de preparación (opcional), en palabras sencillas."))
        self.steps_edit.setFixedHeight(self.fontMetrics().height() * 2 + 18)

        self.problems = QLabel()
        self.problems.setWordWrap(True)
        set_role(self.problems, "error")
        self.problems.hide()
        self.save_button = QPushButton(_("Guardar preparación"))
        set_role(self.save_button, "primary")
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        cancel = QPushButton(_("Cancelar"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignBottom)
        buttons.addWidget(self.problems, 1)
        buttons.addWidget(cancel, 0, Qt.AlignmentFlag.AlignBottom)
        buttons.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignBottom)

        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(search_box)
        layout.addWidget(ingredients_box, 1)
        layout.addWidget(self.steps_edit)
        layout.addLayout(buttons)

        self.food_search.settled.connect(self._search)
        self._fill(recipe, region)
        for signal in (self.model.dataChanged, self.model.rowsInserted, self.model.rowsRemoved,
                       self.model.modelReset):
            signal.connect(self._check_portions)
        self.meal_combo.currentIndexChanged.connect(self._check_portions)
        self.model.dataChanged.connect(self._forget_refusal)
        self._check_portions()
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            self.resize(min(1200, int(area.width() * 0.95)), min(780, int(area.height() * 0.95)))

    # ------------------------------------------------------------------ content
    def _fill(self, recipe: RecipeDef | None, region: str | None) -> None:
        if recipe is None:
            self.region_combo.setCurrentIndex(max(0, self.region_combo.findData(region)))
            self.level_checks["primaria"].setChecked(True)
            return
        self.name_edit.setText(recipe.name)
        self.region_combo.setCurrentIndex(max(0, self.region_combo.findData(recipe.region)))
        self.meal_combo.setCurrentIndex(max(0, self.meal_combo.findData(recipe.meal)))
        self.steps_edit.setPlainText(recipe.preparation)
        self.model.load(recipe, {i.code: i.label for i in recipe.ingredients})
        for level, check in self.level_checks.items():
            check.blockSignals(True)
            check.setChecked(level in recipe.levels)
            check.blockSignals(False)

    def chosen_levels(self) -> tuple[str, ...]:
        return tuple(lv for lv in LEVELS if self.level_checks[lv].isChecked())

    def _levels_changed(self, _checked: bool = False) -> None:
        self.model.set_levels(self.chosen_levels())
        self._check_portions()

    def _check_portions(self, *_args) -> None:
        """The same portion caps as `recipes check`, as the cook types the grams: a notice, not a block."""
        found = recipes.portion_warnings(self._current_def())
        if not found:
            self.portions.hide()
            return
        lines = [f"• {p.what}" for p in found]
        if len(lines) > MAX_PROBLEM_LINES + 1:
            lines = [*lines[:MAX_PROBLEM_LINES], _("• y {n} avisos más de porción").format(n=len(lines) - MAX_PROBLEM_LINES)]
        self.portions.setText("\n".join([_("Aviso: porciones más grandes que un plato que se pueda servir "
                                           "(se puede guardar igual):"), *lines]))
        self.portions.show()

    def _search(self, text: str) -> None:
        if not text.strip():
            self.food_model.set_rows([])
            self.search_status.setText(_("Escriba el nombre del alimento."))
            return
        db = self._db
        self._runner.run(lambda: catalog.search(db, text, limit=80), lambda rows: self._show_foods(text, rows),
                         key="editor.search", owner=self)

    def _show_foods(self, text: str, rows: list[FoodSummary]) -> None:
        self.food_model.set_rows(rows)
        if rows:
            self.search_status.setText(_("Elija uno y pulse «Agregar»."))
            self.food_table.selectRow(0)
        else:
            self.search_status.setText(_("Ningún alimento contiene «{text}»; pruebe con otra palabra.").format(
                text=text.strip()))

    def add_food(self, food: FoodSummary) -> None:
        from qaliwarma.domain.foods import is_cooked_or_prepared

        row = self.model.add(food.code, food.name)
        if is_cooked_or_prepared(food.code, food.name):
            self.search_status.setText(_("Aviso: «{name}» ya está cocido o preparado, y las recetas se pesan "
                                         "crudas: busque el alimento crudo.").format(name=food.name))
        if self.model.levels():
            index = self.model.index(row, 2)
            self.table.setCurrentIndex(index)
            self.table.setFocus()

    def _add_current_food(self) -> None:
        index = self.food_table.currentIndex()
        if index.isValid():
            self.add_food(self.food_model.row_at(index.row()))

    def _remove_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.model.remove(index.row())

    # ------------------------------------------------------------------ saving
    def _current_def(self) -> RecipeDef:
        base = self._original
        return RecipeDef(
            id=base.id if base else "",
            name=self.name_edit.text().strip(),
            region=self.region_combo.currentData() or "",
            meal=self.meal_combo.currentData() or "",
            levels=self.chosen_levels(),
            ingredients=self.model.ingredients(),
            source=base.source if base and base.source else OWN_SOURCE,
            note=base.note if base else "",
            preparation=self.steps_edit.toPlainText().strip(),
        )

    def _say_refused(self, message: str) -> None:
        self.problems.setText(message)
        self.problems.show()
        self._refusal_shown = True

    def _forget_refusal(self, *_args) -> None:
        """A cell written since the refusal: its message goes (the save's own problems stay)."""
        if getattr(self, "_refusal_shown", False):
            self._refusal_shown = False
            self.problems.hide()

    def _show_problems(self, problems: list[Problem], lead: str) -> None:
        names = [r.name for r in self.model.rows()]
        lines = []
        for p in problems:
            where = p.where
            if p.row is not None:  # the ingredient's row, as data: shown by its name
                where = f"{names[p.row - 1]}" if 0 < p.row <= len(names) else where
            lines.append(f"• {where}: {p.what}" if where else f"• {p.what}")
        if len(lines) > MAX_PROBLEM_LINES:
            extra = len(lines) - MAX_PROBLEM_LINES + 1
            lines = [*lines[:MAX_PROBLEM_LINES - 1], _("• y {n} datos más (en rojo en la tabla)").format(n=extra)]
        self.problems.setText("\n".join([lead, *lines]))
        self.problems.show()

    def save(self) -> None:
        self._refusal_shown = False
        recipe = self._current_def()
        problems = recipes.validate_recipe(recipe, {r.code for r in self.model.rows()})
        if problems:
            self._show_problems(problems, _("Falta completar esto antes de guardar:"))
            return
        self.problems.hide()
        self.save_button.setEnabled(False)
        db, committee_id = self._db, self._committee_id
        self._runner.run(lambda: recipes.save_own_recipe(db, committee_id, recipe), self._saved,
                         on_error=self._save_failed, progress=_("Guardando la preparación…"), owner=self)

    def _saved(self, recipe: RecipeDef) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(recipe)
        self.accept()

    def _save_failed(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, InvalidInput):
            self._show_problems(error.problems, error.summary)
        else:
            self.problems.setText(str(error))
            self.problems.show()
