"""Menú: the committee's menu plan as a month calendar. Each school day shows its preparations per
meal and level, coloured by how they fare against the nutrition standard (checked on the worker
after every change); a click opens the day to choose its preparations. Copy a week, repeat a cycle,
swap two days, share the plan as a file, print the poster for the school door and the dosing sheets."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qaliwarma import clock, printing
from qaliwarma.domain.calendar import monday_of
from qaliwarma.domain.levels import LEVEL_LABELS, MEAL_LABELS
from qaliwarma.domain.recipes import slugify
from qaliwarma.services import menu_views as menu_data
from qaliwarma.services import planning
from qaliwarma.services.menu_views import MenuData, MonthModel, month_end, month_name, months_between

from ..dialogs.confirm import confirm
from ..i18n import _, ngettext
from ..theme import set_role
from ..widgets import menu_files
from ..widgets.fit import fit_to_items
from ..widgets.menu_dialogs import (
    DatesDialog,
    ErrorBanner,
    NewPlanDialog,
    copy_week_dialog,
    repeat_cycle_dialog,
    swap_days_dialog,
)
from ..widgets.menu_month_view import MenuStart, MonthView
from ..widgets.menu_propose import ProposeDialog

PLAN_FILES = "Planes de menú (*.toml *.csv *.xlsx);;Todos los archivos (*)"


class MenuPage(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = clock.today()
        self.data: MenuData | None = None
        self.check = None  # PlanCheck of the plan shown (may be older than its last change)
        self.month: date | None = None
        self.selected: date | None = None
        self._own_change = False
        self._choices_key: tuple | None = None

        self.banner = ErrorBanner()
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        set_role(self.notice, "ok")
        self.notice.hide()

        # --- the plan
        self.plan_combo = QComboBox()
        fit_to_items(self.plan_combo, limit=420)  # never cut the plan's name
        self.new_button = QPushButton(_("Nuevo plan…"))  # no icons in this row: it must fit 1366×768
        self.import_button = QPushButton(_("Cargar archivo…"))
        self.import_button.setToolTip(_("Cargar un plan de menú de un archivo TOML, CSV o Excel (XLSX)"))
        self.export_button = QPushButton(_("Guardar archivo…"))
        self.export_button.setToolTip(_("Guardar este plan en un archivo TOML para compartirlo con otro comité"))
        self.delete_button = QPushButton(_("Eliminar"))
        top = QHBoxLayout()
        # «Plan:», not «Plan de menú:» (the plan's own name says «Menú de …»): with «Menú de noviembre 2026» the
        # row was wider than the page at 1366×768 and the whole page scrolled sideways
        plan_caption = QLabel(_("Plan:"))
        plan_caption.setStyleSheet("font-weight: bold;")
        top.addWidget(plan_caption)
        top.addWidget(self.plan_combo, 1)
        for button in (self.new_button, self.import_button, self.export_button, self.delete_button):
            top.addWidget(button)

        self.start = MenuStart()
        self.view = MonthView()
        v = self.view
        self.calendar, self.panel, self.panel_area, self.summary, self.month_label = (
            v.calendar, v.panel, v.panel_area, v.summary, v.month_label)
        self.prev_button, self.next_button, self.poster_button = v.prev_button, v.next_button, v.poster_button
        self.copy_button, self.cycle_button, self.swap_button = v.copy_button, v.cycle_button, v.swap_button
        self.propose_button, self.history_button = v.propose_button, v.history_button
        self.create_button = self.start.create_button

        self.stack = QStackedWidget()
        self.stack.addWidget(self.start)
        self.stack.addWidget(self.view)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        self.undo_button = QPushButton(_("Deshacer"))
        self.undo_button.setToolTip(_("Volver a poner lo que había antes de la última elección"))
        self.undo_button.hide()
        self._undo = None
        self.undo_button.clicked.connect(self.undo_last_pick)
        notice_row = QHBoxLayout()
        notice_row.addWidget(self.notice, 1)
        notice_row.addWidget(self.undo_button)
        layout.addLayout(notice_row)
        layout.addWidget(self.stack, 1)

        self.plan_combo.currentIndexChanged.connect(self._plan_picked)
        self.new_button.clicked.connect(lambda: self.open_new_plan())
        self.create_button.clicked.connect(lambda: self.open_new_plan())
        self.import_button.clicked.connect(self._ask_import)
        self.start.import_button.clicked.connect(self._ask_import)
        self.export_button.clicked.connect(self._ask_export)
        self.delete_button.clicked.connect(self._ask_delete)
        self.prev_button.clicked.connect(lambda: self._step_month(-1))
        self.next_button.clicked.connect(lambda: self._step_month(1))
        self.calendar.day_clicked.connect(self.select_day)
        self.panel.chosen.connect(self.assign)
        self.panel.dosing_requested.connect(self.print_dosing)
        self.panel.close_requested.connect(lambda: self.select_day(None))
        self.copy_button.clicked.connect(lambda: self.open_copy_week())
        self.cycle_button.clicked.connect(lambda: self.open_repeat_cycle())
        self.swap_button.clicked.connect(lambda: self.open_swap_days())
        self.propose_button.clicked.connect(lambda: self.open_propose())
        self.history_button.clicked.connect(lambda: self.open_history())
        self.poster_button.clicked.connect(self._ask_poster)
        self.summary.linkActivated.connect(lambda _link: self._ask_poster())
        ctx.committee_changed.connect(lambda _info: self.refresh())
        ctx.data_changed.connect(self._data_changed)
        self._show_empty()

    # ------------------------------------------------------------------ loading
    @property
    def plan(self):
        return self.data.plan if self.data else None

    def refresh(self) -> None:
        if self.ctx.committee is None:
            self.data = None
            self._show_empty()
            return
        self.load(self.plan.info.id if self.plan else None)

    def load(self, plan_id: int | None = None) -> None:
        db, committee, today = self.ctx.db, self.ctx.committee, self.today
        self.ctx.runner.run(lambda: menu_data.load_menu(db, committee, plan_id, today=today), self._loaded,
                            on_error=self.show_error, key="menu.load", owner=self)

    def _loaded(self, data: MenuData) -> None:
        previous = self.plan
        self.data = data
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        for info in data.plans:
            self.plan_combo.addItem(info.name, info.id)
            self.plan_combo.setItemData(self.plan_combo.count() - 1, _("Del {start} al {end}").format(
                start=f"{info.start:%d/%m/%Y}", end=f"{info.end:%d/%m/%Y}"), Qt.ItemDataRole.ToolTipRole)
        if data.plan is not None:
            self.plan_combo.setCurrentIndex(self.plan_combo.findData(data.plan.info.id))
        self.plan_combo.blockSignals(False)
        if data.plan is None:
            self._show_empty()
            return
        committee = self.ctx.committee
        key = (committee.id, tuple(committee.levels), committee.form.quintile,
               tuple((r.id, r.name) for r in data.recipes), tuple(committee.enrolment(lv) for lv in committee.levels))
        if key != self._choices_key:
            self._choices_key = key
            self.panel.set_choices(menu_data.meals_served(committee), committee.levels,
                                   {lv: committee.enrolment(lv) for lv in committee.levels}, data.recipes)
        info = data.plan.info
        months = months_between(info.start, info.end)
        if previous is None or previous.info.id != info.id or self.month not in months:
            self.check = None
            today_month = self.today.replace(day=1)
            self.month = today_month if today_month in months else months[0]
            self.selected = None
            self.panel_area.hide()
        self.stack.setCurrentIndex(1)
        for button in (self.export_button, self.delete_button, self.plan_combo):
            button.setEnabled(True)
        self.render()
        self.start_check()

    def _show_empty(self) -> None:
        self.stack.setCurrentIndex(0)
        no_committee = self.ctx.committee is None
        for button in (self.export_button, self.delete_button):
            button.setEnabled(False)
        for button in (self.new_button, self.import_button):
            button.setEnabled(not no_committee)
        self.plan_combo.setEnabled(not no_committee and self.plan_combo.count() > 0)
        self.start.create_button.setVisible(not no_committee)
        self.start.import_button.setVisible(not no_committee)
        if no_committee:
            self.start.title.setText(_("Todavía no hay comité"))
            self.start.text.setText(_("Registre primero el comité en «Comité»: el menú depende de los niveles y "
                                      "de los niños de la escuela."))
        else:
            self.start.title.setText(_("Aún no hay un plan de menú"))
            self.start.text.setText(_("Cree el plan del mes y elija la preparación de cada día en el calendario. "
                                      "Si la región o otro comité le dio un archivo de plan, cárguelo."))
            self.create_button.setText(_("Crear el plan de {month}").format(month=month_name(self.today)))

    def start_check(self) -> None:
        """Check the plan against its standard on the worker; only the latest check is applied."""
        plan, db, committee = self.plan, self.ctx.db, self.ctx.committee
        if plan is None:
            return
        self.ctx.runner.run(lambda: menu_data.check_plan(db, committee, plan)[0], self._checked,
                            on_error=self.show_error, key="menu.check", progress=_("Revisando el menú…"), owner=self)

    def _checked(self, check) -> None:
        if self.plan is not None and check.plan.id == self.plan.info.id:
            self.check = check
            self.view.standard_note.setText(_("Colores según «{name}»").format(name=check.standard_name))
            self.render()

    def _data_changed(self, kind: str) -> None:
        if self._own_change or kind not in ("menu", "recipes", "committee"):
            return
        if kind == "menu":
            self.check = None  # a standard may have changed: check again
        if self.isVisible():
            self.refresh()

    def _changed(self) -> None:
        self._own_change = True
        try:
            self.ctx.changed("menu")
        finally:
            self._own_change = False

    # ------------------------------------------------------------------ showing
    def month_model(self) -> MonthModel:
        names = {c.recipe_id: c.recipe_name for c in self.check.entries} if self.check else {}
        names.update(self.data.names)
        return MonthModel(self.plan, self.ctx.committee, self.data.calendars, names, self.check)

    def render(self) -> None:
        if self.plan is None or self.month is None:
            return
        model = self.month_model()
        weeks = model.weeks(self.month)
        views = {d: model.day_view(d) for week in weeks for d in week if d.month == self.month.month}
        self.calendar.show_month(weeks, views, list(menu_data.meals_served(self.ctx.committee)), self.selected)
        self.month_label.setText(month_name(self.month).capitalize())
        months = months_between(self.plan.info.start, self.plan.info.end)
        self.prev_button.setEnabled(self.month != months[0])
        self.next_button.setEnabled(self.month != months[-1])
        failing = [r for r in self.check.rules if r.status != "ok"] if self.check is not None else []
        self.summary.setText(self._summary_text(model.summary(self.month), failing))
        if self.selected is not None and self.selected in views:
            view = views[self.selected]
            why = ""
            if not view.school:
                cal = self.data.calendars.get(self.selected.year)
                why = cal.why_not(self.selected) if cal else ""
                info = self.plan.info
                why = why or _("está fuera del plan ({start} al {end})").format(
                    start=f"{info.start:%d/%m/%Y}", end=f"{info.end:%d/%m/%Y}")
            self.panel.show_day(view, model.entries(self.selected), model.names, model.checks(self.selected), why)
        else:
            self.panel.clear()

    @staticmethod
    def _summary_text(counts: dict[str, int], failing_rules=()) -> str:
        if counts["days"] == 0:
            return _("Este mes no tiene días de clases dentro del plan.")
        if counts["missing_days"]:
            return _("Faltan preparaciones en {n} de {days} días de clase: haga clic en un día «Sin menú» para "
                     "elegirlas.").format(n=counts["missing_days"], days=counts["days"])
        if counts["pending"]:
            return _("Revisando si cumple el estándar…")
        if counts["bad"]:
            return _("{n} días no cumplen el estándar: haga clic en un día rojo para ver qué cambiar.").format(
                n=counts["bad"])
        if counts["unknown"]:
            return _("{n} días con datos incompletos (ámbar): haga clic para ver qué alimento no tiene "
                     "datos.").format(n=counts["unknown"])
        if failing_rules:  # every day meets the standard, a rule of the menu does not (a swap can do that)
            first = failing_rules[0]
            return ngettext(_("Todos los días cumplen el estándar, pero {n} regla del menú no se cumple: {rule} "
                              "({detail}). Vea «Cumplimiento»."),
                            _("Todos los días cumplen el estándar, pero {n} reglas del menú no se cumplen; la "
                              "primera: {rule} ({detail}). Vea «Cumplimiento»."), len(failing_rules)).format(
                n=len(failing_rules), rule=first.description, detail=first.detail)
        # «imprimir el menú» is a link to the printing: the button below may be out of sight at 1366×768
        return _("Todo el mes cumple el estándar. Ya puede <a href=\"#imprimir\">imprimir el menú</a> para la puerta "
                 "de la escuela.")

    def select_day(self, day: date | None) -> None:
        """Open the detail of ``day`` beside the month (None closes it)."""
        self.selected = day
        if day is not None and not self.panel_area.isVisible():  # the day gets 40 % of the width
            total = sum(self.view.splitter.sizes()) or self.view.width()
            self.view.splitter.setSizes([total - total * 2 // 5, total * 2 // 5])
        self.panel_area.setVisible(day is not None)
        self.render()

    def _step_month(self, step: int) -> None:
        months = months_between(self.plan.info.start, self.plan.info.end)
        index = months.index(self.month) + step
        if 0 <= index < len(months):
            self.month = months[index]
            self.select_day(None)

    def _plan_picked(self, _index: int) -> None:
        plan_id = self.plan_combo.currentData()
        if plan_id is not None and (self.plan is None or plan_id != self.plan.info.id):
            self.notice.hide()
            self.load(plan_id)

    # ------------------------------------------------------------------ messages
    def show_error(self, error: Exception) -> None:
        self.notice.hide()
        self.banner.show_error(error)

    def say(self, text: str) -> None:
        self.banner.hide()
        self.notice.setText(text)
        self.notice.show()
        self.undo_button.hide()  # only the pick just made can be undone

    # ------------------------------------------------------------------ changes of the plan
    def _change(self, fn, message: str = "", dialog=None, after=None) -> None:
        """Run a change of the plan on the worker; on success show the new plan and check it again."""

        def done(plan) -> None:
            if dialog is not None:
                dialog.done_ok()
            self.data = MenuData(self.data.plans, plan, self.data.calendars, self.data.recipes, self.data.names)
            if message:
                self.say(message)
            else:
                self.banner.hide()
            self.render()
            self.start_check()
            self._changed()
            if after is not None:
                after()

        def failed(error: Exception) -> None:
            if dialog is not None:
                dialog.show_error(str(error))
            else:
                self.show_error(error)
            self.render()  # the day shows again what is saved

        self.ctx.runner.run(fn, done, on_error=failed, progress=_("Guardando el menú…"), owner=self)

    def _change_many(self, make, message: str, dialog=None) -> None:
        """A change of many cells (``make(served_ok)`` on the worker, journaled by the service): when it would
        change meals already served, the service says which, the committee is asked, and it runs again only
        if they say so (a swap of two served days used to change what the month's report compares, silently)."""
        from qaliwarma.services.planning import ServedChange

        def done(plan) -> None:
            if dialog is not None:
                dialog.done_ok()
            self.data = MenuData(self.data.plans, plan, self.data.calendars, self.data.recipes, self.data.names)
            self.say(message)
            self.render()
            self.start_check()
            self._changed()

        def failed(error: Exception) -> None:
            if isinstance(error, ServedChange):
                if self.confirm_served_change(str(error)):
                    self.ctx.runner.run(lambda: make(True), done, on_error=failed, progress=_("Guardando el menú…"),
                                        owner=self)
                elif dialog is not None:
                    dialog.show_error(_("No se cambió nada."))
                return
            if dialog is not None:
                dialog.show_error(str(error))
            else:
                self.show_error(error)
            self.render()

        self.ctx.runner.run(lambda: make(False), done, on_error=failed, progress=_("Guardando el menú…"), owner=self)

    def assign(self, day: date, meal: str, level: str, recipe_id: str | None) -> None:
        from qaliwarma.services import planning

        db, committee, plan_id = self.ctx.db, self.ctx.committee, self.plan.info.id
        names = self.data.names if self.data else {}
        what = _("{meal} de {level}, {day:%d/%m}").format(meal=_(MEAL_LABELS[meal]).lower(),
                                                          level=_(LEVEL_LABELS[level]).lower(), day=day)
        message = (_("Se eligió «{name}» para {what}.").format(name=names.get(recipe_id, recipe_id), what=what)
                   if recipe_id else _("Se quitó la preparación de {what}.").format(what=what))

        user = self.ctx.user
        picked: list[int | None] = []

        def call():
            result = planning.pick(db, committee, plan_id, day, meal, level, recipe_id, user=user)
            picked.append(result.seq)  # the pick's journal entry: what «Deshacer» reverses
            return result.plan

        def offer_undo() -> None:
            if picked and picked[0] is not None:
                self._undo = (picked[0], what)
                self.undo_button.show()

        from qaliwarma.services import serving

        cid = committee.id

        def served() -> list:  # what was served in that place, if anything: a plan changed after the fact
            return [r for r in serving.services_in(db, cid, day, day) if r.meal == meal and r.level == level]

        def asked(rows: list) -> None:
            if rows and not self.confirm_served_change(_(
                    "El {what} ya tiene raciones registradas ({n} raciones de «{served}»). Si cambia ahora su menú, "
                    "cambia lo que el informe del mes compara con lo servido; el cambio queda en el historial del "
                    "menú, con su nombre. ¿Cambiarlo igual?").format(
                    what=what, n=sum(r.rations for r in rows), served=names.get(rows[0].recipe_id, rows[0].recipe_id))):
                self.render()  # the panel shows again what the plan has
                return
            self._change(call, message, after=offer_undo)

        self.ctx.runner.run(served, asked, on_error=self.show_error, owner=self)

    def confirm_served_change(self, text: str) -> bool:  # tests replace this
        from ..dialogs.confirm import confirm

        return confirm(self, _("Cambiar el menú de un día ya servido"), text, _("Cambiarlo igual"))

    def undo_last_pick(self) -> None:
        """Undo the last pick: the journal reverses its entry (who undid it, why) and the day gets back
        what it had before, in one unit of work."""
        from qaliwarma.services import planning

        if self._undo is None or self.plan is None:
            return
        seq, what = self._undo
        self._undo = None
        db, committee, user = self.ctx.db, self.ctx.committee, self.ctx.user
        self._change(lambda: planning.undo_pick(db, committee, seq, user=user),
                     _("Se deshizo la última elección: {what} quedó como estaba.").format(what=what))

    def open_history(self):
        """The picks of this plan and their undoing, as the journal has them (read on the worker)."""
        from qaliwarma.services import planning

        from ..dialogs.menu_history import MenuHistoryDialog

        if self.plan is None:
            return None
        db, cid, plan_id, name = self.ctx.db, self.ctx.committee.id, self.plan.info.id, self.plan.info.name
        names = dict(self.data.names) if self.data else {}
        shown: list = []

        def show(lines) -> None:
            dialog = self._open(MenuHistoryDialog(lines, names, name, self))
            shown.append(dialog)
            self.history_dialog = dialog

        self.ctx.runner.run(lambda: planning.pick_history(db, cid, plan_id), show, on_error=self.show_error,
                            owner=self)
        return shown

    @staticmethod
    def _open(dialog):
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _reference_day(self) -> date:
        """The day chosen, else the first school day of the month shown (to fill the dialogs' dates)."""
        if self.selected is not None:
            return self.selected
        info, model = self.plan.info, self.month_model()
        first = max(info.start, min(self.month or info.start, info.end))
        return next((first + timedelta(days=n) for n in range(31) if model.is_school_day(first + timedelta(days=n))),
                    first)

    def open_copy_week(self) -> DatesDialog:
        from qaliwarma.services import planning

        dialog = self._open(copy_week_dialog(monday_of(self._reference_day()), self))
        db, committee, plan_id = self.ctx.db, self.ctx.committee, self.plan.info.id

        user = self.ctx.user

        def run(v: dict) -> None:
            a, b = monday_of(v["from"]), monday_of(v["to"])
            self._change_many(lambda ok: planning.copy_week(db, committee, plan_id, a, b, user=user, served_ok=ok),
                              _("Se copió la semana del {a} en la del {b}.").format(a=f"{a:%d/%m/%Y}",
                                                                                    b=f"{b:%d/%m/%Y}"), dialog)

        dialog.submitted.connect(run)
        return dialog

    def open_repeat_cycle(self) -> DatesDialog:
        from qaliwarma.services import planning

        info = self.plan.info
        dialog = self._open(repeat_cycle_dialog(self._reference_day(), info.end, self))
        db, committee, user = self.ctx.db, self.ctx.committee, self.ctx.user

        def run(v: dict) -> None:
            self._change_many(lambda ok: planning.repeat_cycle(db, committee, info.id, v["start"], v["days"],
                                                               user=user, served_ok=ok),
                              _("Se repitió el ciclo de {n} días de clase hasta el {end}.").format(
                                  n=v["days"], end=f"{info.end:%d/%m/%Y}"), dialog)

        dialog.submitted.connect(run)
        return dialog

    def open_swap_days(self) -> DatesDialog:
        from qaliwarma.services import planning

        dialog = self._open(swap_days_dialog(self._reference_day(), self))
        db, committee, plan_id, user = self.ctx.db, self.ctx.committee, self.plan.info.id, self.ctx.user

        def run(v: dict) -> None:
            self._change_many(lambda ok: planning.swap_days(db, committee, plan_id, v["a"], v["b"], user=user,
                                                            served_ok=ok),
                              _("Se intercambiaron el {a} y el {b}.").format(a=f"{v['a']:%d/%m/%Y}",
                                                                              b=f"{v['b']:%d/%m/%Y}"), dialog)

        dialog.submitted.connect(run)
        return dialog

    def open_propose(self) -> ProposeDialog:
        """«Proponer menú» for the month shown (within the plan): the proposal beside the plan, accepted
        whole or day by day. Days before today stay as they are unless the committee says otherwise."""
        from qaliwarma.services import propose

        info = self.plan.info
        first = max(info.start, self.month or info.start)
        last = min(info.end, month_end(first))
        dialog = self._open(ProposeDialog(first, last, self, region=self.ctx.committee.form.region))
        db, committee, today, plan = self.ctx.db, self.ctx.committee, self.today, self.plan

        kept_past: list[bool] = [False]

        def run(v: dict) -> None:
            kept_past[0] = v["keep_past"]
            keep = [e for e in plan.entries if v["keep_past"] and e.day < today]

            def work():
                result = propose.propose(db, committee, v["start"], v["end"], standard_id=info.standard_id,
                                         keep=keep, today=today)
                return (result, propose.changes(db, committee, result, plan),
                        propose.compare_cost(db, committee, result, plan))

            def done(found) -> None:
                result, changes, comparison = found
                dialog.show_proposal(result, changes, comparison, {**self.data.names, **result.names})

            self.ctx.runner.run(work, done, on_error=lambda e: dialog.show_error(str(e)),
                                progress=_("Buscando el mejor menú…"), owner=self)

        user = self.ctx.user

        def accept(days) -> None:
            proposal = dialog.proposal
            keep_before = today if kept_past[0] else None  # the rule is the service's (propose.accept)
            chosen = set(days) if days is not None else {e.day for e in proposal.entries}
            n = len({d for d in chosen if keep_before is None or d >= keep_before})
            self._change_many(lambda ok: propose.accept(db, committee, info.id, proposal, days, user=user,
                                                        served_ok=ok, keep_before=keep_before),
                              ngettext(_("Se aceptó la propuesta en {n} día."), _("Se aceptó la propuesta en {n} días."),
                                       n).format(n=n), dialog)

        dialog.propose_requested.connect(run)
        dialog.accept_requested.connect(accept)
        return dialog

    # ------------------------------------------------------------------ plans
    def open_new_plan(self) -> NewPlanDialog | None:
        from qaliwarma.services import planning

        if self.ctx.committee is None:
            return None
        dialog = self._open(NewPlanDialog(self.today, self))
        db, committee = self.ctx.db, self.ctx.committee

        def run(v: dict) -> None:
            def done(info) -> None:
                dialog.done_ok()
                self.say(_("Plan «{name}» creado. Haga clic en un día para elegir sus preparaciones.").format(
                    name=info.name))
                self.load(info.id)
                self._changed()

            self.ctx.runner.run(lambda: planning.create_plan(db, committee, v["name"], v["start"], v["end"]), done,
                                on_error=lambda e: dialog.show_error(str(e)), owner=self)

        dialog.submitted.connect(run)
        return dialog

    def _ask_delete(self) -> None:
        if self.plan and confirm(self, _("Eliminar el plan"), _(
                "¿Eliminar el plan «{name}» con todas sus preparaciones? Esto no se puede deshacer.").format(
                name=self.plan.info.name), _("Eliminar")):
            self.delete_plan()

    def delete_plan(self) -> None:
        from qaliwarma.services import planning

        db, committee_id, info, user = self.ctx.db, self.ctx.committee.id, self.plan.info, self.ctx.user

        def done(_result) -> None:
            self.data = None
            self.say(_("Se eliminó el plan «{name}».").format(name=info.name))
            self.load()
            self._changed()

        self.ctx.runner.run(lambda: planning.delete_plan(db, committee_id, info.id, user=user), done,
                            on_error=self.show_error, owner=self)

    # ------------------------------------------------------------------ files
    def ask_open_path(self, title: str, filters: str) -> str | None:
        return menu_files.ask_open_path(self, title, filters)

    def ask_save_path(self, title: str, suggested: str, filters: str) -> str | None:
        return menu_files.ask_save_path(self, title, suggested, filters)

    def open_file(self, path: Path) -> None:
        menu_files.open_file(path)

    def _ask_import(self) -> None:
        path = self.ask_open_path(_("Cargar un plan de menú"), _(PLAN_FILES))
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        db, committee = self.ctx.db, self.ctx.committee

        def done(info) -> None:
            self.say(_("Se cargó el plan «{name}» con {n} preparaciones.").format(name=info.name, n=info.entries))
            self.load(info.id)
            self._changed()

        self.ctx.runner.run(lambda: planning.import_plan_file(db, committee, path), done, on_error=self.show_error,
                            progress=_("Cargando el plan…"), owner=self)

    def _ask_export(self) -> None:
        path = self.ask_save_path(_("Guardar el plan como archivo"), f"{slugify(self.plan.info.name)}.toml",
                                  _("Plan de menú (*.toml)"))
        if path:
            self.export_file(Path(path))

    def export_file(self, path: Path) -> None:
        db, committee, plan_id = self.ctx.db, self.ctx.committee, self.plan.info.id
        self.ctx.runner.run(lambda: planning.export_plan_file(db, committee, plan_id, path),
                            lambda out: self.say(_("Plan guardado en {path}.").format(path=out)),
                            on_error=self.show_error, owner=self)

    def _ask_poster(self) -> None:
        name = f"menu-{slugify(month_name(self.month))}.pdf"
        path = self.ask_save_path(_("Guardar el menú para imprimir"), name, _("Documento PDF (*.pdf)"))
        if path:
            self.print_poster(Path(path))

    def _pdf_done(self, out: Path) -> None:
        self.say(_("Documento guardado en {path}. Se abre para imprimirlo.").format(path=out))
        self.open_file(out)

    def print_poster(self, path: Path) -> None:
        db, committee, plan_id, months = self.ctx.db, self.ctx.committee, self.plan.info.id, [self.month]
        self.ctx.runner.run(lambda: printing.menu_poster(db, committee, plan_id, path, months), self._pdf_done,
                            on_error=self.show_error, progress=_("Preparando el menú para imprimir…"), owner=self)

    def print_dosing(self, recipe_id: str, level: str, path: Path | None = None) -> None:
        if path is None:
            asked = self.ask_save_path(_("Guardar la hoja de dosificación"), f"dosificacion-{recipe_id}-{level}.pdf",
                                       _("Documento PDF (*.pdf)"))
            if not asked:
                return
            path = Path(asked)
        db, committee = self.ctx.db, self.ctx.committee
        self.ctx.runner.run(lambda: printing.dosing_sheet(db, committee, recipe_id, level, path), self._pdf_done,
                            on_error=self.show_error, progress=_("Preparando la hoja de dosificación…"), owner=self)
