"""A message under or beside a field that goes away when the field is right, without the form jumping:
the space it took stays (blank) so nothing moves under the pointer while the user is typing."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def set_message(label: QLabel, text: str | None) -> None:
    """Show ``text`` in ``label``; with no text, clear it but keep the room it took."""
    if text:
        label.setMinimumHeight(0)
        label.setText(text)
        label.show()
        return
    if label.isVisible() and label.text():
        label.setMinimumHeight(label.height())
        policy = label.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        label.setSizePolicy(policy)
    label.setText("")
    label.hide()
