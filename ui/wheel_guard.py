"""The mouse wheel scrolls the page; it changes a value only in the control the user is working in.

Without this, scrolling a long page changes whatever drop-down, number box or date passes under the
pointer (the region went from Sierra to Selva, attendance from 61 to 59), and the page saves it. Each
such control gets ``Qt.StrongFocus`` (the wheel does not give it focus) and an event filter that, while
the control does not have the focus, hands the wheel to the scroll area around it, so the page scrolls
as the user meant.

The controls are found as Qt prepares each widget for showing (``QStyle.polish``, through a proxy of the
application's style): an event filter on the whole application did the same but made Python look at every
event of every widget (about 8,600 on one visit to Tesorería; 15–40 ms of each page's first visit).
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
    QProxyStyle,
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
    """The event filter of every guarded control (``adopt``)."""

    def adopt(self, widget: QWidget) -> None:
        if _guarded(widget):
            self.calm(widget)
            widget.installEventFilter(self)  # installed again: Qt keeps one

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt naming
        if not isinstance(obj, GUARDED):
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


class _GuardingStyle(QProxyStyle):
    """The application's style, unchanged, that hands each widget it prepares to the guard."""

    def __init__(self, key: str, guard: WheelGuard) -> None:
        super().__init__(key)
        self.guard = guard

    def polish(self, what):  # QStyle.polish(QWidget | QApplication | QPalette)
        result = super().polish(what)
        if isinstance(what, GUARDED):
            self.guard.adopt(what)
        return result


def install(app: QApplication) -> WheelGuard:
    """Install the guard on the whole application (once, after ``theme.apply``); returns it."""
    style = app.style()
    if isinstance(style, _GuardingStyle):
        return style.guard
    guard = WheelGuard(app)
    app.setStyle(_GuardingStyle(style.name(), guard))
    for widget in app.allWidgets():  # widgets made before (there are none when the application starts)
        guard.adopt(widget)
    return guard


def uninstall(app: QApplication) -> None:
    """Back to the plain style (tests)."""
    style = app.style()
    if isinstance(style, _GuardingStyle):
        app.setStyle(style.name())
        style.guard.setParent(None)
