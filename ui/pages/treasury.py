"""Tesorería: the committee's money, month by month. The treasurer records the transfers received and
each receipt, sees the balance of every budget heading, prints the balance, the acta de rendición and
the cash book, and presents the month's accountability (then the month is frozen)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qaliwarma import clock
from qaliwarma.domain.treasury import CYCLE_STATES
from qaliwarma.money import format_soles
from qaliwarma.services import corrections, treasury

from ..dialogs.confirm import confirm
from ..dialogs.treasury_import import ImportDialog, SheetCheck
from ..dialogs.treasury_text import TextQuestion
from ..i18n import _
from ..models.treasury_rows import ExpenseRow, MonthView, TransferRow, format_day, load_month, month_label
from ..theme import set_role
from ..widgets.banner import Banner
from ..widgets.treasury_cycle import CycleCard
from ..widgets.treasury_expenses import ExpensesPanel
from ..widgets.treasury_receipt_form import ReceiptForm
from ..widgets.treasury_summary import TreasurySummary
from ..widgets.treasury_transfers import TransfersPanel

PDF_NAMES = {"balance": "Balance de gastos", "acta": "Acta de rendicion", "libro": "Libro caja"}


def _scrolled(widget: QWidget | None = None) -> QScrollArea:
    """A tab's scroll area, holding ``widget`` (or, for a tab built when first opened, nothing yet)."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    if widget is not None:
        _hold(area, widget)
    return area


def _hold(area: QScrollArea, widget: QWidget) -> None:
    widget.setContentsMargins(4, 8, 12, 8)
    area.setWidget(widget)


def check_sheet(db, committee_id: int, path: Path, user: str) -> SheetCheck:
    """On the worker: read the sheet and have the service check every row, recording nothing."""
    sheet = treasury.import_expense_sheet(db, committee_id, path, user=user, dry_run=True)
    return SheetCheck(Path(path), sheet.expenses, sheet.where, sheet.warnings, sheet.heading_names)


def reverse_expense(db, committee_id: int, row: ExpenseRow, reason: str, user: str, today: date) -> int:
    """On the worker: cancel an expense. The reversal is dated like the expense while its month is
    open, else today (a closed month accepts nothing)."""
    return corrections.reverse(db, committee_id, row.seq, user=user, reason=reason, today=today)


class TreasuryPage(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view: MonthView | None = None
        self._month: str | None = None
        self._last_pdf: Path | None = None
        self.import_dialog: ImportDialog | None = None
        self.headings_dialog = None

        self.title = QLabel(_("Tesorería"))
        set_role(self.title, "title")
        self.month_combo = QComboBox()
        self.month_combo.setMinimumContentsLength(18)
        self.month_combo.setToolTip(_("El mes cuyas cuentas quiere ver o registrar."))
        month_label_widget = QLabel(_("Mes:"))
        month_label_widget.setBuddy(self.month_combo)
        self.state_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addSpacing(20)
        top.addWidget(month_label_widget)
        top.addWidget(self.month_combo)
        top.addSpacing(12)
        top.addWidget(self.state_label)
        top.addStretch(1)

        self.banner = Banner()
        self.banner.action_clicked.connect(self._banner_action)
        self.no_committee = QLabel(_("Registre primero el comité en «Comité». Después podrá anotar aquí el dinero "
                                     "recibido y los gastos del comité."))
        self.no_committee.setWordWrap(True)
        set_role(self.no_committee, "hint")
        self.no_committee.hide()

        self.cycle = CycleCard()
        self.summary = TreasurySummary()
        summary_page = QWidget()
        summary_layout = QVBoxLayout(summary_page)
        summary_layout.addWidget(self.cycle)
        summary_layout.addWidget(self.summary, 1)
        # the other three tabs are built when first opened (or first asked for: see ``form``, ``expenses``,
        # ``transfers``): the page opens on «Resumen del mes», and building and styling a receipt form, a table
        # of the month's expenses and two forms nobody looks at yet took a third of the page's first visit
        self._form: ReceiptForm | None = None
        self._expenses: ExpensesPanel | None = None
        self._transfers: TransfersPanel | None = None
        self._form_area = _scrolled()
        self._expenses_page = QWidget()
        QVBoxLayout(self._expenses_page)
        self._transfers_area = _scrolled()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(_scrolled(summary_page), _("Resumen del mes"))
        self.tabs.addTab(self._form_area, _("Registrar gasto"))
        self.tabs.addTab(self._expenses_page, _("Gastos del mes"))
        self.tabs.addTab(self._transfers_area, _("Dinero recibido"))
        self.tabs.currentChanged.connect(self._tab_opened)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.no_committee)
        layout.addWidget(self.tabs, 1)

        self.month_combo.activated.connect(lambda _i: self.set_month(self.month_combo.currentData()))
        self.cycle.present_requested.connect(self._present_clicked)
        self.cycle.approve_requested.connect(self._approve_clicked)
        self.cycle.observe_requested.connect(self._observe_clicked)
        self.summary.print_requested.connect(self._print_clicked)
        self.summary.edit_headings_requested.connect(self.open_headings)
        self.summary.withdrawal_requested.connect(lambda: self.show_tab(3))
        ctx.committee_changed.connect(lambda _info: self.refresh())
        ctx.data_changed.connect(self._data_changed)
        self._stale = False
        self._set_enabled(False)

    # ------------------------------------------------------------------ the tabs built when first opened
    @property
    def form(self) -> ReceiptForm:
        """«Registrar gasto»."""
        if self._form is None:
            self._form = ReceiptForm(self.ctx)
            if self.ctx.committee is not None:
                self._form.load_prices()
            if self.view is not None:
                self._form.set_view(self.view)
            _hold(self._form_area, self._form)  # filled first, then shown: no empty frame is painted
        return self._form

    @property
    def expenses(self) -> ExpensesPanel:
        """«Gastos del mes»."""
        if self._expenses is None:
            self._expenses = ExpensesPanel()
            self._expenses.reverse_requested.connect(self._reverse_clicked)
            self._expenses.import_requested.connect(self._import_clicked)
            if self.view is not None:
                self._expenses.show_view(self.view)
            layout = self._expenses_page.layout()
            layout.addWidget(self._expenses)
            layout.activate()  # laid out and shown now (its rows measured), not after a paint of the empty tab
            self._expenses.show()
        return self._expenses

    @property
    def transfers(self) -> TransfersPanel:
        """«Dinero recibido»."""
        if self._transfers is None:
            self._transfers = TransfersPanel()
            self._transfers.transfer_submitted.connect(self.record_transfer)
            self._transfers.withdrawal_submitted.connect(self.record_withdrawal)
            self._transfers.reverse_requested.connect(self._reverse_money_clicked)
            if self.view is not None:
                self._transfers.show_view(self.view)
            _hold(self._transfers_area, self._transfers)
        return self._transfers

    def _tab_opened(self, index: int) -> None:
        self.banner.dismiss_transient()  # «Gasto n.º 7 anulado» is about the tab just left
        tab = {1: "form", 2: "expenses", 3: "transfers"}.get(index)
        if tab is not None:
            getattr(self, tab)  # built (and filled with the month shown) if it was not yet

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        """Read the month again (the main window calls this when the page is shown)."""
        committee = self.ctx.committee
        self.no_committee.setVisible(committee is None)
        self.tabs.setVisible(committee is not None)
        self.month_combo.setEnabled(committee is not None)
        if committee is None:
            self.view = None
            self.state_label.setText("")
            return
        db, cid, month, today = self.ctx.db, committee.id, self._month, clock.today()
        if self._form is not None:
            self._form.load_prices()

        def load() -> MonthView:
            return load_month(db, cid, month, today)  # month None: the latest (latest_month)

        self.ctx.runner.run(load, self._show, on_error=self._failed, key="treasury.month", owner=self)

    def set_month(self, month: str | None) -> None:
        if month and month != self._month:
            self._month = month
            self.banner.hide()
            self.refresh()

    def _show(self, view: MonthView) -> None:
        self.view = view
        self._month = view.month
        self.month_combo.blockSignals(True)
        self.month_combo.clear()
        for m in view.months:
            self.month_combo.addItem(month_label(m).capitalize(), m)
        self.month_combo.setCurrentIndex(max(0, self.month_combo.findData(view.month)))
        self.month_combo.blockSignals(False)
        self.state_label.setText(_("Rendición: {state}").format(state=_(view.state_label)))
        set_role(self.state_label, "summary")
        self.cycle.show_view(view)
        self.summary.show_view(view)
        for tab, show in ((self._form, "set_view"), (self._expenses, "show_view"), (self._transfers, "show_view")):
            if tab is not None:  # a tab not built yet is filled when it is
                getattr(tab, show)(view)
        self._set_enabled(True)

    def _failed(self, error: Exception) -> None:
        self.banner.show_message(str(error), error=True)

    def _set_enabled(self, enabled: bool) -> None:
        self.tabs.setEnabled(enabled)

    def _data_changed(self, kind: str) -> None:
        """Records this page shows changed (here or on another page: every write goes through
        ``AppContext.write``, which says what the journal entries it appended touched)."""
        if kind in ("treasury", "period", "committee"):
            self._stale = True
            if self.isVisible():
                self._stale = False
                self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.refresh()

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)

    # ------------------------------------------------------------------ writing (on the worker)
    def _run(self, fn, done, *, progress: str, on_error=None) -> None:
        """Record on the worker; the pages showing what it changed (this one included) are told by
        ``AppContext.write`` from the journal entries it appended."""
        self.ctx.write(fn, done, on_error=on_error or self._write_failed, progress=progress, owner=self)

    def _write_failed(self, error: Exception) -> None:
        self.banner.show_message(str(error), error=True)

    def _cid(self) -> int | None:
        return self.ctx.committee.id if self.ctx.committee is not None else None

    def record_transfer(self, transfer) -> None:
        db, cid, user = self.ctx.db, self._cid(), self.ctx.user
        if cid is None:
            return

        def done(_seq) -> None:
            self.transfers.transfer_form.clear()
            self.transfers.set_status(_("✓ Transferencia de {amount} registrada. Rinda cuentas de ella hasta el "
                                        "{deadline}.").format(amount=format_soles(transfer.amount),
                                                              deadline=f"{treasury.default_deadline(transfer.day):%d/%m/%Y}"),
                                      form=self.transfers.transfer_form)

        self._run(lambda: treasury.record_transfer(db, cid, transfer, user=user), done,
                  progress=_("Registrando la transferencia…"),
                  on_error=lambda e: self.transfers.set_status(str(e), error=True, form=self.transfers.transfer_form))

    def record_withdrawal(self, day: date, amount) -> None:
        db, cid, user = self.ctx.db, self._cid(), self.ctx.user
        if cid is None:
            return

        def done(_seq) -> None:
            self.transfers.withdrawal_form.clear()
            self.transfers.set_status(_("✓ Retiro de {amount} registrado: pasó del banco a la caja.").format(
                amount=format_soles(amount)), form=self.transfers.withdrawal_form)

        self._run(lambda: treasury.record_withdrawal(db, cid, day, amount, user=user), done,
                  progress=_("Registrando el retiro…"),
                  on_error=lambda e: self.transfers.set_status(str(e), error=True,
                                                               form=self.transfers.withdrawal_form))

    # ------------------------------------------------------------------ the month's accountability
    def _present_clicked(self) -> None:
        if self.view is None:
            return
        from qaliwarma.domain.people import Signature

        user = self.ctx.user
        if isinstance(user, Signature) and not user.may("dinero"):  # said before the question (it was asked, then
            self.banner.show_message(user.refusal("dinero"), error=True)  # refused by role)
            return
        label = month_label(self.view.month)
        if confirm(self, _("Presentar la rendición"),
                   _("¿Presentar la rendición de {month}? Después ya no podrá registrar, anular ni importar gastos "
                     "de este mes. Hágalo cuando todos los comprobantes estén registrados.").format(month=label),
                   _("Presentar")):
            self.set_state("presentado")

    # ------------------------------------------------------------------ the supervisor's answer (issue 13)
    def answer_file(self) -> str:  # tests replace this
        from PySide6.QtWidgets import QFileDialog

        name, _filter = QFileDialog.getOpenFileName(self, _("Elija el archivo de respuesta del supervisor"), "",
                                                    _("Respuesta del supervisor (*.json)"))
        return name

    def _import_answer(self) -> bool:
        """With members signing in, the supervisor's approval or observations come from the answer file the
        supervisor sent, never typed by the committee. False when nobody signs in (typed as before)."""
        from qaliwarma.domain.people import Signature
        from qaliwarma.services import answers

        if not isinstance(self.ctx.user, Signature) or self.view is None or self._cid() is None:
            return False
        name = self.answer_file()
        if not name:
            return True
        db, cid, user = self.ctx.db, self._cid(), self.ctx.user

        def done(doc) -> None:
            self.banner.show_message(_("Respuesta del supervisor {name} registrada: rendición de {month} {state}.")
                                     .format(name=doc["supervisor"], month=doc["month"], state=doc["state"]),
                                     transient=True)

        self._run(lambda: answers.import_answer(db, cid, Path(name), user=user), done,
                  progress=_("Registrando la respuesta del supervisor…"))
        return True

    def _approve_clicked(self) -> None:
        if self._import_answer():
            return
        if self.view is not None and confirm(
                self, _("Rendición aprobada"), _("¿El supervisor aprobó la rendición de {month}?").format(
                    month=month_label(self.view.month)), _("Sí, la aprobó")):
            self.set_state("aprobado")

    def _observe_clicked(self) -> None:
        if self.view is None or self._import_answer():
            return
        dialog = TextQuestion(_("Observaciones del supervisor"),
                              _("Copie las observaciones que hizo el supervisor a la rendición de {month}. "
                                "Después corrija lo que pidió y vuelva a presentarla.").format(
                                  month=month_label(self.view.month)),
                              _("Guardar observaciones"), missing=_("Escriba las observaciones del supervisor."),
                              parent=self)
        if dialog.exec():
            self.set_state("observado", dialog.value())

    def set_state(self, state: str, observations: str = "") -> None:
        if self.view is None or self._cid() is None:
            return
        db, cid, month, user = self.ctx.db, self._cid(), self.view.month, self.ctx.user
        messages = {
            "presentado": _("Rendición de {month} presentada. Entregue al supervisor el balance y el acta firmados; "
                            "cuando responda, anote aquí si la aprobó o la observó."),
            "aprobado": _("Rendición de {month} aprobada."),
            "observado": _("Observaciones guardadas. Corrija lo que pidió el supervisor y vuelva a presentar la "
                           "rendición de {month}."),
        }

        def done(_r) -> None:
            self.banner.show_message(messages[state].format(month=month_label(month)), transient=True)

        self._run(lambda: treasury.set_cycle_state(db, cid, month, state, user=user, observations=observations),
                  done, progress=_("Guardando el estado de la rendición ({state})…").format(
                      state=_(CYCLE_STATES[state])))

    # ------------------------------------------------------------------ cancelling and importing
    def _reverse_clicked(self, row: ExpenseRow) -> None:
        dialog = TextQuestion(_("Anular un gasto"),
                              _("Va a anular el gasto n.º {n} ({doc}, {amount}): {detail}. Queda en el historial con "
                                "el motivo. ¿Por qué se anula?").format(n=row.number, doc=row.document,
                                                                       amount=format_soles(row.amount),
                                                                       detail=row.detail),
                              _("Anular el gasto"), placeholder=_("p. ej. el monto estaba mal copiado"),
                              missing=_("Escriba el motivo: queda en el historial."), parent=self)
        if dialog.exec():
            self.reverse(row, dialog.value())

    def reverse(self, row: ExpenseRow, reason: str) -> None:
        db, cid, user = self.ctx.db, self._cid(), self.ctx.user
        if cid is None:
            return

        def done(_seq) -> None:
            self.banner.show_message(_("Gasto n.º {n} anulado ({amount}). Si estaba mal, regístrelo de nuevo en "
                                       "«Registrar gasto».").format(n=row.number, amount=format_soles(row.amount)),
                                     transient=True)
            if self._form is not None:  # «✓ Gasto guardado: …» of the receipt just annulled is no longer true
                self._form.saved_note.hide()

        self._run(lambda: reverse_expense(db, cid, row, reason, user, clock.today()), done,
                  progress=_("Anulando el gasto…"))

    def _reverse_money_clicked(self, row) -> None:
        what = (_("la transferencia del {day} ({amount}, {reference})").format(
                    day=format_day(row.day), amount=format_soles(row.amount), reference=row.reference or "—")
                if isinstance(row, TransferRow) else
                _("el retiro del banco del {day} ({amount})").format(day=format_day(row.day),
                                                                     amount=format_soles(row.amount)))
        dialog = TextQuestion(_("Anular un movimiento del banco"),
                              _("Va a anular {what}. Queda en el historial con el motivo; después registre el "
                                "movimiento bien. ¿Por qué se anula?").format(what=what),
                              _("Anular"), placeholder=_("p. ej. el monto era 900, no 9000"),
                              missing=_("Escriba el motivo: queda en el historial."), parent=self)
        if dialog.exec():
            self.reverse_money(row, dialog.value())

    def reverse_money(self, row, reason: str) -> None:
        """Cancel a transfer or a withdrawal (``TransferRow`` / ``WithdrawalRow``) with a reversal carrying
        ``reason``: the money it moved goes back, the entry stays in the history."""
        db, cid, user = self.ctx.db, self._cid(), self.ctx.user
        if cid is None:
            return
        transfer = isinstance(row, TransferRow)

        def done(_seq) -> None:
            self.transfers.set_status((_("✓ Transferencia del {day} ({amount}) anulada. Si estaba mal, regístrela de "
                                         "nuevo abajo.") if transfer else
                                       _("✓ Retiro del {day} ({amount}) anulado. Si estaba mal, regístrelo de nuevo "
                                         "abajo.")).format(day=format_day(row.day), amount=format_soles(row.amount)))

        self._run(lambda: corrections.reverse(db, cid, row.seq, user=user, reason=reason, today=clock.today()), done,
                  progress=_("Anulando…"), on_error=lambda e: self.transfers.set_status(str(e), error=True))

    def _import_clicked(self) -> None:
        start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _filter = QFileDialog.getOpenFileName(self, _("Elija la hoja de gastos"), start,
                                                    _("Hojas de cálculo (*.xlsx *.csv);;Todos los archivos (*)"))
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> ImportDialog | None:
        """Check the sheet (nothing is recorded) and show the result; the dialog offers to record it."""
        if self._cid() is None:
            return None
        db, cid, user = self.ctx.db, self._cid(), self.ctx.user
        dialog = ImportDialog(Path(path), self)
        dialog.record_requested.connect(self._record_sheet)
        self.import_dialog = dialog
        dialog.open()
        self.ctx.runner.run(lambda: check_sheet(db, cid, Path(path), user), dialog.show_check,
                            on_error=lambda e: dialog.show_problems(Path(path).name, e),
                            progress=_("Revisando la hoja…"), owner=dialog)
        return dialog

    def _record_sheet(self, check: SheetCheck) -> None:
        db, cid, user, dialog = self.ctx.db, self._cid(), self.ctx.user, self.import_dialog

        def done(result) -> None:
            n = len(result.seqs)
            self.banner.show_message(_("Se registraron {n} gastos de {name} por {total}.").format(
                n=n, name=check.path.name, total=format_soles(check.total)), transient=True)
            if dialog is not None:
                dialog.accept()

        self._run(lambda: treasury.record_expenses(db, cid, check.expenses, user=user, where=check.where), done,
                  progress=_("Registrando los gastos…"),
                  on_error=lambda e: dialog.show_record_failed(e) if dialog is not None else self._write_failed(e))

    # ------------------------------------------------------------------ headings
    def open_headings(self):
        from ..dialogs.treasury_headings import HeadingsDialog

        if self.view is None:
            return None
        spent = {h.code for h in self.view.headings if h.spent != 0}
        dialog = HeadingsDialog(self.ctx, self.view.heading_defs, spent, self)
        dialog.saved.connect(lambda: self.banner.show_message(_("Rubros guardados."), transient=True))
        self.headings_dialog = dialog
        dialog.open()
        return dialog

    # ------------------------------------------------------------------ printing
    def _print_clicked(self, kind: str) -> None:
        if self.view is None:
            return
        options: dict = {}
        if kind == "acta":
            from ..dialogs.treasury_acta import ActaDialog

            dialog = ActaDialog(month_label(self.view.month), self)
            if not dialog.exec():
                return
            options = dialog.options()
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = str(Path(folder) / f"{PDF_NAMES[kind]} {self.view.month}.pdf")
        path, _filter = QFileDialog.getSaveFileName(self, _("Guardar el PDF"), suggested, _("PDF (*.pdf)"))
        if path:
            self.print_document(kind, Path(path), **options)

    def print_document(self, kind: str, path: Path, **options) -> None:
        """Write the month's balance, acta or cash book to ``path`` (on the worker)."""
        from qaliwarma.reports import treasury as reports

        if self.view is None or self.ctx.committee is None:
            return
        db, info, month = self.ctx.db, self.ctx.committee, self.view.month
        builders = {"balance": lambda: reports.build_balance(db, info, month, path),
                    "acta": lambda: reports.build_acta_rendicion(db, info, month, path, **options),
                    "libro": lambda: reports.build_cash_book(db, info, month, path)}

        def done(written) -> None:
            self._last_pdf = Path(written)
            self.banner.show_message(_("Se guardó «{name}» en {folder}.").format(
                name=self._last_pdf.name, folder=self._last_pdf.parent), action=_("Abrir el PDF"))

        self._run(builders[kind], done, progress=_("Preparando el PDF…"))

    def _banner_action(self) -> None:
        if self._last_pdf is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._last_pdf)))
