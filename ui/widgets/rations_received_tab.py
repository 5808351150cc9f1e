"""Recepción › «Raciones listas del día» (raciones modality): each day the supplier brings ready rations;
the committee counts them per level against the supplier's record, accepts, partly accepts or rejects
them (saying why), and records every level at once. Below, the month's receptions, each can be voided."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.errors import InvalidInput

from ..dialogs.stock_reason import ask_reason
from ..i18n import _
from ..models.base import RowsProxy
from ..models.rations_received_rows import RationMonth, ReceivedListModel, level_label, load_ration_month
from ..models.stock_format import fmt_date, fmt_number, month_name
from ..theme import set_role
from . import stock_common as common
from .rations_received_row import LevelRow, add_headers
from .table import DataTable


class RationsReceivedTab(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data: RationMonth | None = None
        self.rows: list[LevelRow] = []
        self._levels: tuple = ()
        self._attempted = False
        self._applying = False
        self._keep_status = False  # the message of what was just recorded or voided stays after reloading

        hint = QLabel(_("Cuente las raciones de cada nivel y compárelas con la guía del proveedor. Si rechaza "
                        "raciones (malogradas, incompletas, fuera de hora), elija «Parcial» o «Rechazado» y escriba "
                        "por qué. Al terminar, pulse «Registrar»."))
        hint.setWordWrap(True)
        set_role(hint, "hint")
        self.day = common.DayEdit()
        self.day.dateChanged.connect(lambda _d: self._day_changed())
        self.supplier = QLineEdit()
        self.supplier.setPlaceholderText(_("Nombre del proveedor (opcional)"))
        top = QHBoxLayout()
        for text, field, stretch in ((_("Fecha:"), self.day, 0), (_("Proveedor:"), self.supplier, 1)):
            label = QLabel(text)
            label.setBuddy(field)
            top.addWidget(label)
            top.addWidget(field, stretch)
            top.addSpacing(12)

        box = QFrame()
        set_role(box, "card")
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)  # the list gives way
        self.grid = QGridLayout(box)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(4)
        add_headers(self.grid)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.register_button = QPushButton(_("Registrar"))
        set_role(self.register_button, "primary")
        self.register_button.clicked.connect(self.register)
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.register_button, 0, Qt.AlignmentFlag.AlignBottom)

        self.list_title = QLabel()
        set_role(self.list_title, "heading")
        self.list_hint = QLabel()
        self.list_hint.setWordWrap(True)
        set_role(self.list_hint, "muted")
        self.model = ReceivedListModel(self)
        self.proxy = RowsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = DataTable(stretch_column=(2, 6), sortable=True, wrap=True)
        self.table.setModel(self.proxy)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setMinimumHeight(120)
        self.reverse_button = QPushButton(_("Anular la recepción elegida…"))
        self.reverse_button.clicked.connect(self.open_reverse)
        list_bar = QHBoxLayout()
        list_bar.addWidget(self.list_hint, 1)
        list_bar.addWidget(self.reverse_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(hint)
        layout.addLayout(top)
        layout.addWidget(box)
        layout.addLayout(bar)
        layout.addWidget(self.list_title)
        layout.addWidget(self.table, 1)
        layout.addLayout(list_bar)

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        info = self.ctx.committee
        if info is None:
            return
        levels = tuple((lv, info.enrolment(lv)) for lv in info.levels)
        if levels != self._levels:
            self._build_rows(levels)
        self.load()

    def _build_rows(self, levels: tuple) -> None:
        for row in self.rows:
            for widget in (row.name, *row.fields(), row.message):
                self.grid.removeWidget(widget)
                widget.deleteLater()
        self.rows = []
        self._levels = levels
        for n, (level, enrolment) in enumerate(levels):
            row = LevelRow(level, enrolment, self.grid, 1 + 2 * n, self)
            row.changed.connect(self._changed)
            self.rows.append(row)
        chain = [self.day, self.supplier] + [w for r in self.rows for w in r.fields()] + [self.register_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def load(self) -> None:
        info = self.ctx.committee
        if info is None:
            return
        db, cid, day = self.ctx.db, info.id, self.day.day()
        self.ctx.runner.run(lambda: load_ration_month(db, cid, day.year, day.month), self._loaded,
                            on_error=lambda e: self._set_status(common.error_text(e), error=True),
                            key="rations_received.month", owner=self)

    def _loaded(self, data: RationMonth) -> None:
        self.data = data
        self.model.set_rows(data.rows)
        self.list_title.setText(_("Raciones recibidas en {month}").format(
            month=month_name(data.year, data.month).lower()))
        self.reverse_button.setEnabled(bool(data.rows))
        self.list_hint.setText(
            _("Todavía no se registraron raciones este mes. Para ver otro mes, cambie la fecha de arriba.")
            if not data.rows else
            _("Para corregir una recepción, elíjala y pulse «Anular la recepción elegida…»; después regístrela "
              "de nuevo. Para ver otro mes, cambie la fecha de arriba."))
        if not self.supplier.text().strip():
            self.supplier.setText(data.last_supplier)
        self._apply_day()

    def _day_changed(self) -> None:
        day = self.day.day()
        if self.data is not None and (day.year, day.month) == (self.data.year, self.data.month):
            self._apply_day()
        else:
            self.load()

    def _apply_day(self) -> None:
        """Levels already recorded on the chosen day are shown read-only; the others can be filled."""
        if self.data is None:
            return
        day = self.day.day()
        done = {r.reception.level: r.reception for r in self.data.rows if r.reception.day == day}
        self._applying = True
        try:
            for row in self.rows:
                row.set_recorded(done.get(row.level), self.data.last_product.get(row.level, ""))
        finally:
            self._applying = False
        open_rows = [r for r in self.rows if r.recorded is None]
        self.register_button.setEnabled(bool(open_rows))
        if self._keep_status:
            self._keep_status = False
        elif not open_rows and self.rows:
            self._set_status(_("✓ Las raciones del {day} ya están registradas en todos los niveles. Elija otra "
                               "fecha para registrar otro día.").format(day=fmt_date(day)), ok=True)
        else:
            self._set_status("")

    # ------------------------------------------------------------------ checking
    def _changed(self) -> None:
        if self._applying:
            return
        if self.status.property("role") == "ok":
            self._set_status("")
        if self._attempted:
            self.check()

    def items(self) -> tuple[list, list[LevelRow]]:
        day, supplier = self.day.day(), self.supplier.text().strip()
        rows = [r for r in self.rows if not r.is_blank()]
        return [r.reception(day, supplier) for r in rows], rows

    def check(self) -> int:
        """Show each level's problems beside it; returns how many there are."""
        from qaliwarma.services.rations_received import validate

        info = self.ctx.committee
        items, rows = self.items()
        problems = validate(info, items, [f"#{n}" for n in range(len(items))]) if info else []
        return self.show_problems(problems, rows)

    def show_problems(self, problems, rows: list[LevelRow]) -> int:
        per_row: dict[int, list[str]] = {}
        for p in problems:
            n = int(p.where[1:]) if p.where.startswith("#") and p.where[1:].isdigit() else -1
            per_row.setdefault(n, []).append(p.what)
        for row in self.rows:
            row.show_problems([])
        for n, row in enumerate(rows):
            row.show_problems(per_row.get(n, []))
        return len(problems)

    # ------------------------------------------------------------------ recording
    def register(self) -> None:
        info = self.ctx.committee
        if info is None:
            return
        self._attempted = True
        items, rows = self.items()
        if not items:
            self._set_status(_("Escriba cuántas raciones llegaron en al menos un nivel (columna «Según la guía») "
                               "y vuelva a pulsar «Registrar»."), error=True)
            return
        count = self.check()
        if count:
            self._set_status(_("Hay {n} dato(s) por corregir (en rojo). Corríjalos y vuelva a pulsar «Registrar»; no "
                               "se registró nada.").format(n=count), error=True)
            self._focus_first_problem()
            return
        from qaliwarma.services import rations_received

        db, user = self.ctx.db, self.ctx.user
        where = [f"#{n}" for n in range(len(items))]
        self.register_button.setEnabled(False)
        self._set_status(_("Registrando…"))
        self.ctx.write(lambda: rations_received.record(db, info, items, user=user, where=where),
                            lambda _seqs: self._registered(items), on_error=lambda e: self._failed(e, rows),
                            progress=_("Registrando las raciones recibidas…"), owner=self)

    def _registered(self, items) -> None:
        self._attempted = False
        accepted = sum(r.accepted for r in items)
        parts = ", ".join(f"{level_label(r.level).lower()} {fmt_number(r.accepted, 0)}" for r in items)
        text = _("✓ Raciones del {day} registradas: {n} aceptadas ({parts}).").format(
            day=fmt_date(items[0].day), n=fmt_number(accepted, 0), parts=parts)
        rejected = sum(r.received - r.accepted for r in items)
        if rejected:
            text += " " + _("Se rechazaron {n}.").format(n=fmt_number(rejected, 0))
        text += " " + _("Siguiente paso: al final del día, anote en «Raciones» cuántas se sirvieron y cuántas "
                        "sobraron.")
        self._set_status(text, ok=True)
        self._keep_status = True
        self.load()

    def _failed(self, error: Exception, rows: list[LevelRow]) -> None:
        self.register_button.setEnabled(True)
        if isinstance(error, InvalidInput) and error.problems:
            self.show_problems(error.problems, rows)
            self._set_status(error.summary + " " + _("Corrija lo que está en rojo y vuelva a pulsar «Registrar»."),
                             error=True)
            self._focus_first_problem()
        else:
            self._set_status(common.error_text(error), error=True)

    def _focus_first_problem(self) -> None:
        for row in self.rows:
            if row.recorded is None and row.message.isVisibleTo(self) and row.message.property("role") == "error":
                target = row.observation if row.observation.property("invalid") else row.product
                target.setFocus()
                return

    def _set_status(self, text: str, *, error: bool = False, ok: bool = False) -> None:
        self.status.setText(text)
        set_role(self.status, "error" if error else "ok" if ok else "")

    # ------------------------------------------------------------------ voiding
    def selected(self):
        index = self.table.selectionModel().currentIndex()
        return self.model.row_at(self.proxy.mapToSource(index).row()) if index.isValid() else None

    def open_reverse(self) -> None:
        row = self.selected()
        if row is None:
            self._set_status(_("Elija en la lista la recepción que quiere anular."), error=True)
            return
        r = row.reception
        reason = ask_reason(self, _("Anular una recepción de raciones"), _(
            "Se anulará la recepción de raciones de {level} del {day} ({n} aceptadas). El registro original queda "
            "en el diario con su anulación. Después podrá registrarla de nuevo.").format(
            level=level_label(r.level).lower(), day=fmt_date(r.day), n=fmt_number(r.accepted, 0)),
            _("Anular recepción"), placeholder=_("Por ejemplo: se contaron mal las raciones"))
        if reason:
            self.reverse_reception(row.seq, reason)

    def reverse_reception(self, seq: int, reason: str) -> None:
        from qaliwarma.services import corrections

        info = self.ctx.committee
        if info is None:
            return
        db, cid, user, today = self.ctx.db, info.id, self.ctx.user, common.today()

        def done(_seq) -> None:
            self._set_status(_("✓ Recepción anulada. Si hace falta, regístrela de nuevo con los datos correctos."),
                             ok=True)
            self._keep_status = True
            self.load()

        self.ctx.write(lambda: corrections.reverse(db, cid, seq, user=user, reason=reason, day=today), done,
                       on_error=lambda e: self._set_status(common.error_text(e), error=True),
                            progress=_("Anulando la recepción…"), owner=self)

    def set_day(self, day: date) -> None:
        self.day.set_day(day)
