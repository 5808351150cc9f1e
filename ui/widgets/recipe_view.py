"""One preparation for one level: what to weigh per child, and what each child gets in nutrients."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from qaliwarma.domain.levels import LEVEL_LABELS, MEAL_LABELS, REGION_LABELS
from qaliwarma.domain.recipes import RecipeDef

from ..i18n import _
from ..models.nutrients import nutrient_lines
from ..models.recipes import IngredientLine, IngredientTableModel
from ..theme import set_role
from .key_nutrients import KEY_NUTRIENTS, KeyNutrients
from .nutrient_grid import NutrientGrid
from .table import DataTable


@dataclass(frozen=True)
class LevelView:
    """What the view shows for one level (computed on the worker)."""

    ingredients: list[IngredientLine]
    nutrients: dict[str, float | None]
    incomplete: dict[str, list[str]]
    estimated: dict[str, tuple] = field(default_factory=dict)  # services.recipes.LevelDetail.estimated


@dataclass(frozen=True)
class RecipeDetail:
    recipe: RecipeDef
    levels: dict[str, LevelView]
    food_names: dict[str, str]


def _summary_part(line) -> str:
    """"520 kcal de energía", "al menos 1.78 mg de hierro" (incomplete), "hierro: sin dato"."""
    name = line.label.lower()
    if not line.known:
        return _("{name}: sin dato").format(name=name)
    if line.incomplete:
        return _("al menos {amount} de {name}").format(amount=line.amount, name=name)
    return _("{amount} de {name}").format(amount=line.amount, name=name)


class RecipeView(QWidget):
    level_changed = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.detail: RecipeDetail | None = None
        self.level: str | None = None

        self.title = QLabel(_("Elija una preparación de la lista"))
        self.title.setWordWrap(True)
        set_role(self.title, "title")
        self.meta = QLabel()
        self.meta.setWordWrap(True)
        set_role(self.meta, "muted")

        level_row = QHBoxLayout()
        self.level_caption = QLabel(_("Nivel:"))
        level_row.addWidget(self.level_caption)
        self.level_group = QButtonGroup(self)
        self.level_group.setExclusive(True)
        self.level_buttons: dict[str, QPushButton] = {}
        for level, label in LEVEL_LABELS.items():
            button = QPushButton(_(label))
            button.setCheckable(True)
            button.setMinimumWidth(130)
            button.clicked.connect(lambda _checked=False, lv=level: self.set_level(lv))
            self.level_group.addButton(button)
            self.level_buttons[level] = button
            level_row.addWidget(button)
        level_row.addStretch(1)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        set_role(self.summary, "summary")
        self.weigh_heading = QLabel()
        set_role(self.weigh_heading, "heading")
        self.ingredient_model = IngredientTableModel(self)
        self.ingredient_table = DataTable(stretch_column=(0, 3), wrap=True, fit=True)
        self.ingredient_table.setSelectionMode(DataTable.SelectionMode.NoSelection)
        self.ingredient_table.setModel(self.ingredient_model)
        self.edible_note = QLabel(_("«Se come»: la parte comestible (sin cáscara, hueso ni agua de la lata); "
                                    "los nutrientes se calculan sobre ella."))
        self.edible_note.setWordWrap(True)
        set_role(self.edible_note, "muted")

        self.nutrients_heading = QLabel()
        set_role(self.nutrients_heading, "heading")
        self.key_nutrients = KeyNutrients(columns=2)
        self.incomplete_note = QLabel()
        self.incomplete_note.setWordWrap(True)
        set_role(self.incomplete_note, "muted")
        self.other_caption = QLabel(_("Otros nutrientes por niño"))
        self.other_caption.setStyleSheet("font-weight: bold;")
        self.other_nutrients = NutrientGrid()

        self.steps_heading = QLabel(_("Preparación"))
        set_role(self.steps_heading, "heading")
        self.steps = QLabel()
        self.steps.setWordWrap(True)
        self.steps.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.source = QLabel()
        self.source.setWordWrap(True)
        set_role(self.source, "muted")

        self._body = QWidget()
        body = QVBoxLayout(self._body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(8)
        body.addLayout(level_row)
        body.addWidget(self.summary)
        body.addWidget(self.weigh_heading)
        body.addWidget(self.ingredient_table)
        body.addWidget(self.edible_note)
        body.addSpacing(6)
        body.addWidget(self.nutrients_heading)
        body.addWidget(self.key_nutrients)
        body.addWidget(self.incomplete_note)
        body.addWidget(self.other_caption)
        body.addWidget(self.other_nutrients)
        body.addSpacing(6)
        body.addWidget(self.steps_heading)
        body.addWidget(self.steps)
        body.addWidget(self.source)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addWidget(self._body)
        layout.addStretch(1)
        self._body.hide()

    # ------------------------------------------------------------------ content
    def clear(self, message: str | None = None) -> None:
        self.detail = None
        self.title.setText(message or _("Elija una preparación de la lista"))
        self.meta.setText("")
        self._body.hide()

    def show_detail(self, detail: RecipeDetail, preferred_level: str | None = None) -> None:
        self.detail = detail
        recipe = detail.recipe
        self.title.setText(recipe.name)
        origin = _("Preparación propia del comité") if recipe.committee_own else _("Recetario regional")
        self.meta.setText(" · ".join([
            _(MEAL_LABELS.get(recipe.meal, recipe.meal)), _(REGION_LABELS.get(recipe.region, recipe.region)), origin]))
        for level, button in self.level_buttons.items():
            button.setVisible(level in recipe.levels)
        self.level_caption.setText(_("Nivel:") if len(recipe.levels) > 1 else _("Dosificada para:"))
        steps = recipe.preparation.strip()
        self.steps_heading.setVisible(bool(steps))
        self.steps.setVisible(bool(steps))
        self.steps.setText(steps)
        source = "\n".join(t for t in (recipe.note.strip(), _("Fuente: {s}").format(s=recipe.source.strip())
                                        if recipe.source.strip() else "") if t)
        self.source.setText(source)
        self.source.setVisible(bool(source))
        self._body.show()
        level = preferred_level if preferred_level in recipe.levels else (recipe.levels[0] if recipe.levels else None)
        if level is not None:
            self.set_level(level, announce=False)

    def set_level(self, level: str, *, announce: bool = True) -> None:
        if self.detail is None or level not in self.detail.levels:
            return
        self.level = level
        self.level_buttons[level].setChecked(True)
        view = self.detail.levels[level]
        label = _(LEVEL_LABELS[level]).lower()
        self.weigh_heading.setText(_("Qué pesar por cada niño de {level}").format(level=label))
        self.ingredient_model.set_rows(view.ingredients)
        lines = nutrient_lines(view.nutrients, view.incomplete, self.detail.food_names, estimated=view.estimated)
        self.nutrients_heading.setText(_("Lo que recibe cada niño de {level}").format(level=label))
        key_lines = [line for line in lines if line.key in KEY_NUTRIENTS]
        self.key_nutrients.set_lines(key_lines)
        self.summary.setText(_("Cada niño de {level} recibe: {values}").format(
            level=label, values=" · ".join(_summary_part(li) for li in key_lines)))
        self.other_nutrients.set_lines([line for line in lines if line.key not in KEY_NUTRIENTS])
        notes = []
        if view.estimated:
            notes.append(_("«≈ estimado»: la tabla de alimentos no tiene el dato de algún ingrediente y se usa un "
                           "valor publicado para ese alimento (el mismo con que se revisa si cumple)."))
        if view.incomplete:
            notes.append(_("«incompleto»: la tabla de alimentos no tiene el dato de algún ingrediente; el valor "
                           "real es algo mayor que el mostrado."))
        self.incomplete_note.setText("\n".join(notes))
        self.incomplete_note.setVisible(bool(notes))
        if announce:
            self.level_changed.emit(level)

    def nutrient_text(self, key: str) -> str:
        """What the view says for a nutrient: "1.78 mg — incompleto: sin dato en E34 (…)" (tests, copy)."""
        if self.detail is None or self.level is None:
            return ""
        view = self.detail.levels[self.level]
        line = next(li for li in nutrient_lines(view.nutrients, view.incomplete, self.detail.food_names,
                                                estimated=view.estimated) if li.key == key)
        return f"{line.amount} — {line.note}" if line.note else line.amount
