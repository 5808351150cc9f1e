"""A page that reloads its data when told something changed, but only while it is visible: a page
the user is not looking at just remembers to reload the next time it is shown."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


class LazyPage(QWidget):
    """Subclasses implement ``refresh()`` (which sets ``self._dirty = False``) and call
    ``_mark_dirty()`` from their change notifications."""

    _dirty = True

    def _mark_dirty(self) -> None:
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def refresh(self) -> None:  # pragma: no cover - every page defines it
        raise NotImplementedError
