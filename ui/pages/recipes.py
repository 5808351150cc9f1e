"""Recetas: the regional recipe bank and the committee's own preparations, per level and per child."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.domain.foods import fold
from qaliwarma.domain.levels import MEAL_LABELS, REGION_LABELS
from qaliwarma.domain.recipes import RecipeDef, RecipeSummary
from qaliwarma.services import local_names, recipes
from qaliwarma.services.database import Database

from ..context import _system_user
from ..dialogs.confirm import confirm
from ..i18n import _
from ..models.base import RowsProxy
from ..models.recipes import OWN_MARK, IngredientLine, RecipeListModel
from ..tasks import TaskRunner
from ..theme import set_role
from ..widgets.recipe_view import LevelView, RecipeDetail, RecipeView
from ..widgets.search_field import SearchField
from ..widgets.table import DataTable


def detail_view(detail: recipes.RecipeDetail) -> RecipeDetail:
    """On the GUI thread: the view's rows from the service's plain detail."""
    levels = {
        level: LevelView([IngredientLine(line.code, line.name, line.gross_grams, line.edible_factor, line.measure)
                          for line in found.lines],
                         dict(found.nutrients), {k: list(v) for k, v in found.incomplete.items()},
                         dict(found.estimated))
        for level, found in detail.levels.items()
    }
    return RecipeDetail(detail.recipe, levels, dict(detail.food_names))


class RecipesPage(QWidget):
    def __init__(self, db: Database, runner: TaskRunner, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self._runner = runner
        self._committee_id: int | None = None
        self._region: str | None = None
        self._region_chosen = False
        self._level = "primaria"
        self._pending_select: str | None = None
        self._force_detail = False
        self.user = None  # the member signed in (set by the main window); else the system's user
        self._local = local_names.LocalNames("", [])

        hint = QLabel(_("Elija la región y la comida, y luego una preparación de la lista. A la derecha "
                        "verá cuánto pesar por cada niño y lo que cada niño recibe."))
        hint.setWordWrap(True)
        set_role(hint, "hint")

        self.region_combo = QComboBox()
        self.region_combo.addItem(_("Todas las regiones"), None)
        for key, label in REGION_LABELS.items():
            self.region_combo.addItem(_(label), key)
        self.meal_combo = QComboBox()
        self.meal_combo.addItem(_("Desayuno y almuerzo"), None)
        for key, label in MEAL_LABELS.items():
            self.meal_combo.addItem(_(label), key)
        self.search_field = SearchField(_("Buscar por nombre…"), delay_ms=150)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(_("Región:")))
        filters.addWidget(self.region_combo)
        filters.addSpacing(8)
        filters.addWidget(QLabel(_("Comida:")))
        filters.addWidget(self.meal_combo)
        filters.addSpacing(8)
        filters.addWidget(self.search_field, 1)

        self.model = RecipeListModel(self)
        self.proxy = RowsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.sort(0)
        self.table = DataTable(stretch_column=0, wrap=True)
        self.table.setModel(self.proxy)
        self.count_label = QLabel()
        self.count_label.setWordWrap(True)
        set_role(self.count_label, "muted")
        legend = QLabel(_("{mark} = preparación propia del comité").format(mark=OWN_MARK))
        set_role(legend, "muted")

        style = self.style()
        self.new_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_FileIcon),
                                      _("Nueva preparación del comité"))
        set_role(self.new_button, "primary")
        self.edit_button = QPushButton(_("Editar"))
        self.delete_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_TrashIcon), _("Eliminar"))
        self.own_hint = QLabel()
        self.own_hint.setWordWrap(True)
        set_role(self.own_hint, "muted")
        own_buttons = QHBoxLayout()
        own_buttons.addWidget(self.edit_button)
        own_buttons.addWidget(self.delete_button)
        own_buttons.addStretch(1)

        # the preparation's name in the community's language, printed on the door poster
        self.local_label = QLabel(_("Nombre en la lengua de la comunidad:"))
        self.local_name_edit = QLineEdit()
        self.local_name_edit.setMaxLength(local_names.MAX_NAME)
        self.local_name_edit.setToolTip(_("Sale en el menú de la puerta, debajo del nombre en castellano."))
        self.local_label.setBuddy(self.local_name_edit)
        self.language_edit = QLineEdit()
        self.language_edit.setMaxLength(local_names.MAX_LANGUAGE)
        self.language_edit.setPlaceholderText(_("p. ej. quechua"))
        language_label = QLabel(_("Lengua:"))
        language_label.setBuddy(self.language_edit)
        self.local_save_button = QPushButton(_("Guardar nombre"))
        self.local_clear_button = QPushButton(_("Quitar"))
        self.local_status = QLabel()
        self.local_status.setWordWrap(True)
        set_role(self.local_status, "muted")
        self.language_edit.setMinimumWidth(130)
        name_row = QHBoxLayout()
        name_row.addWidget(self.local_label)
        name_row.addWidget(self.local_name_edit, 1)
        local_row = QHBoxLayout()
        local_row.addWidget(language_label)
        local_row.addWidget(self.language_edit)
        local_row.addWidget(self.local_save_button)
        local_row.addWidget(self.local_clear_button)
        local_row.addWidget(self.local_status, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.count_label)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(legend)
        left_layout.addWidget(self.new_button)
        left_layout.addLayout(own_buttons)
        left_layout.addWidget(self.own_hint)

        self.view = RecipeView()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.view)
        self.view.setContentsMargins(10, 0, 10, 10)

        right = QWidget()  # the local name above the preparation it names
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(10, 0, 0, 0)
        right_layout.addLayout(name_row)
        right_layout.addLayout(local_row)
        right_layout.addWidget(scroll, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 7)
        splitter.setSizes([340, 760])
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

        self.region_combo.currentIndexChanged.connect(self._region_picked)
        self.meal_combo.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.search_field.settled.connect(lambda _t: self._apply_filter())
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.view.level_changed.connect(self._level_picked)
        self.new_button.clicked.connect(lambda: self.open_editor())
        self.edit_button.clicked.connect(self._edit_selected)
        self.delete_button.clicked.connect(self._delete_selected)
        self.local_save_button.clicked.connect(self.save_local_name)
        self.local_name_edit.returnPressed.connect(self.save_local_name)
        self.local_clear_button.clicked.connect(self.clear_local_name)
        self.local_name_edit.textEdited.connect(lambda _t: self._update_buttons())
        self._update_buttons()

    # ------------------------------------------------------------------ committee and list
    def set_committee(self, committee_id: int | None, region: str | None = None) -> None:
        """Show this committee's own preparations; start on its region unless the user chose one."""
        self._committee_id = committee_id
        self._region = region
        if region and not self._region_chosen:
            index = self.region_combo.findData(region)
            if index >= 0:
                self.region_combo.blockSignals(True)
                self.region_combo.setCurrentIndex(index)
                self.region_combo.blockSignals(False)
        self._update_buttons()
        self.reload()

    def reload(self, select_id: str | None = None) -> None:
        """Read the list again (after a change); the selected preparation's detail is read again too."""
        db, committee_id = self._db, self._committee_id
        self._pending_select = select_id or self.selected_id()
        self._force_detail = True
        self._runner.run(lambda: recipes.list_recipes(db, committee_id=committee_id), self._show_list,
                         key="recipes.list", owner=self)
        if committee_id is not None:
            self._runner.run(lambda: local_names.list_local_names(db, committee_id), self._show_local_names,
                             key="recipes.local_names", owner=self)

    def _show_list(self, rows: list[RecipeSummary]) -> None:
        self.model.set_rows(rows)
        self._apply_filter()

    def _region_picked(self, _index: int) -> None:
        self._region_chosen = True
        self._apply_filter()

    def _apply_filter(self) -> None:
        region, meal = self.region_combo.currentData(), self.meal_combo.currentData()
        needle = fold(self.search_field.text())

        def accept(r: RecipeSummary) -> bool:
            return ((region is None or r.region == region) and (meal is None or r.meal == meal)
                    and (not needle or needle in fold(r.name)))

        keep = self._pending_select or self.selected_id()
        self._pending_select = None
        force, self._force_detail = self._force_detail, False
        self.proxy.set_filter(accept)
        shown = self.proxy.rowCount()
        if shown == 0:
            self.count_label.setText(_("Ninguna preparación con estos filtros. Elija «Todas las regiones» "
                                       "o «Desayuno y almuerzo», o borre el texto de búsqueda."))
            self.view.clear(_("No hay preparaciones para mostrar"))
        else:
            self.count_label.setText(_("{n} preparaciones").format(n=shown) if shown != 1 else _("1 preparación"))
            asked = getattr(self, "_detail_requests", 0)
            if not self.select_recipe(keep or ""):
                self.table.selectRow(0)
            if getattr(self, "_detail_requests", 0) == asked:  # the selection did not move (moving reads it)
                self._show_selected(force=force)
        self._update_buttons()

    # ------------------------------------------------------------------ selection and detail
    def selected(self) -> RecipeSummary | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def selected_id(self) -> str | None:
        summary = self.selected()
        return summary.id if summary else None

    def select_recipe(self, recipe_id: str) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if self.model.row_at(self.proxy.mapToSource(index).row()).id == recipe_id:
                self.table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                self.table.scrollTo(index)
                return True
        return False

    def _row_changed(self, _current, _previous) -> None:
        self.local_status.setText("")
        self._fill_local_name()
        self._update_buttons()
        self._show_selected()

    def _show_selected(self, *, force: bool = False) -> None:
        """Load the selected preparation's detail unless it is already shown (``force``: it changed)."""
        recipe_id = self.selected_id()
        if recipe_id is None:
            return
        if not force and self.view.detail is not None and self.view.detail.recipe.id == recipe_id:
            return
        if not force and getattr(self, "_detail_asked", None) == recipe_id:
            return  # already being read
        db = self._db
        self._detail_asked = recipe_id
        self._detail_requests = getattr(self, "_detail_requests", 0) + 1
        self._runner.run(lambda: recipes.recipe_detail(db, recipe_id), self._show_detail, on_error=self._detail_failed,
                         key="recipes.detail", owner=self)

    def _show_detail(self, detail: recipes.RecipeDetail) -> None:
        self._detail_asked = None
        self.view.show_detail(detail_view(detail), self._level)

    def _detail_failed(self, error: Exception) -> None:
        self._detail_asked = None
        self.view.clear(str(error))

    def _level_picked(self, level: str) -> None:
        self._level = level

    def set_level(self, level: str) -> None:
        self._level = level
        self.view.set_level(level)

    # ------------------------------------------------------------------ name in the community's language
    def _show_local_names(self, found: local_names.LocalNames) -> None:
        self._local = found
        if not self.language_edit.isModified() or not self.language_edit.text().strip():
            self.language_edit.setText(found.language)
        self._fill_local_name()
        self._update_buttons()

    def _fill_local_name(self) -> None:
        recipe_id = self.selected_id()
        self.local_name_edit.setText(self._local.as_dict().get(recipe_id or "", ""))

    def save_local_name(self) -> None:
        """Save (through the task runner) the selected preparation's name in the community's language."""
        recipe_id, name = self.selected_id(), self.local_name_edit.text().strip()
        if recipe_id is None or self._committee_id is None:
            return
        if not name:
            self.clear_local_name()
            return
        language = self.language_edit.text().strip() or None
        self._write_local(lambda db, cid, user: local_names.set_local_name(db, cid, recipe_id, name, user=user,
                                                                           language=language),
                          _("Nombre en la lengua de la comunidad guardado: sale en el menú de la puerta."))

    def clear_local_name(self) -> None:
        recipe_id = self.selected_id()
        if recipe_id is None or self._committee_id is None:
            return
        self._write_local(lambda db, cid, user: local_names.clear_local_name(db, cid, recipe_id, user=user),
                          _("Nombre en la lengua de la comunidad quitado."))

    def _write_local(self, call, message: str) -> None:
        db, cid, user = self._db, self._committee_id, self.user or _system_user()
        self.local_save_button.setEnabled(False)
        self.local_clear_button.setEnabled(False)

        def done(found: local_names.LocalNames) -> None:
            self.language_edit.setModified(False)
            self._show_local_names(found)
            self.local_status.setText(message)

        def failed(error: Exception) -> None:
            self._update_buttons()
            self.local_status.setText(str(error))

        self._runner.run(lambda: call(db, cid, user), done, on_error=failed,
                         progress=_("Guardando el nombre…"), owner=self)

    # ------------------------------------------------------------------ own preparations
    def _update_buttons(self) -> None:
        own = self.selected()
        can_name = self._committee_id is not None and own is not None
        for widget in (self.local_name_edit, self.language_edit, self.local_save_button):
            widget.setEnabled(can_name)
        self.local_clear_button.setEnabled(can_name and bool(self._local.as_dict().get(own.id if own else "")))
        can_edit = self._committee_id is not None and own is not None and own.committee_own
        self.new_button.setEnabled(self._committee_id is not None)
        self.edit_button.setEnabled(can_edit)
        self.delete_button.setEnabled(can_edit)
        if self._committee_id is None:
            self.own_hint.setText(_("Para crear preparaciones propias, registre primero el comité en «Comité»."))
        elif own is not None and not own.committee_own:
            self.own_hint.setText(_("Las preparaciones del recetario no se cambian; puede crear una propia."))
        else:
            self.own_hint.setText("")
        self.own_hint.setVisible(bool(self.own_hint.text()))

    def open_editor(self, recipe: RecipeDef | None = None):
        """Open the dialog to create (or edit) a preparation of the committee; returns the dialog."""
        from ..dialogs.recipe_editor import RecipeEditor

        if self._committee_id is None:
            return None
        dialog = RecipeEditor(self._db, self._runner, self._committee_id, recipe, region=self._region, parent=self)
        dialog.saved.connect(lambda saved: self.reload(select_id=saved.id))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _edit_selected(self) -> None:
        if self.view.detail is not None and self.view.detail.recipe.committee_own:
            self.open_editor(self.view.detail.recipe)

    def _delete_selected(self) -> None:
        summary = self.selected()
        if summary is None or not summary.committee_own or self._committee_id is None:
            return
        if confirm(self, _("Eliminar preparación"),
                   _("¿Eliminar la preparación «{name}» del comité? Esto no se puede deshacer.").format(
                       name=summary.name), _("Eliminar")):
            self.delete_recipe(summary.id)

    def delete_recipe(self, recipe_id: str) -> None:
        db, committee_id = self._db, self._committee_id
        self.view.clear()
        self._runner.run(lambda: recipes.delete_own_recipe(db, committee_id, recipe_id),
                         lambda _r: self.reload(), progress=_("Eliminando la preparación…"), owner=self)
