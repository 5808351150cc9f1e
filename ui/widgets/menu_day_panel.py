"""The detail of one day of the Menú: for each meal × level, the preparation (chosen from the region's
bank and the committee's own), whether it meets the standard, what is wrong in plain words, and what
each child gets."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.domain.levels import LEVEL_LABELS, MEAL_LABELS
from qaliwarma.domain.menus import EntryCheck
from qaliwarma.domain.nutrients import format_amount
from qaliwarma.domain.recipes import RecipeSummary
from qaliwarma.services.menu_views import INCOMPLETE, PENDING, DayView, long_day

from ..i18n import _, ngettext
from ..models.recipes import OWN_MARK
from ..theme import ERROR_COLOR, MUTED_COLOR, OK_COLOR, set_role
from .key_nutrients import KEY_NUTRIENTS
from .menu_calendar import NO_SCHOOL_BG, STATUS_STYLE, status_word

NONE_TEXT = "— Sin preparación —"


def key_nutrients_text(nutrients: dict[str, float | None]) -> str:
    """"Energía 319 kcal · Proteínas 13.9 g · Grasa total 12.5 g · Hierro 2.96 mg" (per child)."""
    from qaliwarma.domain.nutrients import BY_KEY

    return " · ".join(f"{_(BY_KEY[k].label_es)} {format_amount(k, nutrients.get(k))}" for k in KEY_NUTRIENTS)


class EntryEditor(QFrame):
    """One meal for one level: the preparation chosen, its verdict and its problems."""

    chosen = Signal(str, str, object)  # meal, level, recipe id or None
    dosing_requested = Signal(str, str)  # recipe id, level

    def __init__(self, meal: str, level: str, children: int, recipes: list[RecipeSummary], parent=None) -> None:
        super().__init__(parent)
        self.meal, self.level = meal, level
        self.recipe_id: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 8)
        layout.setSpacing(4)
        top = QHBoxLayout()
        self.caption = QLabel(_("{level} · {n} niños").format(level=_(LEVEL_LABELS[level]), n=children))
        self.caption.setStyleSheet("font-weight: bold;")
        self.status = QLabel()
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        top.addWidget(self.caption)
        top.addStretch(1)
        top.addWidget(self.status)
        self.combo = QComboBox()
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(10)  # narrow panel at 1366×768; the list opens wide
        self.combo.setToolTip(_("Elija la preparación de este día para {level}").format(
            level=_(LEVEL_LABELS[level]).lower()))
        self._fill(recipes)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.RichText)
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.nutrients = QLabel()
        self.nutrients.setWordWrap(True)
        set_role(self.nutrients, "muted")
        self.dosing = QPushButton(_("Hoja de dosificación (PDF)…"))
        self.dosing.setToolTip(_("Cuánto pesar de cada alimento para los {n} niños de {level}").format(
            n=children, level=_(LEVEL_LABELS[level]).lower()))
        self.dosing.clicked.connect(lambda: self.recipe_id and self.dosing_requested.emit(self.recipe_id, self.level))
        dosing_row = QHBoxLayout()
        dosing_row.addWidget(self.dosing)
        dosing_row.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(self.combo)
        layout.addWidget(self.problems)
        layout.addWidget(self.nutrients)
        layout.addLayout(dosing_row)
        self.combo.currentIndexChanged.connect(self._picked)

    def _fill(self, recipes: list[RecipeSummary]) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(_(NONE_TEXT), None)
        fitting = sorted((r for r in recipes if r.meal == self.meal and self.level in r.levels),
                         key=lambda r: (not r.committee_own, r.name.lower()))
        for r in fitting:
            self.combo.addItem(f"{OWN_MARK} {r.name}" if r.committee_own else r.name, r.id)
            self.combo.setItemData(self.combo.count() - 1, r.name, Qt.ItemDataRole.ToolTipRole)
        view = self.combo.view()
        view.setMinimumWidth(min(view.sizeHintForColumn(0) + 30, 900))
        self.combo.blockSignals(False)

    def _picked(self, _index: int) -> None:
        recipe_id = self.combo.currentData()
        if recipe_id != self.recipe_id:
            self.recipe_id = recipe_id
            self.chosen.emit(self.meal, self.level, recipe_id)

    def set_entry(self, recipe_id: str | None, name: str, check: EntryCheck | None, pending: bool) -> None:
        self.recipe_id = recipe_id
        self.combo.blockSignals(True)
        index = self.combo.findData(recipe_id)
        if index < 0 and recipe_id is not None:  # from a file or another region: keep it visible
            self.combo.addItem(name, recipe_id)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(False)
        self.dosing.setVisible(recipe_id is not None)
        if recipe_id is None:
            self._status(None)
            self.problems.setText(_("Elija una preparación de la lista."))
            set_role(self.problems, "muted")
            self.nutrients.setText("")
        elif check is None:
            self._status(PENDING if pending else None)
            self.problems.setText(_("Revisando si cumple el estándar…"))
            set_role(self.problems, "muted")
            self.nutrients.setText("")
        else:
            self._status(check.status)
            ink = {"ok": OK_COLOR, "unknown": STATUS_STYLE["unknown"][1]}.get(check.status, ERROR_COLOR)
            lines = [f"<span style='color:{ink}; font-weight:bold;'>{escape(p)}</span>" for p in check.problems]
            if not lines:
                meets = escape(_("Cumple las metas del estándar."))  # outside the f-string, for the catalogue
                lines.append(f"<span style='color:{OK_COLOR}; font-weight:bold;'>{meets}</span>")
            lines += [f"<span style='color:{MUTED_COLOR};'>{escape(n)}</span>" for n in check.notices]
            self.problems.setText("<br>".join(lines))
            set_role(self.problems, "")
            self.nutrients.setText(_("Cada niño recibe: {values}").format(values=key_nutrients_text(check.nutrients)))
        self.nutrients.setVisible(bool(self.nutrients.text()))

    def _status(self, status: str | None) -> None:
        bg, ink, _word = STATUS_STYLE.get(status, STATUS_STYLE[None])
        self.status.setText(status_word(status) if status is not None else "")
        self.status.setStyleSheet(f"background: {bg}; color: {ink}; font-weight: bold; border-radius: 4px;"
                                  f" padding: 2px 10px;")
        self.status.setVisible(status is not None)


class DayPanel(QWidget):
    """Shows one day; ``chosen(day, meal, level, recipe_id)`` when the user picks a preparation."""

    chosen = Signal(object, str, str, object)
    dosing_requested = Signal(str, str)  # recipe id, level
    close_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.day: date | None = None
        self.editors: dict[tuple[str, str], EntryEditor] = {}
        self.title = QLabel()
        self.title.setWordWrap(True)
        set_role(self.title, "heading")
        self.close_button = QPushButton(_("Cerrar"))
        self.close_button.setToolTip(_("Cerrar el detalle del día y ver el mes completo"))
        self.close_button.clicked.connect(self.close_requested)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self._body = QWidget()
        self._body_layout = QVBoxLayout(self._body)
        self._body_layout.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 8, 8)
        layout.addLayout(head)
        layout.addWidget(self.message)
        layout.addWidget(self._body)
        layout.addStretch(1)
        self.clear()

    def set_choices(self, meals: tuple[str, ...], levels: list[str], enrolment: dict[str, int],
                    recipes: list[RecipeSummary]) -> None:
        """Build the editors for the school's meals and levels, with the preparations to choose from."""
        while self._body_layout.count():
            item = self._body_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.editors = {}
        for meal in meals:
            box = QGroupBox(_(MEAL_LABELS[meal]))
            box_layout = QVBoxLayout(box)
            for level in levels:
                editor = EntryEditor(meal, level, enrolment.get(level, 0), recipes)
                editor.chosen.connect(lambda m, lv, rid: self.day and self.chosen.emit(self.day, m, lv, rid))
                editor.dosing_requested.connect(self.dosing_requested)
                self.editors[(meal, level)] = editor
                box_layout.addWidget(editor)
            self._body_layout.addWidget(box)

    def clear(self, text: str | None = None) -> None:
        self.day = None
        self.title.setText(_("Elija un día"))
        self.message.setText(text or _("Haga clic en un día del calendario para elegir sus preparaciones y ver "
                                       "si cumplen el estándar."))
        set_role(self.message, "hint")
        self._body.hide()

    def show_day(self, view: DayView, entries: dict[tuple[str, str], str], names: dict[str, str],
                 checks: dict[tuple[str, str], EntryCheck], why_not: str = "") -> None:
        self.day = view.day
        self.title.setText(long_day(view.day))
        if not view.school:
            self.message.setText(_("No se planifican comidas: {why}.").format(why=why_not or view.reason.lower()))
            set_role(self.message, "hint")
            self.message.setStyleSheet(f"background: {NO_SCHOOL_BG};")
            self._body.hide()
            return
        self.message.setStyleSheet("")
        if view.status is None:
            self.message.setText(_("Este día aún no tiene preparaciones: elíjalas abajo."))
        elif view.status == PENDING:
            self.message.setText(_("Revisando si cumple el estándar…"))
        elif view.status == INCOMPLETE:
            self.message.setText(ngettext(
                _("Falta elegir la preparación de {n} comida de este día; las elegidas cumplen. Elíjala abajo."),
                _("Falta elegir la preparación de {n} comidas de este día; las elegidas cumplen. Elíjalas abajo."),
                view.missing).format(n=view.missing))
        elif view.status == "ok":
            self.message.setText(_("Todas las comidas de este día cumplen el estándar."))
        elif view.status == "unknown":
            self.message.setText(_("Faltan datos de algún alimento: no se puede confirmar que cumpla. Vea abajo."))
        else:
            self.message.setText(_("Hay comidas que no cumplen el estándar: abajo dice qué cambiar."))
        set_role(self.message, "summary")
        for (meal, level), editor in self.editors.items():
            recipe_id = entries.get((meal, level))
            editor.set_entry(recipe_id, names.get(recipe_id, recipe_id or ""), checks.get((meal, level)),
                             view.status == PENDING)
        self._body.show()
