"""«Proponer menú»: the period to propose, then the proposal beside the current plan — what changes on
each day and why, what it costs, what it could not meet — accepted whole or day by day.

Like the other Menú dialogs it calls no service: it emits ``propose_requested`` (the period) and
``accept_requested`` (the days, None for all); the page runs the services on the task runner and calls
:meth:`ProposeDialog.show_proposal`, :meth:`show_error` or :meth:`done_ok`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from qaliwarma.domain.foods import named_foods
from qaliwarma.vocab import format_kg, format_money, weekday_name

from ..i18n import _
from ..theme import set_role
from .menu_dialogs import date_edit, to_date

SHOWN_ITEMS = 6  # foods to buy and store lots named in the dialog (all of them in its tooltip)


class ProposeDialog(QDialog):
    propose_requested = Signal(object)  # {"start", "end", "keep_past"}
    accept_requested = Signal(object)  # set of days, or None for every day

    def __init__(self, start: date, end: date, parent=None, *, region: str = "") -> None:
        super().__init__(parent)
        self.region = region  # the school's: preparations of another region are named as such
        self.setWindowTitle(_("Proponer menú"))
        self.setMinimumSize(900, 620)
        self.proposal = None
        self.day_rows: dict[date, int] = {}
        intro = QLabel(_("La aplicación propone una preparación para cada día de clase, comida y nivel: cumple el "
                         "estándar nutricional y las reglas de la semana, usa primero lo que hay en el almacén (lo "
                         "que vence antes, primero) y cuesta lo menos posible. Usted revisa los cambios y acepta "
                         "todos o día por día."))
        intro.setWordWrap(True)
        set_role(intro, "hint")
        self.start = date_edit(start)
        self.end = date_edit(end)
        self.keep_past = QCheckBox(_("Conservar los días que ya pasaron tal como están"))
        self.keep_past.setChecked(True)
        self.propose_button = QPushButton(_("Proponer"))
        set_role(self.propose_button, "primary")
        # one row: the two dates stacked took three lines of the height the table of changes needs
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Primer día")))
        top.addWidget(self.start)
        top.addSpacing(12)
        top.addWidget(QLabel(_("Último día")))
        top.addWidget(self.end)
        top.addSpacing(12)
        top.addWidget(self.keep_past)
        top.addSpacing(12)
        top.addWidget(self.propose_button)
        top.addStretch(1)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_role(self.error, "error")
        self.error.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.cost = QLabel()
        self.cost.setWordWrap(True)
        self.unmet = QLabel()
        self.unmet.setWordWrap(True)
        self.unmet.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_role(self.unmet, "error")
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([_("Aceptar"), _("Día"), _("Cambia (actual → propuesta)"),
                                              _("Por qué")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(lambda *_args: self.table.resizeRowsToContents())  # wrapped text fits
        self.accept_all_button = QPushButton(_("Aceptar todo"))
        set_role(self.accept_all_button, "primary")
        self.accept_marked_button = QPushButton(_("Aceptar los días marcados"))
        self.close_button = QPushButton(_("Cerrar"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_all_button)
        buttons.addWidget(self.accept_marked_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addWidget(self.unmet)
        layout.addWidget(self.cost)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._show_results(False)

        self.propose_button.clicked.connect(self._propose)
        self.accept_all_button.clicked.connect(lambda: self._accept(None))
        self.accept_marked_button.clicked.connect(lambda: self._accept(self.marked_days()))
        self.close_button.clicked.connect(self.reject)

    # ------------------------------------------------------------------ asking
    def _propose(self) -> None:
        from .date_entry import date_typed_wrong

        wrong = date_typed_wrong(self)
        if wrong is not None:  # the date it shows is not the one typed: nothing is proposed for it
            self.show_error(wrong.warning())
            wrong.setFocus()
            return
        self.error.hide()
        start, end = to_date(self.start.date()), to_date(self.end.date())
        if start > end:
            self.show_error(_("El primer día es posterior al último."))
            return
        self.propose_button.setEnabled(False)
        self._show_results(False)
        self.status.setText(_("Buscando el mejor menú…"))
        self.status.show()
        self.propose_requested.emit({"start": start, "end": end, "keep_past": self.keep_past.isChecked()})

    def _accept(self, days) -> None:
        self.error.hide()
        if days is not None and not days:
            self.show_error(_("Marque al menos un día para aceptarlo."))
            return
        for button in (self.accept_all_button, self.accept_marked_button):
            button.setEnabled(False)
        self.accept_requested.emit(days)

    def marked_days(self) -> set[date]:
        return {day for day, row in self.day_rows.items()
                if self.table.item(row, 0).checkState() == Qt.CheckState.Checked}

    def set_marked(self, day: date, marked: bool) -> None:
        self.table.item(self.day_rows[day], 0).setCheckState(Qt.CheckState.Checked if marked
                                                             else Qt.CheckState.Unchecked)

    # ------------------------------------------------------------------ showing
    def _show_results(self, shown: bool) -> None:
        for widget in (self.status, self.cost, self.unmet, self.table, self.accept_all_button,
                       self.accept_marked_button):
            widget.setVisible(shown)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.propose_button.setEnabled(True)
        has_changes = bool(self.day_rows)
        for button in (self.accept_all_button, self.accept_marked_button):
            button.setEnabled(has_changes)
        if self.proposal is None:
            self.status.hide()

    def done_ok(self) -> None:
        self.accept()

    def show_proposal(self, proposal, changes, comparison, names: dict[str, str]) -> None:
        """The proposal, its changes against the current plan (grouped by day) and its cost."""
        self.proposal = proposal
        self.propose_button.setEnabled(True)
        self._show_results(True)
        if proposal.ok:
            self.status.setText(_("La propuesta cumple el estándar y las reglas de la semana en todos los días."))
            set_role(self.status, "ok")
        else:
            self.status.setText(_("Ningún menú cumple todo con lo disponible: esta es la propuesta más cercana. "
                                  "No se cumple:"))
            set_role(self.status, "error")
        from qaliwarma.services.propose import foreign_text

        said = [f"• {u.text}" for u in proposal.unmet]
        foreign = foreign_text(proposal, self.region) if self.region else ""
        self.unmet.setText("\n".join(said + ([foreign] if foreign else [])))
        set_role(self.unmet, "error" if said else "hint")  # only another region's dishes: a notice, not a failure
        self.unmet.setVisible(bool(said or foreign))
        cost = ""
        if proposal.cost_per_ration is not None:
            cost = _("Costo por ración: {cost} ({n} raciones).").format(
                cost=format_money(proposal.cost_per_ration), n=proposal.rations)
            if comparison is not None and comparison.current is not None and comparison.percent is not None:
                cost += " " + _("El plan actual: {cost} ({pct:+.1f} %).").format(
                    cost=format_money(comparison.current), pct=comparison.percent)
                if comparison.dearer:
                    cost += " " + _("Lo que la encarece: {foods}.").format(foods="; ".join(comparison.dearer))
        elif proposal.missing_prices:
            cost = _("No se puede calcular el costo: falta el precio de {codes}.").format(
                codes=named_foods(proposal.missing_prices, names))
        # the lists are cut at a few items (the whole of them in the tooltip): written out, they took the height
        # the table of changes needs, which showed one day at a time even with the dialog maximised
        full = cost
        buy = [f"{b.name} {format_kg(b.grams)}" for b in proposal.purchases if b.grams > 0]
        used = [_("lote {lot} ({code}) {kg}").format(lot=lt.lot, code=lt.food_code, kg=format_kg(lt.used_grams))
                for lt in proposal.lots if lt.used_grams > 0]
        for items, text in ((buy, _("Para comprar (lo que el almacén no cubre en el periodo; incluye lo que falta en el almacén): {foods}.")), (used, _("Del almacén, primero lo que vence antes: "
                                                                          "{foods}."))):
            if items:
                cost += "\n" + text.format(foods=", ".join(items[:SHOWN_ITEMS]) + (
                    " " + _("y {n} más").format(n=len(items) - SHOWN_ITEMS) if len(items) > SHOWN_ITEMS else ""))
                full += "\n" + text.format(foods=", ".join(items))
        self.cost.setToolTip(full.strip() if full != cost else "")
        self.cost.setText(cost)
        self.cost.setVisible(bool(cost))
        unmet_days = proposal.unmet_days()
        by_day: dict[date, list] = defaultdict(list)
        for c in changes:
            by_day[c.day].append(c)
        self.day_rows = {}
        self.table.setRowCount(len(by_day))
        for row, day in enumerate(sorted(by_day)):
            self.day_rows[day] = row
            check = QTableWidgetItem()
            check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            check.setCheckState(Qt.CheckState.Checked)
            self.table.setItem(row, 0, check)
            label = f"{weekday_name(day).capitalize()} {day:%d/%m}"
            if day in unmet_days:
                label += " ⚠"
            self.table.setItem(row, 1, QTableWidgetItem(label))
            self.table.setItem(row, 2, QTableWidgetItem("\n".join(self._describe(by_day[day], names))))
            reasons = list(dict.fromkeys(c.reason for c in by_day[day]))
            self.table.setItem(row, 3, QTableWidgetItem("\n".join(reasons)))
        self.table.resizeRowsToContents()
        if not by_day:
            self.status.setText(self.status.text() + " " + _("La propuesta es igual al plan actual: no hay nada "
                                                             "que cambiar."))
        for button in (self.accept_all_button, self.accept_marked_button):
            button.setEnabled(bool(by_day))

    @staticmethod
    def _describe(changes, names: dict[str, str]) -> list[str]:
        """«desayuno: Api … → Cañihua …», one line per meal when every level changes alike."""
        lines = []
        by_meal: dict[str, list] = defaultdict(list)
        for c in changes:
            by_meal[c.meal].append(c)
        for meal, items in by_meal.items():
            pairs = {(c.current, c.proposed) for c in items}
            if len(pairs) == 1:
                before, after = next(iter(pairs))
                lines.append(_("{meal}: {before} → {after}").format(
                    meal=_(meal), before=names.get(before, before) if before else _("(sin preparación)"),
                    after=names.get(after, after)))
            else:
                for c in items:
                    lines.append(_("{meal} de {level}: {before} → {after}").format(
                        meal=_(meal), level=_(c.level),
                        before=names.get(c.current, c.current) if c.current else _("(sin preparación)"),
                        after=names.get(c.proposed, c.proposed)))
        return lines
