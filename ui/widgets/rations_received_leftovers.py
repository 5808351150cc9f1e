"""Raciones modality: in the day grid, «Sobras» goes on a line of its own under the rations and the
attendance, so that a cell with three numbers still fits two levels side by side on a small screen."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel

from ..i18n import _


def leftovers_on_own_line(cell) -> None:
    """Move a ServiceCell's «Sobras» label and spin box to a line below its other numbers."""
    spin = getattr(cell, "leftovers", None)
    outer = cell.layout()
    if spin is None or outer is None:
        return
    for index in range(outer.count()):
        numbers = outer.itemAt(index).layout()
        if numbers is not None and numbers.indexOf(spin) >= 0:
            break
    else:
        return
    label = next((w for w in cell.findChildren(QLabel) if w.buddy() is spin), None)
    line = QHBoxLayout()
    line.setSpacing(8)
    for widget in (label, spin):
        if widget is not None:
            numbers.removeWidget(widget)
            line.addWidget(widget)
    if label is not None:
        label.setText(_("Sobras (raciones que quedaron sin servir)"))
    line.addStretch(1)
    outer.insertLayout(index + 1, line)
