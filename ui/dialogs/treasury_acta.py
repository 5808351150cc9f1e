"""What the acta de rendición de cuentas needs besides the figures: when and where the assembly is,
who came and what was agreed. Everything is optional: what is left blank prints as lines to fill by hand."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from qaliwarma import clock

from ..i18n import _
from ..theme import set_role
from ..widgets.date_entry import DayFirstDateEdit


class ActaDialog(QDialog):
    def __init__(self, month_text: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Acta de rendición de cuentas"))
        self.setMinimumWidth(760)
        hint = QLabel(_("Acta de la asamblea de rendición de cuentas de {month}. Puede dejar en blanco lo que "
                        "todavía no sabe: saldrá una línea para llenarla a mano.").format(month=month_text))
        hint.setWordWrap(True)
        set_role(hint, "hint")
        self.with_date = QCheckBox(_("Ya sé la fecha de la asamblea:"))
        self.held_on = DayFirstDateEdit()
        self.held_on.setCalendarPopup(True)
        self.held_on.setDisplayFormat("dd/MM/yyyy")
        self.held_on.setDate(QDate(clock.today()))
        self.held_on.setEnabled(False)
        self.with_date.toggled.connect(self.held_on.setEnabled)
        self.place = QLineEdit()
        self.place.setPlaceholderText(_("p. ej. el comedor de la institución educativa"))
        self.attendees = QPlainTextEdit()
        self.attendees.setTabChangesFocus(True)
        self.attendees.setPlaceholderText(_("Un nombre por línea (o déjelo en blanco para firmar a mano)"))
        self.agreements = QPlainTextEdit()
        self.agreements.setTabChangesFocus(True)
        self.agreements.setPlaceholderText(_("Un acuerdo por línea (opcional)"))
        grid = QGridLayout()
        grid.addWidget(self.with_date, 0, 0)
        grid.addWidget(self.held_on, 0, 1)
        grid.addWidget(QLabel(_("Lugar:")), 1, 0)
        grid.addWidget(self.place, 1, 1)
        grid.addWidget(QLabel(_("Asistentes:")), 2, 0)
        grid.addWidget(self.attendees, 2, 1)
        grid.addWidget(QLabel(_("Acuerdos:")), 3, 0)
        grid.addWidget(self.agreements, 3, 1)
        grid.setColumnStretch(1, 1)
        # what the date field says of the date typed (its tooltip goes with the next key), under the grid
        self.date_message = QLabel()
        self.date_message.setWordWrap(True)
        set_role(self.date_message, "error")
        self.date_message.hide()
        self.held_on.warned.connect(self._say_date)
        self.held_on.dateChanged.connect(lambda _d: self._say_date(self.held_on.warning()))
        self.ok_button = QPushButton(_("Preparar el acta"))
        set_role(self.ok_button, "primary")
        cancel = QPushButton(_("Cancelar"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok_button)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(grid)
        layout.addWidget(self.date_message)
        layout.addLayout(buttons)
        self.ok_button.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)

    def _say_date(self, message: str) -> None:
        self.date_message.setText(message)
        self.date_message.setVisible(bool(message))

    def accept(self) -> None:
        """The acta is prepared only with the date typed (a date the field could not keep is said, and waits)."""
        if self.with_date.isChecked() and self.held_on.warning():
            self._say_date(self.held_on.warning())
            self.held_on.setFocus()
            return
        super().accept()

    def options(self) -> dict:
        """Keyword arguments of ``build_acta_rendicion``."""
        def lines(edit: QPlainTextEdit) -> list[str]:
            return [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]

        return {"place": self.place.text().strip(), "attendees": lines(self.attendees),
                "agreements": lines(self.agreements),
                "held_on": self.held_on.date().toPython() if self.with_date.isChecked() else None}
