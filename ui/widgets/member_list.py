"""The committee's members, one card each: name, DNI, role, who they are, since when; add and remove.
At the first registration each card also takes the member's sign-in PIN (typed twice)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.domain.committee import ROLES, STAKEHOLDERS, MemberForm
from qaliwarma.domain.people import PIN_MAX, PIN_MIN

from ..i18n import _
from ..theme import set_invalid, set_role
from .date_entry import DayFirstDateEdit
from .fit import fit_to_items
from .message import set_message

FIELDS = ("name", "dni", "role", "stakeholder", "end_date")


def _combo(choices: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    combo.addItem(_("— Elija —"), None)
    for key, label in choices.items():
        combo.addItem(_(label), key)
    combo.setMinimumContentsLength(14)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return fit_to_items(combo)


class MemberCard(QFrame):
    """One member. ``fields[key]`` is the input, ``messages[key]`` the red message under it."""

    changed = Signal(object)  # the input widget that changed
    remove_requested = Signal(object)  # this card

    def __init__(self, number: int, parent=None) -> None:
        super().__init__(parent)
        set_role(self, "card")
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        self.remove_button = QPushButton(self.style().standardIcon(QStyle.StandardPixmap.SP_TrashIcon),
                                         _("Quitar"))
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("Nombres y apellidos"))
        self.dni = QLineEdit()
        self.dni.setPlaceholderText(_("8 números"))
        self.dni.setMaxLength(12)
        self.role = _combo(ROLES)
        self.stakeholder = _combo(STAKEHOLDERS)
        self.start = DayFirstDateEdit()
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("dd/MM/yyyy")
        self.start.setDate(QDate.currentDate())
        self._end_date: date | None = None  # kept as it was; ending a membership is not edited here
        self.fields: dict[str, QWidget] = {"name": self.name, "dni": self.dni, "role": self.role,
                                           "stakeholder": self.stakeholder, "end_date": self.start}
        self.messages: dict[str, QLabel] = {}
        for key in FIELDS:
            label = QLabel()
            label.setWordWrap(True)
            set_role(label, "error")
            label.hide()
            self.messages[key] = label

        grid = QGridLayout(self)
        grid.setContentsMargins(12, 8, 12, 8)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.title, 0, 0, 1, 3)
        grid.addWidget(self.remove_button, 0, 3)
        grid.addWidget(QLabel(_("Nombres y apellidos")), 1, 0, 1, 2)
        grid.addWidget(QLabel(_("DNI")), 1, 2)
        grid.addWidget(self.name, 2, 0, 1, 2)
        grid.addWidget(self.dni, 2, 2)
        grid.addWidget(self.messages["name"], 3, 0, 1, 2)
        grid.addWidget(self.messages["dni"], 3, 2, 1, 2)
        grid.addWidget(QLabel(_("Cargo en el comité")), 4, 0)
        grid.addWidget(QLabel(_("Es")), 4, 1)
        grid.addWidget(QLabel(_("Desde")), 4, 2)
        grid.addWidget(self.role, 5, 0)
        grid.addWidget(self.stakeholder, 5, 1)
        grid.addWidget(self.start, 5, 2)
        grid.addWidget(self.messages["role"], 6, 0)
        grid.addWidget(self.messages["stakeholder"], 6, 1)
        grid.addWidget(self.messages["end_date"], 6, 2, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 2)
        self._build_pin(grid)
        self.set_number(number)

        self.name.textEdited.connect(lambda _t: self.changed.emit(self.name))
        self.dni.textEdited.connect(lambda _t: self.changed.emit(self.dni))
        self.role.currentIndexChanged.connect(lambda _i: self.changed.emit(self.role))
        self.stakeholder.currentIndexChanged.connect(lambda _i: self.changed.emit(self.stakeholder))
        self.start.dateChanged.connect(lambda _d: self.changed.emit(self.start))
        self.start.warned.connect(lambda _m: self.changed.emit(self.start))  # said under it (committee page)

    def _build_pin(self, grid: QGridLayout) -> None:
        """The PIN to sign in with (shown only at the first registration: later «Personas y copias»)."""
        self.pin_box = QWidget()
        self.pin = QLineEdit()
        self.pin_again = QLineEdit()
        for edit in (self.pin, self.pin_again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMaxLength(PIN_MAX)
            edit.setPlaceholderText(_("de {low} a {high} números").format(low=PIN_MIN, high=PIN_MAX))
        self.pin_hint = QLabel()
        self.pin_hint.setWordWrap(True)
        set_role(self.pin_hint, "muted")
        box = QGridLayout(self.pin_box)
        box.setContentsMargins(0, 6, 0, 0)
        box.setHorizontalSpacing(12)
        box.setVerticalSpacing(2)
        box.addWidget(QLabel(_("PIN para firmar")), 0, 0)
        box.addWidget(QLabel(_("Repita el PIN")), 0, 1)
        box.addWidget(self.pin, 1, 0)
        box.addWidget(self.pin_again, 1, 1)
        for key, column in (("pin", 0), ("pin_again", 1)):
            label = QLabel()
            label.setWordWrap(True)
            set_role(label, "error")
            label.hide()
            self.messages[key] = label
            box.addWidget(label, 2, column)
        box.addWidget(self.pin_hint, 3, 0, 1, 2)
        box.setColumnStretch(0, 1)
        box.setColumnStretch(1, 1)
        grid.addWidget(self.pin_box, 7, 0, 1, 3)
        self.fields["pin"], self.fields["pin_again"] = self.pin, self.pin_again
        self.pin.textEdited.connect(lambda _t: self.changed.emit(self.pin))
        self.pin_again.textEdited.connect(lambda _t: self.changed.emit(self.pin_again))
        self.role.currentIndexChanged.connect(lambda _i: self._sync_pin_hint())
        self._sync_pin_hint()
        self.show_pin(False)

    def _sync_pin_hint(self) -> None:
        if self.role.currentData() == "presidente":
            self.pin_hint.setText(_("Obligatorio para el(la) presidente(a): con este PIN firma al abrir el "
                                    "programa y asigna el PIN de los demás."))
        else:
            self.pin_hint.setText(_("Opcional. Si lo deja vacío, este integrante pide su PIN al(la) "
                                    "presidente(a), que se lo asigna en «Personas y copias»."))

    def show_pin(self, shown: bool) -> None:
        self.pin_box.setVisible(shown)
        if not shown:
            self.pin.clear()
            self.pin_again.clear()

    def set_number(self, number: int) -> None:
        self.title.setText(_("Integrante {n}").format(n=number))

    def member(self) -> MemberForm:
        return MemberForm(self.name.text().strip(), self.dni.text().strip(), self.role.currentData() or "",
                          self.stakeholder.currentData() or "", self.start.date().toPython(), self._end_date)

    def set_member(self, m: MemberForm) -> None:
        self.name.setText(m.name)
        self.dni.setText(m.dni)
        self.role.setCurrentIndex(max(0, self.role.findData(m.role)))
        self.stakeholder.setCurrentIndex(max(0, self.stakeholder.findData(m.stakeholder)))
        self.start.setDate(QDate(m.start_date.year, m.start_date.month, m.start_date.day))
        self._end_date = m.end_date

    def show_messages(self, messages: dict[str, str]) -> None:
        for key, label in self.messages.items():
            text = messages.get(key, "")
            set_message(label, text)
            set_invalid(self.fields[key], bool(text))


class MemberList(QWidget):
    """Cards stacked vertically, then "Agregar integrante"."""

    changed = Signal(object)  # the input widget that changed (None when a card was added or removed)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.cards: list[MemberCard] = []
        self.with_pin = False  # the cards take a PIN (first registration)
        self._cards_layout = QVBoxLayout()
        self._cards_layout.setSpacing(10)
        self.empty_label = QLabel(_("Todavía no hay integrantes. Pulse «Agregar integrante» para cada "
                                    "miembro del comité (presidente, secretario, vocales…)."))
        self.empty_label.setWordWrap(True)
        set_role(self.empty_label, "muted")
        self.add_button = QPushButton(self.style().standardIcon(QStyle.StandardPixmap.SP_FileDialogNewFolder),
                                      _("Agregar integrante"))
        self.add_button.clicked.connect(lambda: self.show_new(self.add_member()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty_label)
        layout.addLayout(self._cards_layout)
        layout.addWidget(self.add_button)

    def add_member(self, member: MemberForm | None = None) -> MemberCard:
        card = MemberCard(len(self.cards) + 1)
        if member is not None:
            card.set_member(member)
        card.show_pin(self.with_pin)
        card.changed.connect(self.changed)
        card.remove_requested.connect(self._remove)
        self.cards.append(card)
        self._cards_layout.addWidget(card)
        self.empty_label.hide()
        self.changed.emit(None)
        return card

    def show_new(self, card: MemberCard) -> None:
        """Scroll the new card into view and put the cursor in its name."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QScrollArea

        def reveal() -> None:
            from PySide6.QtCore import QCoreApplication, QEvent

            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # the card has its place
            area = self.parentWidget()
            while area is not None and not isinstance(area, QScrollArea):
                area = area.parentWidget()
            if area is not None:
                area.ensureWidgetVisible(card)
            card.name.setFocus(Qt.FocusReason.OtherFocusReason)

        QTimer.singleShot(0, reveal)  # once the layout has placed it

    def _remove(self, card: MemberCard) -> None:
        self.cards.remove(card)
        self._cards_layout.removeWidget(card)
        card.deleteLater()
        for n, other in enumerate(self.cards, start=1):
            other.set_number(n)
        self.empty_label.setVisible(not self.cards)
        self.changed.emit(None)

    def set_members(self, members: list[MemberForm]) -> None:
        for card in list(self.cards):
            self._cards_layout.removeWidget(card)
            card.deleteLater()
        self.cards = []
        for m in members:
            self.add_member(m)
        self.empty_label.setVisible(not self.cards)

    def set_pin_shown(self, shown: bool) -> None:
        self.with_pin = shown
        for card in self.cards:
            card.show_pin(shown)

    def members(self) -> list[MemberForm]:
        return [card.member() for card in self.cards]
