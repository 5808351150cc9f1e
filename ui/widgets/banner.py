"""A message across the top of a page: what happened and what to do, with an optional action."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QStyle

from ..theme import set_role


class Banner(QFrame):
    action_clicked = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        set_role(self, "banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(12)
        self._icon = QLabel()
        self._icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._button = QPushButton()
        self._button.clicked.connect(self.action_clicked)
        self._button.hide()
        layout.addWidget(self._icon)
        layout.addWidget(self.text, 1)
        layout.addWidget(self._button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def share_place_with(self, *others: Banner) -> None:
        """Banners in the same place show one message at a time: a new one replaces the others'
        (they piled up in Recepción: the next step, then the printed document, then…)."""
        group = {self, *others}
        for banner in group:
            banner._siblings = [b for b in group if b is not banner]

    def show_message(self, text: str, *, error: bool = False, action: str | None = None,
                     transient: bool = False) -> None:
        """``transient``: a confirmation of what was just done («Gasto n.º 7 anulado», «✓ Ajuste registrado»): it
        goes once the user leaves the page (or, with :meth:`dismiss_transient`, switches the page's tab), instead
        of greeting them there again about something long done."""
        for other in getattr(self, "_siblings", ()):
            other.hide()
        self._transient = transient and not error and action is None
        set_role(self, "banner-error" if error else "banner")
        icon = QStyle.StandardPixmap.SP_MessageBoxCritical if error else QStyle.StandardPixmap.SP_MessageBoxInformation
        size = self.fontMetrics().height() * 2
        self._icon.setPixmap(self.style().standardIcon(icon).pixmap(size, size))
        self.text.setText(text)
        self._button.setVisible(action is not None)
        if action:
            self._button.setText(action)
        self.show()
        QTimer.singleShot(0, self._into_view)  # once the layout has made room for it

    def _into_view(self) -> None:
        """A page scrolled down (to a print button, a form's last field) is scrolled back to its message."""
        widget = self.parentWidget()
        while widget is not None:
            if isinstance(widget, QScrollArea) and widget.widget() is not None \
                    and widget.widget().isAncestorOf(self) and self.isVisible():
                widget.ensureWidgetVisible(self, 0, 0)
            widget = widget.parentWidget()

    def dismiss_transient(self) -> None:
        """Hide a transient confirmation (the page's tab changed); other messages stay."""
        if getattr(self, "_transient", False):
            self.hide()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().hideEvent(event)
        if getattr(self, "_transient", False) and not self.isHidden():  # hidden with its page, not by itself
            self.setHidden(True)  # the confirmation does not come back with the page
