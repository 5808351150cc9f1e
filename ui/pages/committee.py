"""Comité: first-run registration of the school's committee, then its data, levels and members."""

from __future__ import annotations

import getpass
from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.domain.committee import (
    DEFAULT_PROGRAMME_NAME,
    MODALITIES,
    PROGRAMME_NAMES,
    CommitteeForm,
    LevelForm,
    validate_committee,
)
from qaliwarma.domain.levels import LEVEL_LABELS, LEVELS, REGION_LABELS
from qaliwarma.domain.people import check_pin
from qaliwarma.errors import InvalidInput
from qaliwarma.services import committee as committee_service
from qaliwarma.services.committee import CommitteeInfo
from qaliwarma.services.database import Database

from ..i18n import _
from ..tasks import TaskRunner
from ..theme import set_invalid, set_role
from ..widgets.banner import Banner
from ..widgets.member_list import MemberList
from ..widgets.message import set_message
from ..widgets.place_picker import PlacePicker

TYPING_PAUSE_MS = 700
QUINTILES = {1: "1 (el más pobre)", 2: "2", 3: "3", 4: "4", 5: "5 (el menos pobre)"}


def _user() -> str:
    try:
        return getpass.getuser() or "usuario"
    except Exception:  # noqa: BLE001 - no login name on some Windows setups
        return "usuario"


class _LevelRow:
    def __init__(self, level: str) -> None:
        self.level = level
        self.check = QCheckBox(_(LEVEL_LABELS[level]))
        self.enrolment = QSpinBox()
        self.enrolment.setRange(0, 9999)
        self.enrolment.setSuffix(_(" niños"))
        self.enrolment.setMinimumWidth(140)
        self.code = QLineEdit()
        self.code.setPlaceholderText(_("su código modular (opcional)"))
        self.code.setToolTip(_("Si este nivel tiene su propio código modular, escríbalo (7 números)."))
        self.message = QLabel()
        self.message.setWordWrap(True)
        set_role(self.message, "error")
        self.check.toggled.connect(self._sync)
        self._sync(False)

    def _sync(self, checked: bool) -> None:
        self.enrolment.setEnabled(checked)
        self.code.setEnabled(checked)

    def form(self) -> LevelForm | None:
        if not self.check.isChecked():
            return None
        return LevelForm(self.level, self.enrolment.value(), self.code.text().strip())


class CommitteePage(QWidget):
    committee_saved = Signal(object)  # CommitteeInfo
    signed_in = Signal(object)  # the president (domain.people.Signature), signed in on registering
    go_to = Signal(str)  # an area of the window the user may want next

    def __init__(self, db: Database, runner: TaskRunner, places: Sequence, parent=None) -> None:
        super().__init__(parent)
        self._db = db
        self._runner = runner
        self.user = None  # the signed-in member (domain.people.Signature), set by the main window
        self._info: CommitteeInfo | None = None
        self._place_index = {p.ubigeo: (p.department, p.province, p.district) for p in places}
        self._touched: set[int] = set()
        self._pending: set[int] = set()
        self._show_all = False
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self._typing_paused)

        self.title = QLabel()
        set_role(self.title, "title")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        set_role(self.intro, "hint")
        self.next_banner = Banner()
        self.next_banner.action_clicked.connect(lambda: self.go_to.emit("recetas"))

        # --- the school
        self.school_name = QLineEdit()
        self.school_name.setPlaceholderText(_("Por ejemplo: I.E. N.° 36009 Virgen de la Candelaria"))
        self.codigo_modular = QLineEdit()
        self.codigo_modular.setPlaceholderText(_("7 números, por ejemplo 0456789"))
        self.ugel = QLineEdit()
        self.ugel.setPlaceholderText(_("Por ejemplo: UGEL Huancavelica"))
        self.programme_name = QLineEdit(DEFAULT_PROGRAMME_NAME)
        self.programme_name.setCompleter(QCompleter(list(PROGRAMME_NAMES), self.programme_name))
        self.programme_name.setToolTip("\n".join(f"{name}: {_(period)}" for name, period in PROGRAMME_NAMES.items()))
        self.amazonian = QCheckBox(_("Sí: comunidad nativa amazónica (recibe almuerzo en cualquier quintil)"))
        self.modality = self._choices(MODALITIES)
        self.region = self._choices(REGION_LABELS)
        self.quintile = self._choices(QUINTILES)
        self.places = PlacePicker(places, self)

        self._fields: dict[str, QWidget] = {
            "school_name": self.school_name, "codigo_modular": self.codigo_modular, "ugel": self.ugel,
            "programme_name": self.programme_name, "modality": self.modality, "region": self.region,
            "quintile": self.quintile, "department": self.places.department, "province": self.places.province,
            "district": self.places.district, "ubigeo": self.places.district,
            "amazonian_indigenous": self.amazonian,
        }
        self._messages: dict[str, QLabel] = {}
        school_box = self._grid_box(_("Institución educativa"), [
            ("school_name", _("Nombre de la institución")),
            ("codigo_modular", _("Código modular")),
            ("ugel", _("UGEL")),
            ("region", _("Región natural")),
            ("quintile", _("Quintil de pobreza del distrito")),
            ("amazonian_indigenous", _("Escuela de comunidad nativa amazónica")),
            ("modality", _("Modalidad de atención")),
            ("programme_name", _("Nombre del programa (sale en los impresos)")),
        ])
        # the código modular is fixed at registration; a mistake is corrected apart, with the reason (journaled)
        self.correct_code_button = QPushButton(_("Corregir código modular…"))
        self.correct_code_button.setToolTip(_("Si el comité se registró con un código equivocado: escriba el correcto "
                                              "y el motivo; la corrección queda en el diario"))
        self.correct_code_button.clicked.connect(lambda: self.open_code_correction())
        self.correct_code_button.hide()
        self.code_history = QLabel()  # the corrections of the code, each with who and why
        self.code_history.setWordWrap(True)
        set_role(self.code_history, "hint")
        self.code_history.hide()
        school_grid = school_box.layout()  # the field, its button beside it and the corrections under them
        school_grid.removeWidget(self.codigo_modular)
        code_side = QWidget()
        code_column = QVBoxLayout(code_side)
        code_column.setContentsMargins(0, 0, 0, 0)
        code_row = QHBoxLayout()
        code_row.addWidget(self.codigo_modular, 1)
        code_row.addWidget(self.correct_code_button)
        code_column.addLayout(code_row)
        code_column.addWidget(self.code_history)
        school_grid.addWidget(code_side, 1, 1)
        place_box = self._grid_box(_("Ubicación"), [
            ("department", _("Departamento")),
            ("province", _("Provincia")),
            ("district", _("Distrito")),
        ])
        grid = place_box.layout()
        row = grid.rowCount()
        grid.addWidget(QLabel(_("Ubigeo (INEI)")), row, 0)
        grid.addWidget(self.places.ubigeo_label, row, 1)
        self._messages["ubigeo"] = self._message_label()
        grid.addWidget(self._messages["ubigeo"], row, 2)

        # --- levels
        self.level_rows = {level: _LevelRow(level) for level in LEVELS}
        levels_box = QGroupBox(_("Niveles que atiende y niños matriculados"))
        levels_grid = QGridLayout(levels_box)
        self._messages["levels"] = self._message_label()
        levels_grid.addWidget(self._messages["levels"], 0, 0, 1, 4)
        for n, lr in enumerate(self.level_rows.values(), start=1):
            levels_grid.addWidget(lr.check, n, 0)
            levels_grid.addWidget(lr.enrolment, n, 1)
            levels_grid.addWidget(lr.code, n, 2)
            levels_grid.addWidget(lr.message, n, 3)
            self._messages[f"levels.{lr.level}"] = lr.message
            self._fields[f"levels.{lr.level}"] = lr.enrolment
            for widget in (lr.check, lr.enrolment, lr.code):
                self._watch(widget)
        levels_grid.setColumnStretch(2, 2)
        levels_grid.setColumnStretch(3, 3)

        # --- members
        members_box = QGroupBox(_("Integrantes del comité"))
        members_layout = QVBoxLayout(members_box)
        self._messages["members"] = self._message_label()
        members_layout.addWidget(self._messages["members"])
        self.members = MemberList()
        self.members.changed.connect(self._member_changed)
        members_layout.addWidget(self.members)

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setSpacing(12)
        for widget in (self.title, self.intro, self.next_banner, school_box, place_box, levels_box, members_box):
            content_layout.addWidget(widget)
        content_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(content)

        # --- the save bar stays visible
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save_button = QPushButton()
        set_role(self.save_button, "primary")
        self.save_button.clicked.connect(self.save)
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(bar)

        for key in ("school_name", "codigo_modular", "ugel", "programme_name", "modality", "region", "quintile",
                    "department", "province", "district"):
            self._watch(self._fields[key])
        self.set_committee(None)

    # ------------------------------------------------------------------ building
    def _choices(self, choices: dict) -> QComboBox:
        combo = QComboBox()
        combo.addItem(_("— Elija —"), None)
        for key, label in choices.items():
            combo.addItem(_(label), key)
        combo.setMinimumContentsLength(16)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        return combo

    def _message_label(self) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        set_role(label, "error")
        label.hide()
        return label

    def _grid_box(self, title: str, rows: list[tuple[str, str]]) -> QGroupBox:
        box = QGroupBox(title)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(14)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 2)
        for n, (key, text) in enumerate(rows):
            label = QLabel(text)
            label.setWordWrap(True)
            label.setMinimumWidth(200)
            label.setBuddy(self._fields[key])
            grid.addWidget(label, n, 0)
            grid.addWidget(self._fields[key], n, 1)
            self._messages[key] = self._message_label()
            grid.addWidget(self._messages[key], n, 2)
        return box

    def _watch(self, widget: QWidget) -> None:
        """A field is checked when the user leaves it or pauses typing; then again at every change."""
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(lambda _t, w=widget: self._typed(w))
            widget.editingFinished.connect(lambda w=widget: self._touch(w))
        elif isinstance(widget, QComboBox):
            widget.activated.connect(lambda _i, w=widget: self._touch(w))
            widget.currentIndexChanged.connect(lambda _i: self.validate())
        elif isinstance(widget, QSpinBox):
            widget.valueChanged.connect(lambda _v, w=widget: self._typed(w))
            widget.editingFinished.connect(lambda w=widget: self._touch(w))
        elif isinstance(widget, QCheckBox):
            widget.toggled.connect(lambda _c, w=widget: self._touch(w))

    def _typed(self, widget: QWidget) -> None:
        self._clear_saved_note()
        self._pending.add(id(widget))
        self._typing.start()
        if id(widget) in self._touched:
            self.validate()

    def _typing_paused(self) -> None:
        self._touched |= self._pending
        self._pending.clear()
        self.validate()

    def _touch(self, widget: QWidget) -> None:
        self._clear_saved_note()
        self._touched.add(id(widget))
        self.validate()

    def _member_changed(self, widget: QWidget | None) -> None:
        if widget is None:
            self.validate()
        elif isinstance(widget, QLineEdit):
            self._typed(widget)
        else:
            self._touch(widget)

    # ------------------------------------------------------------------ the form
    def form(self) -> CommitteeForm:
        department, province, district, ubigeo = self.places.values()
        return CommitteeForm(
            school_name=self.school_name.text().strip(),
            codigo_modular=self.codigo_modular.text().strip(),
            ugel=self.ugel.text().strip(),
            region=self.region.currentData() or "",
            department=department, province=province, district=district, ubigeo=ubigeo,
            quintile=self.quintile.currentData() or 0,
            modality=self.modality.currentData() or "",
            levels=[lf for lr in self.level_rows.values() if (lf := lr.form()) is not None],
            members=self.members.members(),
            programme_name=self.programme_name.text().strip(),
            logo_path=self._info.form.logo_path if self._info else None,
            amazonian_indigenous=self.amazonian.isChecked(),
        )

    def set_form(self, form: CommitteeForm) -> None:
        self.school_name.setText(form.school_name)
        self.codigo_modular.setText(form.codigo_modular)
        self.ugel.setText(form.ugel)
        self.programme_name.setText(form.programme_name)
        self.amazonian.setChecked(form.amazonian_indigenous)
        for combo, value in ((self.region, form.region), (self.quintile, form.quintile),
                             (self.modality, form.modality)):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        self.places.set_ubigeo(form.ubigeo)
        chosen = {lv.level: lv for lv in form.levels}
        for level, lr in self.level_rows.items():
            lf = chosen.get(level)
            lr.check.setChecked(lf is not None)
            lr.enrolment.setValue(lf.enrolment if lf else 0)
            lr.code.setText(lf.codigo_modular if lf else "")
        self.members.set_members(list(form.members))

    def errors(self) -> dict[str, str]:
        errors = validate_committee(self.form(), self._place_index)
        if any(k in errors for k in ("department", "province", "district")):
            errors.pop("ubigeo", None)  # "elija el distrito" says it plainly
        department, province, _district, _ubigeo = self.places.values()
        if not department:  # one step at a time: the province list opens once the department is chosen
            errors.pop("province", None)
            errors.pop("district", None)
        elif not province:
            errors.pop("district", None)
        if self._info is None:
            errors.update(self._pin_errors())
        for n, card in enumerate(self.members.cards, start=1):  # «Desde» not kept as typed (31/02, year 9999)
            if card.start.warning():
                errors[f"members.{n}.end_date"] = card.start.warning()
        return errors

    def _pin_errors(self) -> dict[str, str]:
        """At the first registration: the president's PIN is required, the others' optional; each typed twice."""
        errors = {}
        for n, card in enumerate(self.members.cards, start=1):
            pin, again = card.pin.text(), card.pin_again.text()
            key = f"members.{n}.pin"
            if not pin and card.role.currentData() == "presidente":
                errors[key] = _("El(la) presidente(a) necesita un PIN para firmar: escriba de 4 a 6 números.")
            elif pin and (problem := check_pin(pin)):
                errors[key] = problem
            if key not in errors and again != pin:
                errors[f"members.{n}.pin_again"] = _("Los dos PIN no son iguales: escriba el mismo PIN otra vez.")
        return errors

    def _pins(self) -> dict[str, str]:
        return {card.dni.text().strip(): card.pin.text() for card in self.members.cards if card.pin.text()}

    def validate(self) -> dict[str, str]:
        """Show each problem beside its field (fields the user has been through, or all after Guardar)."""
        errors = self.errors()
        for key, label in self._messages.items():
            widget = self._fields.get(key)
            visible = self._show_all or key in ("levels", "members") and bool(self._touched) or (
                widget is not None and id(widget) in self._touched)
            if key.startswith("levels.") and id(self.level_rows[key.split(".")[1]].check) in self._touched:
                visible = True
            text = errors.get(key, "") if visible else ""
            set_message(label, text)
            if widget is not None and key != "ubigeo":
                set_invalid(widget, bool(text))
        for n, card in enumerate(self.members.cards, start=1):
            shown = {}
            for fld, widget in card.fields.items():
                key = f"members.{n}.{fld}"
                if key in errors and (self._show_all or id(widget) in self._touched):
                    shown[fld] = errors[key]
            card.show_messages(shown)
        if not errors and self._show_all:
            self.status.setText("")
        return errors

    # ------------------------------------------------------------------ committee shown
    def set_committee(self, info: CommitteeInfo | None) -> None:
        self._info = info
        self._show_all = False
        if info is None:
            self.title.setText(_("Bienvenido a Qali Warma CAE"))
            self.intro.setText(_(
                "Este programa ayuda al Comité de Alimentación Escolar (CAE) a ver qué recibe cada niño en "
                "el desayuno y el almuerzo. Para empezar, registre su comité: escriba los datos de la "
                "institución educativa, marque los niveles con sus matriculados y agregue a los integrantes. "
                "Si algo falta, el programa le dirá en rojo qué corregir. Al terminar, pulse «Registrar comité»."))
            self.save_button.setText(_("Registrar comité"))
            self.members.set_pin_shown(True)
            if not self.members.cards:
                self.members.add_member()
        else:
            self.title.setText(_("Datos del comité"))
            self.intro.setText(_("Estos son los datos registrados de su comité. Puede corregirlos y pulsar "
                                 "«Guardar cambios». El código modular se corrige aparte, con el motivo: "
                                 "«Corregir código modular…»."))
            self.save_button.setText(_("Guardar cambios"))
            self.members.set_pin_shown(False)  # PINs are changed in «Personas y copias»
            self.set_form(info.form)
        self.codigo_modular.setReadOnly(info is not None)
        self.codigo_modular.style().unpolish(self.codigo_modular)  # shown as not editable (theme: readOnly)
        self.codigo_modular.style().polish(self.codigo_modular)
        self.correct_code_button.setVisible(info is not None)
        self.code_history.hide()
        if info is not None:
            self._show_code_history(info.id)
        self.codigo_modular.setToolTip(_("Para corregirlo, pulse «Corregir código modular…»") if info is not None
                                       else "")
        self._typing.stop()  # filling the form is not the user typing
        self._touched.clear()
        self._pending.clear()
        self.validate()

    # ------------------------------------------------------------------ correcting the código modular
    def _show_code_history(self, committee_id: int) -> None:
        from datetime import date

        db = self._db

        def shown(corrections) -> None:
            if self._info is None or self._info.id != committee_id or not corrections:
                return
            self.code_history.setText("\n".join(
                _("Corregido el {day}: {old} → {new}, por {user}. Motivo: {reason}").format(
                    day=f"{date.fromisoformat(c.day):%d/%m/%Y}", old=c.old, new=c.new, user=c.user, reason=c.reason)
                for c in corrections))
            self.code_history.show()

        self._runner.run(lambda: committee_service.code_corrections(db, committee_id), shown, owner=self)

    def open_code_correction(self):
        """Ask for the correct code and the reason; the correction is journaled in the signed-in member's
        name (the president, by default; another member is told who may)."""
        from ..dialogs.code_correction import CodeCorrectionDialog

        if self._info is None:
            return None
        from qaliwarma.domain.people import Signature

        if isinstance(self.user, Signature) and not self.user.may("comite"):  # said before anything is typed
            self._set_status(self.user.refusal("comite"), error=True)
            return None
        dialog = CodeCorrectionDialog(self._info.form.codigo_modular, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        db, committee_id, user = self._db, self._info.id, self.user or _user()
        old = self._info.form.codigo_modular

        def submit(code: str, reason: str) -> None:
            def corrected(info: CommitteeInfo) -> None:
                dialog.accept()
                self.set_committee(info)
                self._set_status(_("✓ Código modular corregido: {old} → {new}. Queda en el diario con el motivo.")
                                 .format(old=old, new=info.form.codigo_modular), ok=True)
                self.committee_saved.emit(info)

            def refused(error: Exception) -> None:
                text = error.summary if isinstance(error, InvalidInput) and not error.problems else str(error)
                dialog.show_error(text)

            self._runner.run(lambda: committee_service.correct_code(db, committee_id, code, reason=reason, user=user),
                             corrected, on_error=refused, progress=_("Corrigiendo el código modular…"), owner=self)

        dialog.submit = submit
        dialog.open()
        return dialog

    # ------------------------------------------------------------------ unsaved work
    def has_unsaved_changes(self) -> bool:
        """Something typed that «Guardar» has not saved yet (the window asks before it is lost)."""
        if self._info is None:
            return bool(self._touched or self._pending)
        return self.form() != self._info.form

    def discard_changes(self) -> None:
        self.set_committee(self._info)

    # ------------------------------------------------------------------ saving
    def save(self) -> None:
        self._show_all = True
        errors = self.validate()
        if errors:
            count = len(errors)
            self._set_status(_("Hay {n} datos por corregir (en rojo). Corríjalos y vuelva a pulsar «{button}».")
                             .format(n=count, button=self.save_button.text()) if count != 1 else
                             _("Hay 1 dato por corregir (en rojo). Corríjalo y vuelva a pulsar «{button}».")
                             .format(button=self.save_button.text()), error=True)
            self._focus_first(errors)
            return
        form, db, info, user = self.form(), self._db, self._info, self.user or _user()
        self.save_button.setEnabled(False)
        self._set_status(_("Guardando…"))
        if info is None:
            pins = self._pins()
            president = next((m.dni for m in form.members if m.role == "presidente"), "")

            def call():
                from qaliwarma.errors import SignInError
                from qaliwarma.services import people

                registered = committee_service.register(db, form, user=user, pins=pins)
                try:  # the president's PIN was just set: they are who uses the program now
                    signature = people.sign_in(db, registered.id, president, pins[president])
                except (KeyError, SignInError):
                    signature = None
                return registered, signature

            self._runner.run(call, self._registered, on_error=self._save_failed,
                             progress=_("Guardando el comité…"), owner=self)
            return

        def change():
            return committee_service.update(db, info.id, form, user=user)

        self._runner.run(change, self._saved, on_error=self._save_failed, progress=_("Guardando el comité…"),
                         owner=self)

    def _registered(self, result) -> None:
        info, signature = result
        if signature is not None:
            self.user = signature
            self.signed_in.emit(signature)
        self._saved(info)

    def _saved(self, info: CommitteeInfo) -> None:
        first = self._info is None
        self.save_button.setEnabled(True)
        self.set_committee(info)
        from datetime import datetime

        # with the time: a second save said the very same words, and nobody could tell it had worked
        self._set_status(_("✓ Datos guardados a las {time:%H:%M}.").format(time=datetime.now()), ok=True)
        if first:
            self.next_banner.show_message(
                _("Comité registrado. Siguiente paso: vea las preparaciones de su región y lo que recibe "
                  "cada niño en «Alimentos y recetas»."), action=_("Ir a Alimentos y recetas"))
        self.committee_saved.emit(info)

    def _save_failed(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        text = error.summary if isinstance(error, InvalidInput) and not error.problems else str(error)
        self._set_status(text, error=True)

    def _clear_saved_note(self) -> None:
        if self.status.property("role") == "ok":  # "Datos guardados" is no longer true once something changes
            self._set_status("")

    def _set_status(self, text: str, *, error: bool = False, ok: bool = False) -> None:
        self.status.setText(text)
        set_role(self.status, "error" if error else "ok" if ok else "")

    def _focus_first(self, errors: dict[str, str]) -> None:
        order = [*self._fields, "levels"]
        for key in order:
            if key in errors and key in self._fields:
                widget = self._fields[key]
                self.scroll.ensureWidgetVisible(widget)
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        for n, card in enumerate(self.members.cards, start=1):
            for fld, widget in card.fields.items():
                if f"members.{n}.{fld}" in errors:
                    self.scroll.ensureWidgetVisible(widget)
                    widget.setFocus(Qt.FocusReason.OtherFocusReason)
                    return
