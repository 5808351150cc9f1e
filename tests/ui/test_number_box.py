"""Counts typed from the keyboard (ui.widgets.number_box): whole numbers, and what cannot be taken is said,
never dropped into another number. Each key goes to the widget that has the focus, as on a laptop."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from tests.ui.conftest import type_date as type_into
from ui.widgets.number_box import NumberBox


@pytest.fixture
def box(qtbot):
    """«Cantidad en el acta»: 0 to 999,999 units, followed by another field."""
    widget = QWidget()
    layout = QVBoxLayout(widget)
    count = NumberBox()
    count.setRange(0, 999999)
    layout.addWidget(count)
    layout.addWidget(QLineEdit())
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    yield count
    del widget


def _leave(qtbot, box) -> None:
    """On to the next field, as Tab does (coming back selects the number, so what is typed replaces it)."""
    following = box.parentWidget().findChild(QLineEdit)
    following.setFocus()
    qtbot.waitUntil(following.hasFocus)


def test_a_comma_is_said_and_the_digits_after_it_are_not_taken_into_the_number(qtbot, box):
    """«0,5» became 5: the comma dropped without a word and the 5 kept."""
    type_into(qtbot, box, "0,5")
    assert box.value() == 0
    assert box.warning().startswith("Aquí va un número entero, sin coma ni punto")
    assert box.property("invalid")
    _leave(qtbot, box)
    type_into(qtbot, box, "5")  # typed again (the box selects its number on entering): taken, and the red goes
    assert box.value() == 5 and box.warning() == "" and not box.property("invalid")
    _leave(qtbot, box)
    type_into(qtbot, box, "12.5")
    assert box.value() == 12 and box.warning().startswith("Aquí va un número entero")


def test_digits_past_the_maximum_are_said_not_dropped_silently(qtbot, box):
    """«1000000000» became 100000 without a word."""
    type_into(qtbot, box, "1000000000")
    assert box.value() == 100000
    assert box.warning() == "El número no puede pasar de 999,999."
    _leave(qtbot, box)
    type_into(qtbot, box, "48")
    assert box.value() == 48 and box.warning() == ""
