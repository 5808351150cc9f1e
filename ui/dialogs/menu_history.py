"""«Historial de elecciones»: the Menú page's picks and their undoing, as the journal records them (who,
when, what, and the reason of each undo), newest first."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout

from qaliwarma.services.planning import pick_text

from ..i18n import _
from ..theme import set_role


class MenuHistoryDialog(QDialog):
    def __init__(self, lines, names: dict[str, str], plan_name: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Historial de elecciones del menú"))
        self.resize(900, 480)
        intro = QLabel(_("Cada elección de una preparación en «{plan}» y cada «Deshacer», como quedaron en el "
                         "diario del comité: quién, cuándo y qué.").format(plan=plan_name))
        intro.setWordWrap(True)
        set_role(intro, "hint")
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setSpacing(5)
        self.list.setAlternatingRowColors(True)
        for line in lines:
            self.list.addItem(pick_text(line, names))
        if not lines:
            self.list.addItem(_("Todavía no hay elecciones registradas en este plan."))
        close = QPushButton(_("Cerrar"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def texts(self) -> list[str]:
        return [self.list.item(n).text() for n in range(self.list.count())]
