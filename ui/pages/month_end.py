"""Cierre de mes: check what the month has, close it, print the monthly report and export the package
for the supervisor, each with the month's verification code."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.services.month_end import MonthEndData, MonthStatus, capital, load, month_label

from ..dialogs.confirm import confirm
from ..dialogs.stock_reason import ask_reason
from ..i18n import _
from ..theme import set_role
from ..widgets.banner import Banner
from ..widgets.sup_checklist import CheckList
from ..widgets.sup_code_card import CodeCard

#: kinds of records whose change alters what a month shows
WATCHED = ("menu", "stock", "service", "treasury", "incident", "period", "committee")


def today() -> date:
    """The day the page works with (tests replace it)."""
    from qaliwarma import clock

    return clock.today()  # the real date, or QALIWARMA_TODAY as for the core (training, tests)


def documents_folder() -> Path:
    """The application's one documents folder (the last one chosen; see ui.widgets.stock_pdf)."""
    from ..widgets.menu_files import documents_dir

    return Path(documents_dir())


def write_report(db, info, month: str, out: Path, day: date) -> str:
    """On the worker: the monthly report as PDF; returns its verification code."""
    from qaliwarma import printing

    return printing.monthly_report(db, info, month, out, today=day)


def write_bundle(db, info, month: str, out: Path) -> dict:
    """On the worker: the package for the supervisor; returns its manifest."""
    from qaliwarma.services import export

    return export.export_month_file(db, info, month, out)


class MonthEndPage(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data: MonthEndData | None = None
        self._chosen: str | None = None  # the month the user picked (None: the suggested one)
        self._stale = True
        self._busy = False
        self._printed: tuple[str, str, Path] | None = None  # (month, code, file) of the last report saved here
        self._loading = False
        self._last_file: Path | None = None

        self.title = QLabel(_("Cierre de mes"))
        set_role(self.title, "title")
        self.banner = Banner()
        self.banner.action_clicked.connect(self._open_last_file)

        # --- no committee yet
        self.empty = QLabel(_("Registre primero el comité en «Comité». Después podrá cerrar cada mes, imprimir "
                              "su informe y exportar el paquete para el supervisor."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        set_role(self.empty, "hint")

        # --- the month
        self.next_step = QLabel()
        self.next_step.setWordWrap(True)
        set_role(self.next_step, "hint")
        self.month_combo = QComboBox()
        self.month_combo.setMinimumContentsLength(24)
        self.month_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.month_combo.activated.connect(self._month_picked)
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        set_role(self.state_label, "summary")
        picker = QHBoxLayout()
        month_caption = QLabel(_("Mes:"))
        month_caption.setBuddy(self.month_combo)
        picker.addWidget(month_caption)
        picker.addWidget(self.month_combo)
        picker.addSpacing(12)
        picker.addWidget(self.state_label, 1)

        self.checklist = CheckList()
        self.checklist_box = QGroupBox(_("Lo que tiene el mes"))
        box_layout = QVBoxLayout(self.checklist_box)
        box_layout.setContentsMargins(14, 14, 14, 12)
        box_layout.addWidget(self.checklist)
        box_layout.addStretch(1)

        self.code_card = CodeCard()
        style = self.style()
        self.close_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton),
                                        _("Cerrar el mes"))
        set_role(self.close_button, "primary")
        self.close_button.clicked.connect(self.close_month)
        self.report_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView),
                                         _("Imprimir el informe mensual"))
        self.report_button.clicked.connect(self.print_report)
        self.export_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton),
                                         _("Exportar el paquete para el supervisor"))
        self.export_button.clicked.connect(self.export_bundle)
        for button in (self.report_button, self.export_button):
            button.setStyleSheet("text-align: left; padding: 9px 16px;")
        self.close_button.setStyleSheet("text-align: left;")
        self.close_note = QLabel()
        self.close_note.setWordWrap(True)
        set_role(self.close_note, "muted")

        self.closed_list = QLabel()
        self.closed_list.setWordWrap(True)
        self.closed_list.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        closed_box = QGroupBox(_("Meses cerrados"))
        closed_layout = QVBoxLayout(closed_box)
        closed_layout.setContentsMargins(14, 14, 14, 12)
        closed_layout.addWidget(self.closed_list)

        actions = QVBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.code_card)
        actions.addWidget(self.close_button)
        actions.addWidget(self.close_note)
        actions.addWidget(self.report_button)
        actions.addWidget(self.export_button)
        actions.addWidget(closed_box)
        actions.addStretch(1)

        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addWidget(self.checklist_box, 5)
        columns.addLayout(actions, 4)

        month_view = QWidget()
        month_layout = QVBoxLayout(month_view)
        month_layout.setContentsMargins(0, 0, 0, 0)
        month_layout.setSpacing(10)
        month_layout.addWidget(self.next_step)
        month_layout.addLayout(picker)
        month_layout.addLayout(columns)
        month_layout.addStretch(1)

        self.loading = QLabel(_("Revisando el mes…"))
        set_role(self.loading, "muted")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.loading)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(month_view)

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setSpacing(10)
        content_layout.addWidget(self.title)
        content_layout.addWidget(self.banner)
        content_layout.addWidget(self.stack, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        ctx.committee_changed.connect(self._committee_changed)
        ctx.data_changed.connect(self._data_changed)
        self._update_buttons()

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        """Read the chosen month again (the main window calls this when the page is shown)."""
        info = self.ctx.committee
        if info is None:
            self.data = None
            self.stack.setCurrentWidget(self.empty)
            self._update_buttons()
            return
        if self.data is None:
            self.loading.setText(_("Revisando el mes…"))
            self.stack.setCurrentWidget(self.loading)
        self._stale = False
        self._loading = True  # what is shown may be another month until this arrives
        self._update_buttons()
        db, month, day = self.ctx.db, self._chosen, today()
        self.ctx.runner.run(lambda: load(db, info, month, day), self._show, on_error=self._load_failed,
                            key="month_end.load", owner=self)

    def _committee_changed(self, _info) -> None:
        self._chosen = None
        self.data = None
        self.banner.hide()
        self.refresh()

    def _data_changed(self, kind: str) -> None:
        if kind in WATCHED:
            self._stale = True
            if self.isVisible():
                self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _load_failed(self, error: Exception) -> None:
        self._loading = False
        self._update_buttons()
        self.banner.show_message(str(error), error=True)
        if self.data is None:
            self.stack.setCurrentWidget(self.empty if self.ctx.committee is None else self.loading)
            self.loading.setText(_("No se pudo revisar el mes. Elija otro mes o vuelva a intentarlo."))

    def _show(self, data: MonthEndData) -> None:
        self._loading = False
        self.data = data
        self.stack.setCurrentIndex(2)
        status = data.status
        shown = status.month if status else (self._chosen or data.suggested)
        self.month_combo.blockSignals(True)
        self.month_combo.clear()
        for month, closed in data.months:
            self.month_combo.addItem(month_label(month) + (_("  (cerrado)") if closed else ""), month)
        self.month_combo.setCurrentIndex(max(0, self.month_combo.findData(shown)))
        self.month_combo.blockSignals(False)
        if data.closed:
            self.closed_list.setText("\n".join(c.text for c in data.closed))
            set_role(self.closed_list, "")
        else:
            self.closed_list.setText(_("Todavía no se cerró ningún mes."))
            set_role(self.closed_list, "muted")
        if status is None:
            self.checklist.set_items([])
            self.state_label.setText(month_label(shown))
            self.next_step.setText(_("Este mes todavía no empieza. Elija un mes que ya empezó."))
        else:
            self._show_status(status)
        self._update_buttons()

    def _show_status(self, status: MonthStatus) -> None:
        self._say_if_printed_report_is_old(status)
        self.checklist.set_items(status.items)
        self.checklist_box.setTitle(_("Lo que tiene {month}").format(month=status.label))
        if status.closed:
            self.state_label.setText(_("{month}: CERRADO").format(month=capital(status.label)))
            self.code_card.set_code(
                _("Código de verificación de {month}").format(month=status.label), status.code,
                _("Este código sale en cada hoja del informe mensual y en el paquete para el supervisor: si son "
                  "iguales, el papel y el archivo corresponden."))
            self.next_step.setText(_("{month} está cerrado: ya nada de ese mes se puede cambiar. Ahora imprima el "
                                     "informe mensual para firmarlo y exporte el paquete para el supervisor.").format(
                month=capital(status.label)))
            self.close_note.setText(_("Las correcciones de este mes se anotan en {month}.").format(
                month=month_label(status.next_open)))
        else:
            self.state_label.setText(_("{month}: abierto").format(month=capital(status.label)))
            self.code_card.set_code(
                _("Código de verificación de {month}, por ahora").format(month=status.label), status.code,
                _("El mes está abierto: el código cambia si anota algo más o cierra el mes. Imprima el informe y "
                  "exporte el paquete después de cerrarlo, para que los dos lleven el mismo código."))
            if status.ended:
                self.next_step.setText(_("{month} ya terminó y sigue abierto. Revise la lista de abajo; si todo "
                                         "está anotado, pulse «Cerrar el mes».").format(month=capital(status.label)))
            else:
                self.next_step.setText(_("{month} todavía no termina. Siga anotando las raciones, recepciones y "
                                         "gastos; al terminar el mes, vuelva aquí para cerrarlo.").format(
                    month=capital(status.label)))
            self.close_note.setText(_("Después de cerrarlo, nada de {month} se podrá cambiar.").format(
                month=status.label))

    def _say_if_printed_report_is_old(self, status: MonthStatus) -> None:
        """The report saved here carries a code the month no longer has (something was recorded or changed since):
        the «imprímalo» note gave way to saying so, or the committee would sign a paper that no longer matches."""
        if self._printed is None or self._printed[0] != status.month or self._printed[1] == status.code:
            return
        _month, old, out = self._printed
        self.banner.show_message(_(
            "Los datos de {month} cambiaron después de guardar el informe {file}: ese informe lleva el código "
            "{old} y el mes tiene ahora el código {new}. Vuelva a imprimir el informe; no firme el anterior.").format(
            month=status.label, file=out.name, old=old, new=status.code), error=True)

    def _month_picked(self, _index: int) -> None:
        self._chosen = self.month_combo.currentData()
        self.banner.hide()
        self.refresh()

    def status(self) -> MonthStatus | None:
        return self.data.status if self.data else None

    def _update_buttons(self) -> None:
        status = self.status()
        ready = status is not None and not self._busy and not self._loading and self.ctx.committee is not None
        self.close_button.setEnabled(ready and not status.closed and status.started)
        self.close_button.setText(_("Mes cerrado") if status is not None and status.closed else _("Cerrar el mes"))
        self.report_button.setEnabled(ready)
        self.export_button.setEnabled(ready)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.month_combo.setEnabled(not busy)
        self._update_buttons()

    def _failed(self, error: Exception) -> None:
        self._set_busy(False)
        self.banner.show_message(str(error), error=True)

    # ------------------------------------------------------------------ close
    def close_month(self) -> None:
        status = self.status()
        if status is None or status.closed:
            return
        from qaliwarma.domain.people import Signature

        user = self.ctx.user
        if isinstance(user, Signature) and not user.may("cierre"):  # said before any question (an early close's
            self.banner.show_message(user.refusal("cierre"), error=True)  # reason was asked, then refused by role)
            return
        if status.close_refusal:  # before the month's last school day: only an early close, with its reason
            warning = _("Al cerrarlo, nada de {month} se podrá cambiar ni agregar: tampoco las raciones de los días "
                        "de clase que faltan.").format(month=status.label)
            if status.missing_days:
                warning += " " + _("Ya faltan las raciones de {n}.").format(
                    n=f"{len(status.missing_days)} " + (_("día") if len(status.missing_days) == 1 else _("días")))
            reason = ask_reason(
                self, _("Cierre anticipado"),
                status.close_refusal + "\n\n" + warning + "\n\n" + _("Para cerrarlo antes, escriba por qué (queda "
                                                                       "anotado en el cierre y lo verá el supervisor)."),
                _("Cerrar antes, con este motivo"), label=_("Motivo del cierre anticipado:"),
                missing=_("Escriba el motivo del cierre anticipado."))
            if not reason:
                self.banner.show_message(_("{month} no se cerró: todavía no termina su último día de clases.").format(
                    month=capital(status.label)), error=True)
                return
            self.do_close(status.month, early_reason=reason)
            return
        text = _("Al cerrar {month}, nada de ese mes se podrá cambiar ni agregar: ni raciones, ni recepciones, ni "
                 "gastos, ni incidencias.\n\nSi después encuentra un error, la corrección se anota en el mes "
                 "siguiente que esté abierto ({next}), con el motivo.").format(
            month=status.label, next=month_label(status.next_open))
        if status.missing_days:
            text += "\n\n" + _("Atención: faltan las raciones de {n} de clase.").format(
                n=f"{len(status.missing_days)} " + (_("día") if len(status.missing_days) == 1 else _("días")))
        if not status.ended:
            text += "\n\n" + _("Atención: el mes todavía no termina; después de cerrarlo no podrá anotar lo que "
                               "falta de este mes.")
        if confirm(self, _("Cerrar el mes"), text + "\n\n" + _("¿Cerrar {month}?").format(month=status.label),
                   _("Cerrar el mes")):
            self.do_close(status.month)

    def do_close(self, month: str, *, early_reason: str = "") -> None:
        """Close ``month`` (already confirmed; early, with its reason, before its last school day)."""
        from qaliwarma.services import periods

        info, db, user = self.ctx.committee, self.ctx.db, self.ctx.user
        if info is None:
            return
        self._set_busy(True)
        day = today()
        self.ctx.runner.run(lambda: periods.close(db, info.id, month, user=user, today=day,
                                                  early=bool(early_reason), reason=early_reason),
                            lambda _seq: self._closed(month), on_error=self._failed,
                            progress=_("Cerrando el mes…"), owner=self)

    def _closed(self, month: str) -> None:
        self._set_busy(False)
        self._last_file = None
        self.banner.show_message(_("{month} quedó cerrado. Ahora imprima el informe mensual y exporte el paquete "
                                   "para el supervisor.").format(month=capital(month_label(month))))
        self._chosen = month
        self.ctx.changed("period")  # refreshes this page too
        if self._stale:
            self.refresh()

    # ------------------------------------------------------------------ report
    def _ask_file(self, title: str, name: str, kind: str, suffix: str) -> Path | None:
        path, _filter = QFileDialog.getSaveFileName(self, title, str(documents_folder() / name), kind)
        if not path:
            return None
        from ..widgets.stock_pdf import remember_folder

        remember_folder(path)  # the one documents folder: next time the dialog opens there
        out = Path(path)
        return out if out.suffix.lower() == suffix else out.with_name(out.name + suffix)

    def print_report(self) -> None:
        status, info = self.status(), self.ctx.committee
        if status is None or info is None:
            return
        out = self._ask_file(_("Guardar el informe mensual"),
                             f"informe-mensual-{info.form.codigo_modular}-{status.month}.pdf",
                             _("Documento PDF (*.pdf)"), ".pdf")
        if out is not None:
            self.write_report_to(out)

    def write_report_to(self, out: Path) -> None:
        status, info, db = self.status(), self.ctx.committee, self.ctx.db
        if status is None or info is None:
            return
        month, day = status.month, today()
        self._set_busy(True)
        self.ctx.runner.run(lambda: write_report(db, info, month, out, day),
                            lambda code: self._report_done(month, out, code), on_error=self._failed,
                            progress=_("Preparando el informe mensual…"), owner=self)

    def _report_done(self, month: str, out: Path, code: str) -> None:
        self._set_busy(False)
        self._last_file = out
        self._printed = (month, code, out)
        self.code_card.set_code(_("Código de verificación del informe de {month}").format(month=month_label(month)),
                                code, _("Este mismo código está impreso en cada hoja del informe."))
        text = _("Informe guardado en {file}. Ábralo e imprímalo para que lo firme el comité.").format(file=out)
        status = self.status()
        if status is not None and not status.closed:
            text += " " + _("El mes está abierto: cuando lo cierre, vuelva a imprimir el informe.")
        self.banner.show_message(text, action=_("Abrir el informe"))

    # ------------------------------------------------------------------ export
    def export_bundle(self) -> None:
        status, info = self.status(), self.ctx.committee
        if status is None or info is None:
            return
        if not status.closed and not confirm(
                self, _("El mes está abierto"),
                _("{month} todavía está abierto. Lo correcto es cerrarlo primero con «Cerrar el mes» y después "
                  "exportar el paquete: así el supervisor recibe el mes completo y no verá la alerta «el mes no "
                  "estaba cerrado».\n\n¿Exportar igual, sin cerrar?").format(month=capital(status.label)),
                _("Exportar sin cerrar")):
            return
        out = self._ask_file(_("Guardar el paquete para el supervisor"),
                             f"paquete-{info.form.codigo_modular}-{status.month}.zip",
                             _("Paquete para el supervisor (*.zip)"), ".zip")
        if out is not None:
            self.write_bundle_to(out)

    def write_bundle_to(self, out: Path) -> None:
        status, info, db = self.status(), self.ctx.committee, self.ctx.db
        if status is None or info is None:
            return
        month = status.month
        self._set_busy(True)
        self.ctx.runner.run(lambda: write_bundle(db, info, month, out),
                            lambda manifest: self._bundle_done(month, out, manifest), on_error=self._failed,
                            progress=_("Exportando el paquete…"), owner=self)

    def _bundle_done(self, month: str, out: Path, manifest: dict) -> None:
        from qaliwarma.services.export import verification_code

        self._set_busy(False)
        self._last_file = out.parent
        code = verification_code(manifest["bundle_code"])
        self.code_card.set_code(_("Código de verificación del paquete de {month}").format(month=month_label(month)),
                                code, _("Es el mismo código del informe mensual del mes."))
        text = _("Paquete guardado en {file}. Envíelo al supervisor (por correo o en una memoria USB).").format(
            file=out)
        error = False
        if not manifest.get("closed"):
            text = _("Paquete guardado en {file}, pero el mes NO está cerrado: ciérrelo con «Cerrar el mes» y "
                     "vuelva a exportar antes de enviarlo al supervisor.").format(file=out)
            error = True
        self.banner.show_message(text, error=error, action=_("Abrir la carpeta"))

    def _open_last_file(self) -> None:
        if self._last_file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._last_file)))
