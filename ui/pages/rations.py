"""Raciones: the day's rations, filled fast in a grid (meals × levels) and saved at once; the food used
leaves the store by the dosing unless corrected with a reason. The month shows which school days have
their record; its rations register is printed from here. A record is voided with a reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.domain.stock import OUTSIDE_ORIGINS
from qaliwarma.errors import InvalidInput
from qaliwarma.services.store_views import DayData, MonthDay, issue_preview, load_day, load_month

from ..i18n import _, ngettext
from ..models.base import RowsProxy
from ..models.rations_received_rows import month_bounds
from ..models.stock_format import fmt_date, fmt_kg, fmt_number, long_date, month_name
from ..models.stock_lists import MonthDaysModel
from ..theme import set_role
from ..widgets import stock_common as common
from ..widgets.lazy_page import LazyPage
from ..widgets.rations_received_balance import RationBalanceView
from ..widgets.rations_received_leftovers import leftovers_on_own_line
from ..widgets.stock_day_grid import DayGrid, ServiceCell
from ..widgets.stock_pdf import make_pdf
from ..widgets.table import DataTable

HINT_PRODUCTS = ("Escriba cuántas raciones se sirvieron y cuántos niños asistieron (Tab pasa a la casilla "
                 "siguiente). La preparación viene del menú: cámbiela si se cocinó otra. «Guardar el día» descuenta "
                 "del almacén lo que usó la cocina.")  # two lines at 1366 pixels: the meals need the room
HINT_RACIONES = ("Escriba cuántas raciones se sirvieron, cuántos niños asistieron y cuántas raciones sobraron "
                 "(la tecla Tab pasa a la casilla siguiente). Las raciones aceptadas en «Recepción» deben ser "
                 "las servidas más las sobras: la cuenta de cada día está en la pestaña «El mes».")


OUTSIDE_NAMED = 2  # foods from outside the store named beside their origin; the others counted


class RationsPage(LazyPage):
    TITLE = "Raciones"

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._dirty = True
        self.data: DayData | None = None
        self._just_saved = False
        # numbers typed and not saved when the day was changed, and the day they were typed on: they go with
        # the user to the next day that has those cells open (a day typed over the wrong date is put right
        # without typing the numbers again); kept across days whose records are closed, dropped once saved
        self._carried: tuple[dict, date] | None = None
        today = common.today()
        self.month = (today.year, today.month)
        self.start_frame(_("Raciones servidas"))
        self.tabs.addTab(self._build_day(), _("Registrar un día"))
        self.tabs.addTab(self._build_month(), _("El mes"))
        self.finish_frame(ctx, ("service", "stock", "menu", "committee", "period"))

    # ------------------------------------------------------------------ building
    def _build_day(self) -> QWidget:
        self.day_edit = common.DayEdit()
        self.day_edit.dateChanged.connect(lambda _d: self.load_day())
        previous = QPushButton(_("◀ Día anterior"))
        previous.clicked.connect(lambda: self.set_day(self.day_edit.day() - timedelta(days=1)))
        following = QPushButton(_("Día siguiente ▶"))
        following.clicked.connect(lambda: self.set_day(self.day_edit.day() + timedelta(days=1)))
        today_button = QPushButton(_("Hoy"))
        today_button.clicked.connect(lambda: self.set_day(common.today()))
        for button in (previous, following, today_button):
            button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.day_info = QLabel()
        self.day_info.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Día:")))
        top.addWidget(previous)
        top.addWidget(self.day_edit)
        top.addWidget(following)
        top.addWidget(today_button)
        top.addStretch(1)
        self.day_hint = hint = QLabel(_(HINT_PRODUCTS))
        hint.setWordWrap(True)
        set_role(hint, "hint")
        self.grid = DayGrid()
        # food that never entered the store (vegetables, seasonings…) cannot leave it: where did it come from?
        self.outside_label = QLabel(_("Lo que no sale del almacén vino de:"))
        self.outside_origin = QComboBox()
        self.outside_origin.setEditable(True)
        self.outside_origin.addItems([_(o) for o in OUTSIDE_ORIGINS])
        self.outside_origin.setCurrentIndex(-1)
        self.outside_origin.lineEdit().setPlaceholderText(_("elija o escriba el origen"))
        self.outside_origin.setMinimumContentsLength(26)
        self.outside_origin.setToolTip(_("Los alimentos de la preparación que nunca entraron al almacén (por ejemplo, "
                                         "verduras que traen los padres) se registran como alimentos de fuera del "
                                         "almacén, con su origen. Sin origen, no se guardan."))
        self.outside_label.setBuddy(self.outside_origin)
        self.outside_foods = QLabel()
        self.outside_foods.setWordWrap(True)
        set_role(self.outside_foods, "muted")
        outside_row = QHBoxLayout()
        outside_row.addWidget(self.outside_label)
        outside_row.addWidget(self.outside_origin)
        outside_row.addWidget(self.outside_foods, 1)
        grid_holder = QWidget()
        holder_layout = QVBoxLayout(grid_holder)
        holder_layout.setContentsMargins(0, 0, 4, 0)
        holder_layout.addWidget(self.grid)
        holder_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(grid_holder)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save_button = QPushButton(_("Guardar el día"))
        set_role(self.save_button, "primary")
        self.save_button.clicked.connect(self.save_day)
        self.issue_button = QPushButton(_("Salida del almacén del día…"))
        self.issue_button.setToolTip(_("Confirme o corrija lo que salió del almacén a cocina: producto, lote y "
                                       "cantidad, frente a lo que dicen las raciones."))
        self.issue_button.clicked.connect(self.open_issue)
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.issue_button, 0, Qt.AlignmentFlag.AlignBottom)
        bar.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignBottom)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.day_info)
        layout.addWidget(hint)
        layout.addLayout(outside_row)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(bar)
        return page

    def outside_origin_text(self) -> str:
        """The origin typed or chosen for the day's food from outside the store ("" when none)."""
        text = self.outside_origin.currentText().strip()
        return next((o for o in OUTSIDE_ORIGINS if _(o) == text), text)  # the origin as recorded, in Spanish

    def _show_outside_foods(self, data: DayData) -> None:
        set_role(self.outside_label, "")
        store = data.modality != "raciones"  # ready rations come from the supplier, not from a store
        for widget in (self.outside_label, self.outside_origin, self.outside_foods):
            widget.setVisible(store)
        if data.outside_foods:
            # two names and how many more, the whole list on the pointer: at 768 pixels the whole list (five lines
            # beside the origin) pushed Almuerzo's Raciones and Asistentes below the fold
            every = _("Según el menú, nunca entraron al almacén: {foods}.").format(foods=", ".join(data.outside_foods))
            more = len(data.outside_foods) - OUTSIDE_NAMED
            self.outside_foods.setText(every if more <= 0 else _(
                "Según el menú, nunca entraron al almacén: {foods} y {n} más.").format(
                foods=", ".join(data.outside_foods[:OUTSIDE_NAMED]), n=more))
            self.outside_foods.setToolTip(every)
        else:
            self.outside_foods.setToolTip("")
            self.outside_foods.setText(_("Solo hace falta si la preparación lleva algo que nunca entró al almacén."))

    def _build_month(self) -> QWidget:
        previous = QPushButton(_("◀ Mes anterior"))
        previous.clicked.connect(lambda: self.move_month(-1))
        following = QPushButton(_("Mes siguiente ▶"))
        following.clicked.connect(lambda: self.move_month(1))
        self.month_label = QLabel()
        set_role(self.month_label, "heading")
        self.month_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.print_button = QPushButton(_("Imprimir registro de raciones del mes"))
        set_role(self.print_button, "primary")
        self.print_button.clicked.connect(self.print_month)
        top = QHBoxLayout()
        top.addWidget(previous)
        top.addWidget(self.month_label, 1)
        top.addWidget(following)
        self.month_summary = QLabel()
        self.month_summary.setWordWrap(True)
        self.month_model = MonthDaysModel(self)
        self.month_proxy = RowsProxy(self)
        self.month_proxy.setSourceModel(self.month_model)
        self.month_table = DataTable(stretch_column=2)
        self.month_table.setModel(self.month_proxy)
        self.month_table.doubleClicked.connect(lambda _i: self.open_selected_day())
        open_button = QPushButton(_("Ver o registrar el día elegido"))
        open_button.clicked.connect(self.open_selected_day)
        bar = QHBoxLayout()
        bar.addWidget(open_button)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.month_summary)
        layout.addWidget(self.month_table, 1)
        layout.addLayout(bar)
        self.balance = RationBalanceView()  # raciones modality: rations accepted vs served + left over
        self.balance.hide()
        layout.addWidget(self.balance, 1)
        return page

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        self._dirty = False
        self.stack.setCurrentIndex(0 if self.ctx.committee is None else 1)
        if self.ctx.committee is None:
            return
        self.load_day()
        self.load_month()

    def set_day(self, day: date) -> None:
        if day == self.day_edit.day():
            self.load_day()
        else:
            self.day_edit.set_day(day)  # dateChanged loads it

    def load_day(self) -> None:
        info = self.ctx.committee
        if info is None:
            return
        db, day = self.ctx.db, self.day_edit.day()
        self.save_button.setEnabled(False)
        self.ctx.runner.run(lambda: load_day(db, info, day), self._day_loaded, on_error=self._error,
                            key="rations.day", owner=self)

    def _day_loaded(self, data: DayData) -> None:
        same_day = self.data is not None and self.data.day == data.day
        typed = self._typed() if same_day else {}
        if not same_day and self.data is not None:
            left = self._typed()
            if left:  # the store's decision for a day (override) is that day's: not carried
                self._carried = ({key: (*values[:4], None, "") for key, values in left.items()}, self.data.day)
            if self._carried is not None:
                typed = self._carried[0]
        carried_from = None
        if not same_day:  # another day: the origin chosen for the last one's outside food is not this one's
            self.outside_origin.setCurrentIndex(-1)
            self.outside_origin.setEditText("")
            self.banner.hide()  # what was said of the last day's records (a refusal, a warning) is not of this one
        self.data = data
        self.grid.build(data)
        self._show_outside_foods(data)
        if data.modality == "raciones":
            for cell in self.grid.cells.values():
                leftovers_on_own_line(cell)
        restored = 0
        for key, values in typed.items():  # coming back to the page keeps what was typed and not saved
            cell = self.grid.cells.get(key)
            if cell is not None and cell.record is None:
                cell.restore(values)
                restored += 1
        if not same_day and restored and self._carried is not None:
            carried_from, self._carried = self._carried[1], None
        for cell in self.grid.cells.values():
            cell.override_requested.connect(self.open_override)
            cell.reverse_requested.connect(self.open_reverse)
        first, last = self.grid.first_field(), self.grid.last_field()
        if first is not None:
            QWidget.setTabOrder(self.day_edit, first)
        if last is not None:
            QWidget.setTabOrder(last, self.save_button)
        open_cells = [c for c in self.grid.cells.values() if c.record is None]
        text = long_date(data.day)
        text = text[:1].upper() + text[1:]
        if data.why_not:
            text += " · " + _("no es día de clases ({why})").format(why=data.why_not)
        elif data.plan_name:
            text += " · " + _("menú «{plan}»").format(plan=data.plan_name)
        else:
            text += " · " + _("no hay menú planificado para este día: elija las preparaciones")
        if data.day > common.today():
            text += " · " + _("todavía no llega este día")
        self.day_info.setText(text)
        set_role(self.day_info, "error" if data.why_not else "heading")
        ahead = data.day > common.today()  # nothing that happened is recorded ahead of today (Journal.append)
        self.save_button.setEnabled(bool(open_cells) and not ahead and not data.closed)
        self.issue_button.setEnabled(any(c.record is not None for c in self.grid.cells.values()) and not data.closed)
        if self._just_saved:
            self._just_saved = False  # the message of what was saved stays
        elif data.closed:  # «anúlelo y vuelva a escribirlo» cannot be done in a closed month: said before anything
            self._set_status(_("{month} está cerrado: sus días ya no se registran ni se vuelven a escribir. Un "
                               "registro que no debió existir (anotado dos veces, o de otro día) se puede anular; "
                               "la anulación se anota hoy y el informe firmado al cerrar no cambia.").format(
                month=_month_name(data.day)))
        elif ahead and open_cells:
            self._set_status(_("Este día todavía no llega: sus raciones se anotan ese día, después de servirlas."))
        elif not open_cells:
            self._set_status(_("✓ Este día ya está registrado. Para corregir un registro, anúlelo y vuelva a "
                               "escribirlo."), ok=True)
        elif carried_from is not None:
            self._set_status(_("Lo escrito sin guardar el {before} pasó a este día: revíselo y pulse «Guardar el "
                               "día».").format(before=fmt_date(carried_from)))
        else:
            self._set_status("")

    def _typed(self) -> dict:
        return {key: cell.typed() for key, cell in self.grid.cells.items() if cell.record is None and
                not cell.is_empty()}

    def load_month(self) -> None:
        info = self.ctx.committee
        if info is None:
            return
        db, (year, month) = self.ctx.db, self.month
        self.month_label.setText(month_name(year, month))
        self.ctx.runner.run(lambda: load_month(db, info, year, month), self._month_loaded, on_error=self._error,
                            key="rations.month", owner=self)
        raciones = info.form.modality == "raciones"
        self.balance.setVisible(raciones)
        self.day_hint.setText(_(HINT_RACIONES if raciones else HINT_PRODUCTS))
        if raciones:
            from qaliwarma.services.rations_received import reconcile

            start, end = month_bounds(year, month)
            self.ctx.runner.run(lambda: reconcile(db, info, start, end), self.balance.set_rows, on_error=self._error,
                                key="rations.balance", owner=self)

    def _month_loaded(self, days: list[MonthDay]) -> None:
        self.month_model.today = common.today()
        self.month_model.set_rows(days)
        school = [d for d in days if d.school_day]
        missing = [d for d in days if self.month_model.missing(d)]
        total = sum(d.rations for d in days)
        text = _("{n} días de clases · {rations} raciones registradas").format(n=len(school),
                                                                             rations=fmt_number(total, 0))
        if missing:
            text += " · " + _("{n} días pasados sin registro completo (en ámbar)").format(n=len(missing))
        self.month_summary.setText(text)
        set_role(self.month_summary, "summary")
        self.print_button.setEnabled(bool(days))

    def move_month(self, step: int) -> None:
        year, month = self.month
        month += step
        year, month = (year + (month - 1) // 12, (month - 1) % 12 + 1)
        self.month = (year, month)
        self.load_month()

    def open_selected_day(self) -> None:
        index = self.month_table.selectionModel().currentIndex()
        if index.isValid():
            row = self.month_model.row_at(self.month_proxy.mapToSource(index).row())
            self.tabs.setCurrentIndex(0)
            self.set_day(row.day)

    def _error(self, error: Exception) -> None:
        self.banner.show_message(common.error_text(error), error=True)

    # ------------------------------------------------------------------ saving
    def save_day(self) -> None:
        info, data = self.ctx.committee, self.data
        if info is None or data is None:
            return
        cells = [c for c in self.grid.cells.values() if c.record is None and not c.is_empty()]
        for cell in self.grid.cells.values():
            cell.show_problem(None)
        missing = [c for c in cells if c.recipe_id() is None]
        for cell in missing:
            cell.show_problem(_("Elija la preparación que se sirvió."))
        if not cells:
            self._set_status(_("Escriba las raciones servidas en al menos una comida y nivel, y vuelva a pulsar "
                               "«Guardar el día»."), error=True)
            return
        if missing:
            self._set_status(_("Falta la preparación en {n} casilla(s) (en rojo); no se guardó nada.").format(
                n=len(missing)), error=True)
            return
        origin = self.outside_origin_text()
        items = [replace(c.service(data.day), outside_origin=origin) for c in cells]
        db, user = self.ctx.db, self.ctx.user
        from qaliwarma.services import serving

        self.save_button.setEnabled(False)
        self._set_status(_("Guardando…"))
        self.ctx.write(lambda: serving.record(db, info, items, user=user), self._saved,
                            on_error=self._save_failed, progress=_("Guardando las raciones del día…"), owner=self)

    def _saved(self, results) -> None:
        rations = sum(c.rations.value() for c in self.grid.cells.values() if c.record is None and not c.is_empty())
        issued: dict[str, object] = {}
        for result in results:
            for code, grams in result.issued.items():
                issued[code] = issued.get(code, 0) + grams
        text = ngettext(_("✓ Día guardado: {n} registro, {r} raciones."), _("✓ Día guardado: {n} registros, {r} raciones."),
                        len(results)).format(n=len(results), r=fmt_number(rations, 0))
        if issued:
            text += " " + ngettext(_("Salieron del almacén {kg} en {p} producto."),
                                   _("Salieron del almacén {kg} en {p} productos."), len(issued)).format(
                kg=fmt_kg(sum(issued.values())), p=len(issued))
        warnings = [self._in_words(w) for r in results for w in r.warnings]
        self.banner.hide()
        if warnings:
            self.banner.show_message(_("Quedó guardado, pero revise:") + "\n" + "\n".join(warnings))
        self._set_status(text, ok=True)
        self._just_saved = True
        self.load_day()
        self.load_month()

    def _cell_at(self, place: str) -> ServiceCell | None:
        """The cell a service message speaks of ("26/11/2026 almuerzo inicial")."""
        parts = place.split()
        return self.grid.cells.get((parts[1], parts[2])) if len(parts) == 3 else None

    def _in_words(self, text: str) -> str:
        place, _sep, what = text.partition(": ")
        cell = self._cell_at(place)
        return f"{cell.what()}: {what}" if cell is not None and what else text

    def _save_failed(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, InvalidInput) and error.problems:
            lines = []
            if any("nunca entr" in p.what for p in error.problems):  # the origin is what is missing
                set_role(self.outside_label, "error")
                self.outside_origin.setFocus()
            said: dict = {}  # cell -> what it is told: every product short in it, not only the last
            for problem in error.problems:
                cell = self._cell_at(problem.where)
                if cell is not None:
                    said.setdefault(cell, []).append(problem.what[:1].upper() + problem.what[1:])
                    lines.append(f"{cell.what()}: {problem.what}")
                else:
                    lines.append(str(problem))
            for cell, texts in said.items():
                cell.show_problem("\n".join(texts))
            self.banner.show_message(error.summary + "\n" + "\n".join(lines), error=True)
            self._set_status(_("No se guardó nada. Corrija lo que está en rojo y vuelva a pulsar «Guardar el día»."),
                             error=True)
        else:
            self.banner.show_message(common.error_text(error), error=True)
            self._set_status(_("No se guardó nada."), error=True)

    def _set_status(self, text: str, *, error: bool = False, ok: bool = False) -> None:
        self.status.setText(text)
        set_role(self.status, "error" if error else "ok" if ok else "")

    # ------------------------------------------------------------------ the day's issue to the kitchen
    def open_issue(self) -> None:
        """The day's issue, pre-filled from rations × dosing, to confirm or correct (services.kitchen_issue)."""
        from qaliwarma.services.kitchen_issue import day_issue

        info, data = self.ctx.committee, self.data
        if info is None or data is None:
            return
        db, day = self.ctx.db, data.day
        self.ctx.runner.run(lambda: day_issue(db, info, day), self._show_issue, on_error=self._error, owner=self)

    def _show_issue(self, rows) -> None:
        from ..dialogs import kitchen_issue

        day = self.data.day
        answer = kitchen_issue.ask_issue(self, long_date(day)[:1].upper() + long_date(day)[1:], rows)
        if answer is None:
            return
        lines, note = answer
        if not lines:
            self._set_status(_("✓ La salida del almacén quedó como la propuso la dosificación."), ok=True)
            return
        self.record_issue(day, lines, note)

    def record_issue(self, day: date, lines, note: str) -> None:
        """Record ``lines`` ((meal, product, lot, grams)) as what really left the store on ``day``."""
        from qaliwarma.domain.stock import KitchenIssueLine
        from qaliwarma.services import kitchen_issue

        info, db, user = self.ctx.committee, self.ctx.db, self.ctx.user
        items = [KitchenIssueLine(day, meal, code, lot, grams, note=note) for meal, code, lot, grams in lines]

        def done(results) -> None:
            self._set_status(ngettext(_("✓ Salida registrada: {n} producto."), _("✓ Salida registrada: {n} productos."),
                                      len(items)).format(n=len(items)), ok=True)
            self._just_saved = True
            self.load_day()

        self.ctx.write(lambda: kitchen_issue.record(db, info, items, user=user), done, on_error=self._error,
                       progress=_("Registrando la salida del almacén…"), owner=self)

    # ------------------------------------------------------------------ corrections
    def open_override(self, cell: ServiceCell) -> None:
        if cell.recipe_id() is None or cell.rations.value() == 0:
            cell.show_problem(_("Primero elija la preparación y escriba las raciones."))
            return
        db, cid, rid = self.ctx.db, self.ctx.committee.id, cell.recipe_id()
        level, rations = cell.level, cell.rations.value()
        self.ctx.runner.run(lambda: issue_preview(db, cid, rid, level, rations),
                            lambda lines: self._show_override(cell, lines), on_error=self._error, owner=self)

    def _show_override(self, cell: ServiceCell, lines) -> None:
        from ..dialogs.stock_issue import CLEAR, IssueDialog

        what = _("{what}, {n} raciones").format(what=cell.what(), n=cell.rations.value())
        dialog = IssueDialog(self, what, lines, current=cell.override, reason=cell.override_reason)
        result = dialog.exec()
        if result == CLEAR:
            cell.set_override(None)
        elif result:
            cell.set_override(dialog.override(), dialog.reason())

    def open_reverse(self, cell: ServiceCell) -> None:
        from ..dialogs.stock_reason import ask_reason

        if cell.record is None:
            return
        if self.data is not None and self.data.closed:  # it cannot be written again: said before it is annulled
            text = _("{month} está cerrado. Se anulará el registro de {what} ({n} raciones) con fecha de hoy, y lo "
                     "que salió del almacén volverá al stock; ya no se podrá volver a escribir en {month}. Anúlelo solo "
                     "si ese registro no debió existir (por ejemplo, se anotó dos veces).").format(
                month=_month_name(self.data.day), what=cell.what(), n=cell.record.rations)
            example = _("Por ejemplo: se anotó dos veces")
        else:
            text = _("Se anulará el registro de {what} ({n} raciones) y lo que salió del almacén volverá al stock. "
                     "El registro original queda en el diario con su anulación. Después podrá escribirlo de "
                     "nuevo.").format(what=cell.what(), n=cell.record.rations)
            example = _("Por ejemplo: se escribieron mal las raciones")
        reason = ask_reason(self, _("Anular un registro de raciones"), text, _("Anular registro"), placeholder=example)
        if reason:
            self.reverse_record(cell.record.seq, reason)

    def reverse_record(self, seq: int, reason: str) -> None:
        from qaliwarma.services import serving

        db, cid, user, today = self.ctx.db, self.ctx.committee.id, self.ctx.user, common.today()

        def done(_seq) -> None:
            self._set_status(_("✓ Registro anulado; lo que había salido volvió al almacén."), ok=True)
            self._just_saved = True
            self.load_day()
            self.load_month()

        self.ctx.write(lambda: serving.reverse(db, cid, seq, user=user, reason=reason, day=today), done,
                            on_error=self._error, progress=_("Anulando el registro…"), owner=self)

    # ------------------------------------------------------------------ printing
    def print_month(self) -> None:
        info, db, (year, month) = self.ctx.committee, self.ctx.db, self.month
        if info is None:
            return

        def build(out):
            from qaliwarma.reports.rations import build_rations_register

            return build_rations_register(db, info, year, month, out)

        make_pdf(self.ctx, self, f"raciones-{year}-{month:02d}.pdf", build, notice=self.pdf_notice)


def _month_name(day) -> str:
    """«Noviembre de 2026»."""
    from qaliwarma.vocab import period_label

    text = period_label(f"{day:%Y-%m}")
    return text[:1].upper() + text[1:]
