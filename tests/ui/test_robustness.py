"""The desktop a committee can't break by accident: the mouse wheel, the small screen, the keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from qaliwarma.services import committee
from ui import wheel_guard
from ui.pages.committee import CommitteePage


@pytest.fixture
def guard(qapp):
    installed = wheel_guard.install(qapp)
    yield installed
    qapp.removeEventFilter(installed)
    installed.setParent(None)


def _wheel(widget, steps: int = -1) -> None:
    """One notch of the wheel (down when negative) with the pointer over the middle of ``widget``."""
    local = QPointF(widget.rect().center())
    global_pos = QPointF(widget.mapToGlobal(widget.rect().center()))
    event = QWheelEvent(local, global_pos, QPoint(0, 0), QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def _scrolled_committee_page(qtbot, ui_db, runner):
    page = CommitteePage(ui_db, runner, committee.places())  # its form scrolls above the save bar
    qtbot.addWidget(page)
    page.resize(1000, 500)  # shorter than the form: it scrolls
    page.show()
    qtbot.waitExposed(page)
    page.region.setCurrentIndex(page.region.findData("sierra"))
    page.level_rows["primaria"].check.setChecked(True)
    page.level_rows["primaria"].enrolment.setValue(61)
    return page.scroll, page


def test_the_wheel_over_an_unfocused_control_scrolls_the_page_and_changes_nothing(qtbot, guard, ui_db, runner):
    area, page = _scrolled_committee_page(qtbot, ui_db, runner)
    page.school_name.setFocus()
    bar = area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    start = bar.value()
    _wheel(page.region)
    _wheel(page.level_rows["primaria"].enrolment)
    assert page.region.currentData() == "sierra"
    assert page.level_rows["primaria"].enrolment.value() == 61
    assert bar.value() > start  # the page scrolled instead
    # the wheel does not give these controls the focus, a click or Tab does
    assert page.region.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_the_wheel_still_changes_the_control_being_worked_in(qtbot, guard, ui_db, runner):
    area, page = _scrolled_committee_page(qtbot, ui_db, runner)
    page.activateWindow()
    page.region.setFocus()
    qtbot.waitUntil(page.region.hasFocus)
    _wheel(page.region)
    assert page.region.currentData() != "sierra"
