"""Personas y copias: the members (PINs, who was a member when, what each role may do), backups to a
folder or USB stick and their restore, and the change of committee with its «Acta de entrega»."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qaliwarma import clock
from qaliwarma.domain.committee import ROLES, STAKEHOLDERS, MemberForm
from qaliwarma.domain.people import ACTIONS, Signature
from qaliwarma.services import backup, people

from ..dialogs.confirm import confirm, inform
from ..i18n import _
from ..theme import set_role
from ..widgets import stock_common as common
from ..widgets.lazy_page import LazyPage
from ..widgets.stock_pdf import make_pdf


def _pin_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(6)
    field.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,6}"), field))
    return field


class PinDialog(QDialog):
    """A new PIN, typed twice."""

    def __init__(self, parent, name: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("PIN de {name}").format(name=name))
        self.setMinimumWidth(460)
        self.first, self.second = _pin_field(), _pin_field()
        self.message = common.message_label()
        buttons = QDialogButtonBox()
        ok = buttons.addButton(_("Guardar PIN"), QDialogButtonBox.ButtonRole.AcceptRole)
        set_role(ok, "primary")
        buttons.addButton(_("Cancelar"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        text = QLabel(_("Escriba el PIN nuevo de {name}: de 4 a 6 números. Que no lo vea nadie más.").format(name=name))
        text.setWordWrap(True)
        layout.addWidget(text)
        for caption, field in ((_("PIN nuevo"), self.first), (_("Repita el PIN"), self.second)):
            label = QLabel(caption)
            label.setBuddy(field)
            layout.addWidget(label)
            layout.addWidget(field)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def pin(self) -> str:
        return self.first.text()

    def accept(self) -> None:
        from qaliwarma.domain.people import check_pin

        if check_pin(self.first.text()):
            common.show_message(self.message, _("El PIN debe tener de 4 a 6 números (sin letras ni espacios)."))
            return
        if self.first.text() != self.second.text():
            common.show_message(self.message, _("Los dos PIN no coinciden: escríbalos otra vez."))
            return
        super().accept()


class PeoplePage(LazyPage):
    TITLE = "Personas y copias"
    #: a backup was restored: the application must reopen its data
    restored = Signal(str)

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._members: list = []
        self.start_frame(_("Personas y copias de seguridad"))
        self.tabs.addTab(self._build_members(), _("Integrantes y PIN"))
        self.tabs.addTab(self._build_backups(), _("Copias de seguridad"))
        self.tabs.addTab(self._build_handover(), _("Cambio de comité"))
        self.finish_frame(ctx, ("committee",))

    # ------------------------------------------------------------------ building
    @staticmethod
    def _table(headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.setMinimumHeight(200)
        return table

    def _build_members(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.signed_label = QLabel()
        self.signed_label.setWordWrap(True)
        layout.addWidget(self.signed_label)
        members_box = QGroupBox(_("Integrantes (también quienes ya salieron: quién fue integrante y cuándo)"))
        box_layout = QVBoxLayout(members_box)
        self.members_table = self._table([_("Nombre"), _("DNI"), _("Cargo"), _("Desde"), _("Hasta"), _("PIN")])
        box_layout.addWidget(self.members_table)
        buttons = QHBoxLayout()
        self.pin_button = QPushButton(_("Asignar o cambiar el PIN…"))
        self.pin_button.clicked.connect(self.change_pin)
        self.unlock_button = QPushButton(_("Desbloquear"))
        self.unlock_button.clicked.connect(self.unlock)
        buttons.addWidget(self.pin_button)
        buttons.addWidget(self.unlock_button)
        buttons.addStretch(1)
        box_layout.addLayout(buttons)
        self.members_message = common.message_label()
        box_layout.addWidget(self.members_message)
        layout.addWidget(members_box)
        roles_box = QGroupBox(_("Qué puede hacer cada cargo"))
        roles_layout = QVBoxLayout(roles_box)
        self.roles_table = self._table([_("Acción"), _("Quién puede")])
        roles_layout.addWidget(self.roles_table)
        layout.addWidget(roles_box)
        return page

    def _build_backups(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        text = QLabel(_("El programa guarda una copia automática cada día que se usa y antes de cerrar un mes, en "
                        "la carpeta «copias» junto a los datos. Guarde también una copia en una memoria USB o en "
                        "otra carpeta: si la computadora se malogra, con ella recupera todo. Cada copia es un solo "
                        "archivo que se verifica solo."))
        text.setWordWrap(True)
        layout.addWidget(text)
        buttons = QHBoxLayout()
        self.backup_button = QPushButton(_("Copia de seguridad…"))
        set_role(self.backup_button, "primary")
        self.backup_button.clicked.connect(self.make_backup)
        self.restore_button = QPushButton(_("Restaurar…"))
        self.restore_button.clicked.connect(self.restore)
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.backup_message = common.message_label()
        layout.addWidget(self.backup_message)
        auto_box = QGroupBox(_("Copias automáticas"))
        auto_layout = QVBoxLayout(auto_box)
        self.backups_table = self._table([_("Fecha"), _("Motivo"), _("Asientos del diario"), _("Archivo")])
        auto_layout.addWidget(self.backups_table)
        layout.addWidget(auto_box)
        layout.addStretch(1)
        return page

    def _build_handover(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        text = QLabel(_("Cuando cambia el comité (cada año escolar, o cuando alguien deja el cargo), marque quién "
                        "sale y escriba quién entra. Después imprima el acta de entrega: lista el stock por lote, "
                        "el dinero en banco y en caja, las rendiciones pendientes y las incidencias abiertas, con "
                        "las firmas de ambos comités."))
        text.setWordWrap(True)
        layout.addWidget(text)
        grid = QGridLayout()
        grid.addWidget(QLabel(_("Fecha del cambio")), 0, 0)
        self.handover_day = common.DayEdit()
        grid.addWidget(self.handover_day, 0, 1)
        layout.addLayout(grid)
        self.leaving_box = QGroupBox(_("Salen del comité"))
        self.leaving_layout = QVBoxLayout(self.leaving_box)
        self.leaving: list[QCheckBox] = []
        layout.addWidget(self.leaving_box)
        joining_box = QGroupBox(_("Entran al comité"))
        self.joining_grid = QGridLayout(joining_box)
        for col, caption in enumerate((_("Nombres y apellidos"), _("DNI"), _("Cargo"), _("Tipo"), _("PIN"))):
            self.joining_grid.addWidget(QLabel(caption), 0, col)
        self.joining: list[tuple[QLineEdit, QLineEdit, QComboBox, QComboBox, QLineEdit]] = []
        add = QPushButton(_("Agregar otra persona"))
        add.clicked.connect(self._add_joining)
        layout.addWidget(joining_box)
        layout.addWidget(add)
        self._add_joining()
        self.handover_message = common.message_label()
        layout.addWidget(self.handover_message)
        buttons = QHBoxLayout()
        self.handover_button = QPushButton(_("Registrar el cambio de comité"))
        set_role(self.handover_button, "primary")
        self.handover_button.clicked.connect(self.record_handover)
        self.acta_button = QPushButton(_("Acta de entrega (PDF)"))
        self.acta_button.clicked.connect(self.print_acta)
        buttons.addWidget(self.handover_button)
        buttons.addWidget(self.acta_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
        return page

    def _add_joining(self) -> None:
        name, dni, pin = QLineEdit(), QLineEdit(), _pin_field()
        dni.setMaxLength(8)
        role, kind = QComboBox(), QComboBox()
        for combo, choices in ((role, ROLES), (kind, STAKEHOLDERS)):
            combo.addItem(_("— Elija —"), None)
            for key, label in choices.items():
                combo.addItem(_(label), key)
        row = len(self.joining) + 1
        for col, widget in enumerate((name, dni, role, kind, pin)):
            self.joining_grid.addWidget(widget, row, col)
        self.joining.append((name, dni, role, kind, pin))

    # ------------------------------------------------------------------ unsaved work
    def has_unsaved_changes(self) -> bool:
        """Someone typed who joins the committee and did not record the change yet."""
        return any(name.text().strip() or dni.text().strip() for name, dni, _r, _k, _p in self.joining)

    def discard_changes(self) -> None:
        for name, dni, _role, _kind, pin in self.joining:
            name.clear()
            dni.clear()
            pin.clear()

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        info = self.begin_refresh()
        if info is None:
            return
        db, cid, folder_of = self.ctx.db, info.id, backup.backups_dir

        def load():
            folder = folder_of(db) if db.is_sqlite else None
            return (people.history(db, cid), people.permissions(db, cid),
                    backup.listing(folder) if folder else [])

        self.ctx.runner.run(load, self._loaded, key="people-page", owner=self)

    def _loaded(self, result) -> None:
        members, perms, backups = result
        self._members = members
        user = self.ctx.user
        if isinstance(user, Signature):
            self.signed_label.setText(_("Firmó como {name}, {role}. Todo lo que registre queda a su nombre.")
                                      .format(name=user.name, role=_(ROLES.get(user.role, user.role))))
        elif any(m.has_pin for m in members):
            self.signed_label.setText(_("Nadie firmó al abrir el programa."))
        else:
            self.signed_label.setText(_("Ningún integrante tiene PIN todavía: el programa no pide firmar. Asigne "
                                        "un PIN a cada integrante (empiece por el presidente) y desde entonces "
                                        "cada uno firmará al abrir el programa."))
        today = clock.today()
        self.members_table.setRowCount(len(members))
        for r, m in enumerate(members):
            pin = (_("bloqueado") if m.locked_until and m.locked_until > datetime.now()
                   else _("sí") if m.has_pin else _("no"))
            cells = (m.name, m.dni, _(m.role_label), m.start_date.strftime("%d/%m/%Y"),
                     m.end_date.strftime("%d/%m/%Y") if m.end_date else _("en funciones"), pin)
            for c, text in enumerate(cells):
                self.members_table.setItem(r, c, QTableWidgetItem(text))
        self.roles_table.setRowCount(len(ACTIONS))
        for r, (action, label) in enumerate(ACTIONS.items()):
            text = _(label)
            self.roles_table.setItem(r, 0, QTableWidgetItem(text[:1].upper() + text[1:]))
            allowed = perms.get(action, ())
            who = (_("Todos los integrantes") if set(allowed) >= set(ROLES) else
                   ", ".join(_(ROLES.get(x, x)) for x in allowed) or _("Nadie"))
            self.roles_table.setItem(r, 1, QTableWidgetItem(who))
        self.backups_table.setRowCount(len(backups))
        for r, b in enumerate(backups):
            cells = (_day_and_time(b.created_at), _(backup.REASON_LABELS.get(b.reason, b.reason)),
                     str(sum(c.entries for c in b.committees)), b.path.name)
            for c, text in enumerate(cells):
                self.backups_table.setItem(r, c, QTableWidgetItem(text))
        for box in self.leaving:
            box.deleteLater()
        self.leaving = []
        for m in members:
            if m.active(today):
                box = QCheckBox(f"{m.name} — {_(m.role_label)}")
                box.setProperty("dni", m.dni)
                self.leaving_layout.addWidget(box)
                self.leaving.append(box)

    # ------------------------------------------------------------------ members
    def _selected(self):
        row = self.members_table.currentRow()
        return self._members[row] if 0 <= row < len(self._members) else None

    def change_pin(self) -> None:
        member = self._selected()
        if member is None:
            common.show_message(self.members_message, _("Elija primero a un integrante en la lista."))
            return
        dialog = PinDialog(self, member.name)
        if not self._ask(dialog):
            return
        db, cid, user, pin = self.ctx.db, self.ctx.committee.id, self.ctx.user, dialog.pin()
        self.ctx.runner.run(lambda: people.set_pin(db, cid, member.dni, pin, user=user),
                            lambda _r: self._members_done(_("PIN guardado para {name}.").format(name=member.name)),
                            on_error=lambda e: common.show_message(self.members_message, str(e)), owner=self)

    def unlock(self) -> None:
        member = self._selected()
        if member is None:
            common.show_message(self.members_message, _("Elija primero a un integrante en la lista."))
            return
        db, cid, user = self.ctx.db, self.ctx.committee.id, self.ctx.user
        self.ctx.runner.run(lambda: people.unlock(db, cid, member.dni, user=user),
                            lambda _r: self._members_done(_("{name} puede volver a firmar.").format(name=member.name)),
                            on_error=lambda e: common.show_message(self.members_message, str(e)), owner=self)

    def _members_done(self, text: str) -> None:
        common.show_message(self.members_message, text, ok=True)
        self._mark_dirty()

    @staticmethod
    def _ask(dialog) -> bool:  # tests replace this
        return dialog.exec() == QDialog.DialogCode.Accepted

    # ------------------------------------------------------------------ backups
    def ask_folder(self) -> str:  # tests replace this
        return QFileDialog.getExistingDirectory(self, _("Elija la carpeta o la memoria USB para la copia"))

    def ask_backup_file(self) -> str:  # tests replace this
        name, _filter = QFileDialog.getOpenFileName(self, _("Elija la copia de seguridad"), "",
                                                    _("Copias de Qali Warma CAE (*{suffix})").format(suffix=backup.SUFFIX))
        return name

    def confirm_restore(self, text: str) -> bool:  # tests replace this
        return confirm(self, _("Restaurar la copia"), text, _("Restaurar"))

    def make_backup(self) -> None:
        user = self.ctx.user
        if isinstance(user, Signature) and not user.may("copias"):
            common.show_message(self.backup_message, user.refusal("copias"))
            return
        folder = self.ask_folder()
        if not folder:
            return
        db = self.ctx.db
        self.backup_button.setEnabled(False)
        self.ctx.runner.run(lambda: backup.create(db, folder=Path(folder)), self._backed_up,
                            on_error=self._backup_failed, progress=_("Guardando la copia de seguridad…"), owner=self)

    def _backed_up(self, made) -> None:
        self.backup_button.setEnabled(True)
        common.show_message(self.backup_message, _("Copia guardada en {path}.").format(path=made.path), ok=True)

    def _backup_failed(self, error: Exception) -> None:
        self.backup_button.setEnabled(True)
        self.restore_button.setEnabled(True)
        common.show_message(self.backup_message, str(error))

    def restore(self) -> None:
        user = self.ctx.user
        if isinstance(user, Signature) and not user.may("restaurar"):
            common.show_message(self.backup_message, user.refusal("restaurar"))
            return
        name = self.ask_backup_file()
        if not name:
            return
        self.restore_button.setEnabled(False)
        db = self.ctx.db

        def check():  # the copy verified, and what the current data has that it has not
            held = backup.verify(Path(name))
            return held, backup.restore_losses(db, held)

        self.ctx.runner.run(check, lambda result: self._verified(Path(name), *result),
                            on_error=self._backup_failed, progress=_("Verificando la copia…"), owner=self)

    def _verified(self, path: Path, held, lost: list[str] | tuple = ()) -> None:
        self.restore_button.setEnabled(True)
        text = _("La copia está completa y verificada. Contiene:\n\n{what}\n\nSi la restaura, reemplaza los datos "
                 "actuales; los actuales no se borran: quedan aparte, junto a la base de datos. Después el programa "
                 "se cierra y, al abrirlo, muestra los datos de la copia.").format(what=held.describe())
        if lost:  # an older copy: what stops being seen comes first, before what the copy holds
            text = _("ATENCIÓN: esta copia es más antigua que los datos actuales. Si la restaura:\n\n{lost}\n\nNo "
                     "se borra nada (los datos actuales quedan aparte, junto a la base de datos), pero el programa "
                     "ya no los mostrará. Restaure solo si los datos actuales están dañados o equivocados.").format(
                lost="\n".join("• " + line for line in lost)) + "\n\n" + text
        if not self.confirm_restore(text):
            return
        db = self.ctx.db
        self.ctx.runner.run(lambda: backup.restore_over(db, path), self._restored, on_error=self._backup_failed,
                            progress=_("Restaurando la copia…"), owner=self)

    def _restored(self, done) -> None:
        text = _("Copia restaurada. Los datos que había quedaron aparte en {path}.").format(
            path=done.replaced) if done.replaced else _("Copia restaurada.")
        common.show_message(self.backup_message, text, ok=True)
        self.restored.emit(text)

    # ------------------------------------------------------------------ handover
    def _joining_forms(self) -> tuple[list[MemberForm], dict[str, str]]:
        forms, pins = [], {}
        day = self.handover_day.day()
        for name, dni, role, kind, pin in self.joining:
            if not name.text().strip() and not dni.text().strip():
                continue
            forms.append(MemberForm(name.text().strip(), dni.text().strip(), role.currentData() or "",
                                    kind.currentData() or "", day))
            if pin.text():
                pins[dni.text().strip()] = pin.text()
        return forms, pins

    def record_handover(self) -> None:
        day = self.handover_day.day()
        leaving = [box.property("dni") for box in self.leaving if box.isChecked()]
        joining, pins = self._joining_forms()
        db, cid, user = self.ctx.db, self.ctx.committee.id, self.ctx.user
        self.handover_button.setEnabled(False)
        self.ctx.runner.run(lambda: people.handover(db, cid, day, leaving, joining, user=user, incoming_pins=pins),
                            self._handed_over, on_error=self._handover_failed, owner=self)

    def _handed_over(self, done) -> None:
        self.handover_button.setEnabled(True)
        self.discard_changes()
        common.show_message(self.handover_message, _("Cambio de comité registrado (asiento n.º {seq}). Imprima el "
                                                     "acta de entrega para que firmen ambos comités.").format(
            seq=done.seq), ok=True)
        self.ctx.changed("committee")
        from qaliwarma.services import committee

        db, cid = self.ctx.db, self.ctx.committee.id
        self.ctx.runner.run(lambda: committee.require_id(db, cid), self.ctx.set_committee, owner=self)

    def _handover_failed(self, error: Exception) -> None:
        self.handover_button.setEnabled(True)
        common.show_message(self.handover_message, str(error))

    def print_acta(self) -> None:
        from qaliwarma.reports.handover import build_handover_acta

        info, db = self.ctx.committee, self.ctx.db
        day = self.handover_day.day()
        make_pdf(self.ctx, self, f"acta-de-entrega-{day:%Y-%m-%d}.pdf",
                 lambda out: build_handover_acta(db, info, out, day=day), notice=self.pdf_notice,
                 failed=lambda e: inform(self, _("No se pudo hacer el acta"), str(e), error=True))


def _day_and_time(stamp: str) -> str:
    """«06/12/2026 04:43», as every other date on screen (the backup's own record says «2026-12-06T04:43:10»)."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(stamp).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return stamp[:16].replace("T", " ")
