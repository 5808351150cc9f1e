"""Calendario escolar: the committee's school year as the menus, needs and rations use it — school days,
breaks and holidays with their legal sources — and the committee's own adjustments (a local holiday,
the region's own dates, a recovery day), recorded and undone through the same service as
``qaliwarma calendar add/undo`` (journal entries of kind ``calendario``; an undo is a reversal with its
reason, the adjustment stays in the journal)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.errors import InvalidInput
from qaliwarma.services import calendar

from ..i18n import N_, _
from ..models.stock_format import fmt_number, month_name
from ..theme import set_invalid, set_role
from ..widgets import stock_common as common
from ..widgets.lazy_page import LazyPage

# the service's problem places → the form field they belong to
FIELD_OF_PROBLEM = {"Tipo de ajuste": "kind", "Fechas": "dates", "Motivo": "name", "Fuente": "source"}
# the adjustment kinds as the list shows them (the form shows the service's full label)
SHORT = {"sin_clases": N_("Sin clases"), "con_clases": N_("Con clases (recuperación)"),
         "inicio": N_("Inicio del año escolar"), "fin": N_("Fin del año escolar")}


def _table(headers: list[str], stretch: int | tuple[int, ...], rows: int = 4) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(True)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in (stretch if isinstance(stretch, tuple) else (stretch,)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    # never squeezed to nothing by the form below it: the page scrolls instead (1366×768)
    table.setMinimumHeight(header.sizeHint().height() + rows * (table.fontMetrics().height() + 14))
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
    table.resizeRowsToContents()


def _days(a: date, b: date) -> str:
    return f"{a:%d/%m/%Y}" if a == b else _("{start} al {end}").format(start=f"{a:%d/%m/%Y}", end=f"{b:%d/%m/%Y}")


class CalendarPage(LazyPage):
    TITLE = "Calendario escolar"

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.listing: calendar.CalendarListing | None = None
        self.start_frame(_("Calendario escolar"))
        self.tabs.addTab(self._build_days_off(), _("Sin clases y feriados"))
        self.tabs.addTab(self._build_school_days(), _("Días de clase por mes"))
        self.tabs.addTab(self._build_adjustments(), _("Ajustes del comité"))
        self.finish_frame(ctx, ("menu", "service", "committee"))
        # the year and its summary go above the tabs
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(common.today().year)
        self.year.setAccessibleName(_("Año escolar"))
        self.year.valueChanged.connect(lambda _y: self.refresh())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Año:")))
        top.addWidget(self.year)
        top.addWidget(self.summary, 1)
        self.tabs.parentWidget().layout().insertLayout(2, top)

    # ------------------------------------------------------------------ building
    def _build_days_off(self) -> QWidget:
        self.breaks_table = _table([_("Fechas"), _("Qué"), _("Fuente")], 2, rows=3)
        self.holidays_table = _table([_("Fecha"), _("Feriado"), _("Fuente"), _("¿Quita un día de clase?")], 2,
                                     rows=5)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(QLabel(_("Vacaciones, semanas de gestión y días sin clases del comité:")))
        layout.addWidget(self.breaks_table, 1)
        layout.addWidget(QLabel(_("Feriados nacionales (con la ley que los fija):")))
        layout.addWidget(self.holidays_table, 2)
        return page

    def _build_school_days(self) -> QWidget:
        self.months_table = _table([_("Mes"), _("Días de clase"), _("Fechas")], 2)
        hint = QLabel(_("Los menús, las necesidades de alimentos y las raciones usan estos días."))
        set_role(hint, "muted")
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(hint)
        layout.addWidget(self.months_table, 1)
        return page

    def _build_adjustments(self) -> QWidget:
        self.adjustments_table = _table([_("N.º"), _("Ajuste"), _("Fechas"), _("Qué es"), _("Fuente"),
                                         _("Registró"), _("Estado")], (3, 4), rows=3)
        self.adjustments_table.itemSelectionChanged.connect(self._update_buttons)
        self.undo_button = QPushButton(_("Anular el ajuste elegido…"))
        self.undo_button.clicked.connect(self.open_undo)
        self.undo_button.setEnabled(False)

        box = QGroupBox(_("Registrar un ajuste (feriado local, fechas de la región, día de recuperación)"))
        self.kind = QComboBox()
        for key, label in calendar.ADJUSTMENTS.items():
            self.kind.addItem(_(label), key)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.start = common.DayEdit()
        self.end = common.DayEdit()
        self.start.dateChanged.connect(lambda _d: self._start_changed())
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("Qué es, p. ej. «Aniversario del distrito»"))
        self.source = QLineEdit()
        self.source.setPlaceholderText(_("Norma o acuerdo, p. ej. «Ordenanza municipal 012-2026»"))
        self.messages = {key: common.message_label() for key in ("kind", "dates", "name", "source")}
        # a field written in takes its red message away (they stayed until the next «Registrar ajuste»)
        for key, field in (("name", self.name), ("source", self.source)):
            field.textEdited.connect(lambda text, key=key, field=field: self._typed(key, field, text))
        self.kind.currentIndexChanged.connect(lambda _i: common.show_message(self.messages["kind"], None))
        for field in (self.start, self.end):
            field.dateChanged.connect(lambda _d: common.show_message(self.messages["dates"], None))
        dates = QHBoxLayout()
        dates.addWidget(self.start)
        self.to_label = QLabel(_("al"))
        dates.addWidget(self.to_label)
        dates.addWidget(self.end)
        dates.addStretch(1)
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(_("Ajuste"), self.kind)
        form.addRow("", self.messages["kind"])
        form.addRow(_("Fechas"), dates)
        form.addRow("", self.messages["dates"])
        form.addRow(_("Qué es"), self.name)
        form.addRow("", self.messages["name"])
        form.addRow(_("Fuente"), self.source)
        form.addRow("", self.messages["source"])
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save_button = QPushButton(_("Registrar ajuste"))
        set_role(self.save_button, "primary")
        self.save_button.clicked.connect(self.save)
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignBottom)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)

        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.adjustments_table, 1)
        layout.addLayout(buttons)
        layout.addWidget(box)
        layout.addLayout(bar)
        self._kind_changed()
        return page

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        info = self.begin_refresh()
        if info is None:
            return
        db, cid, year = self.ctx.db, info.id, self.year.value()
        self.ctx.runner.run(lambda: calendar.listing(db, cid, year), self._loaded, on_error=self._error,
                            key="calendar.listing", owner=self)

    def _loaded(self, x: calendar.CalendarListing) -> None:
        self.listing = x
        self.summary.setText(_("Clases del {start} al {end}: {n} días de clase. Fuente: {source}").format(
            start=f"{x.start:%d/%m/%Y}", end=f"{x.end:%d/%m/%Y}", n=len(x.days), source=x.source))
        _fill(self.breaks_table, [[_days(b.start, b.end), b.name, b.source] for b in x.breaks])
        _fill(self.holidays_table, [[f"{h.day:%d/%m/%Y}", h.name, h.source, self._lost(x, h.day)]
                                    for h in x.holidays])
        by_month: dict[tuple[int, int], list[date]] = {}
        for day in x.days:
            by_month.setdefault((day.year, day.month), []).append(day)
        extra = set(x.extra_days)
        _fill(self.months_table, [
            [month_name(y, m), str(len(days)),
             ", ".join(f"{d.day}" + ("*" if d in extra else "") for d in days)]
            for (y, m), days in sorted(by_month.items())])
        if extra:
            self.months_table.setToolTip(_("* día de clase agregado por el comité (recuperación)"))
        _fill(self.adjustments_table, [
            [str(a.seq), _(SHORT.get(a.action, a.action)), _days(a.start, a.end), a.name, a.source,
             a.user, _("Vigente") if a.active else _("Anulado: {reason}").format(reason=a.reversed_reason)]
            for a in x.adjustments])
        self._update_buttons()

    @staticmethod
    def _lost(x: calendar.CalendarListing, day: date) -> str:
        if day in x.holidays_in_term:
            return _("Sí")
        if day.weekday() >= 5:
            return _("No: fin de semana")
        if not x.start <= day <= x.end:
            return _("No: fuera del año escolar")
        return _("No: ya es día sin clases")

    def _error(self, error: Exception) -> None:
        self.banner.show_message(common.error_text(error), error=True)

    def selected(self) -> calendar.Adjustment | None:
        rows = self.adjustments_table.selectionModel().selectedRows()
        if not rows or self.listing is None:
            return None
        return self.listing.adjustments[rows[0].row()]

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.undo_button.setEnabled(chosen is not None and chosen.active)

    # ------------------------------------------------------------------ the form
    def _kind_changed(self) -> None:
        one_day = self.kind.currentData() in ("inicio", "fin")
        self.end.setVisible(not one_day)
        self.to_label.setVisible(not one_day)

    def _start_changed(self) -> None:
        if self.end.day() < self.start.day():
            self.end.set_day(self.start.day())

    def save(self) -> None:
        if self.ctx.committee is None:
            return
        self._show_problems({})
        kind = self.kind.currentData()
        start = self.start.day()
        end = start if kind in ("inicio", "fin") else self.end.day()
        name, source = self.name.text(), self.source.text()
        db, cid, user = self.ctx.db, self.ctx.committee.id, self.ctx.user
        self.save_button.setEnabled(False)

        def write() -> None:
            self.ctx.write(lambda: calendar.add_adjustment(db, cid, kind, start, end, name=name, source=source,
                                                           user=user),
                           self._saved, on_error=self._save_failed, progress=_("Registrando el ajuste…"), owner=self)

        def asked(served: list) -> None:  # days with rations already recorded: said, and asked, first
            if served and not self.confirm_served(self._served_text(served)):
                self.save_button.setEnabled(True)
                self._set_status(_("No se registró el ajuste."))
                return
            write()

        self.ctx.runner.run(lambda: calendar.served_in(db, cid, kind, start, end), asked,
                            on_error=self._save_failed, owner=self)

    @staticmethod
    def _served_text(served: list) -> str:
        days = "\n".join("• " + _("{day}: {n} raciones registradas").format(day=f"{day:%d/%m/%Y}",
                                                                         n=fmt_number(n, 0)) for day, n in served)
        return _("Estos días ya tienen raciones registradas:\n\n{days}\n\nSi los marca como días sin clases, esas "
                 "raciones quedarán como servidas en días sin clases: no contarán para lo planificado y el cierre del "
                 "mes lo señalará. ¿Registrar el ajuste igual?").format(days=days)

    def confirm_served(self, text: str) -> bool:  # tests replace this
        from ..dialogs.confirm import confirm

        return confirm(self, _("Días con raciones registradas"), text, _("Registrar el ajuste igual"))

    def _saved(self, adjustment: calendar.Adjustment) -> None:
        self.save_button.setEnabled(True)
        self.name.clear()
        self.source.clear()
        self._set_status(_("✓ Ajuste registrado (asiento n.º {seq}): {what}, {days}.").format(
            seq=adjustment.seq, what=adjustment.name, days=_days(adjustment.start, adjustment.end)), ok=True)
        if adjustment.year != self.year.value():
            self.year.setValue(adjustment.year)  # refreshes
        else:
            self.refresh()

    def _save_failed(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, InvalidInput) and error.problems:
            found: dict[str, str] = {}
            for p in error.problems:
                key = FIELD_OF_PROBLEM.get(p.where, "name")
                text = p.what[:1].upper() + p.what[1:] + "."
                found[key] = f"{found[key]} {text}" if key in found else text
            self._show_problems(found)
            self._set_status(error.summary + " " + _("Corrija lo que está en rojo y vuelva a pulsar «Registrar "
                                                     "ajuste»."), error=True)
        else:
            self._set_status(common.error_text(error), error=True)

    def _typed(self, key: str, field, text: str) -> None:
        if text.strip():
            common.show_message(self.messages[key], None)
            set_invalid(field, False)

    def _show_problems(self, problems: dict[str, str]) -> None:
        for key, label in self.messages.items():
            common.show_message(label, problems.get(key))
        set_invalid(self.name, "name" in problems)
        set_invalid(self.source, "source" in problems)

    def _set_status(self, text: str, *, error: bool = False, ok: bool = False) -> None:
        self.status.setText(text)
        set_role(self.status, "error" if error else "ok" if ok else "")

    # ------------------------------------------------------------------ undo
    def open_undo(self) -> None:
        from ..dialogs.stock_reason import ask_reason

        chosen = self.selected()
        if chosen is None or not chosen.active:
            return
        reason = ask_reason(self, _("Anular un ajuste del calendario"), _(
            "El ajuste n.º {seq} ({what}, {days}) dejará de contar para los días de clase. Queda en el diario con "
            "su anulación.").format(seq=chosen.seq, what=chosen.name, days=_days(chosen.start, chosen.end)),
            _("Anular ajuste"), placeholder=_("Por ejemplo: la UGEL cambió la fecha"))
        if reason:
            self.undo(chosen.seq, reason)

    def undo(self, seq: int, reason: str) -> None:
        db, cid, user = self.ctx.db, self.ctx.committee.id, self.ctx.user

        def done(_result) -> None:
            self._set_status(_("✓ Ajuste n.º {seq} anulado.").format(seq=seq), ok=True)
            self.refresh()

        self.ctx.write(lambda: calendar.undo_adjustment(db, cid, seq, reason=reason, user=user), done,
                       on_error=lambda e: self._set_status(common.error_text(e), error=True),
                       progress=_("Anulando el ajuste…"), owner=self)
