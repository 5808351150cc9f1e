"""The mouse wheel scrolls the page; it changes a value only in the control the user is working in.

Without this, scrolling a long page changes whatever drop-down, number box or date passes under the
pointer (the region went from Sierra to Selva, attendance from 61 to 59), and the page saves it. An
application-wide event filter gives those controls ``Qt.StrongFocus`` (the wheel does not give them
focus) and, while such a control does not have the focus, hands the wheel to the scroll area around
it, so the page scrolls as the user meant.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

GUARDED = (QComboBox, QAbstractSpinBox, QAbstractSlider)  # QDateEdit, QSpinBox… are QAbstractSpinBox


def _guarded(obj) -> bool:
    return isinstance(obj, GUARDED) and not isinstance(obj, QScrollBar)


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


class WheelGuard(QObject):
    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt naming
        if not isinstance(obj, GUARDED):  # every event of the application passes here: the cheap test first
            return False
        kind = event.type()
        if kind == QEvent.Type.Polish and _guarded(obj):
            self.calm(obj)
        elif kind == QEvent.Type.Wheel and _guarded(obj):
            self.calm(obj)
            if obj.hasFocus():
                return False  # the control being worked in takes the wheel
            area = _scroll_area_around(obj)
            if area is not None:
                viewport = area.viewport()
                position = viewport.mapFromGlobal(event.globalPosition())
                forwarded = QWheelEvent(position, event.globalPosition(), event.pixelDelta(),
                                        event.angleDelta(), event.buttons(), event.modifiers(),
                                        event.phase(), event.inverted(), event.source())
                QApplication.sendEvent(viewport, forwarded)
            event.accept()
            return True  # the control itself never sees it
        return False

    @staticmethod
    def calm(widget: QWidget) -> None:
        """Focus by click or Tab only, never by the wheel."""
        if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


def install(app: QApplication) -> WheelGuard:
    """Install the guard on the whole application (once); returns it."""
    for child in app.children():
        if isinstance(child, WheelGuard):
            return child
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    return guard
