"""A page that reloads its data when told something changed, but only while it is visible: a page
the user is not looking at just remembers to reload the next time it is shown.

``start_frame``/``finish_frame`` build the frame the stock pages share: a title, a banner for
problems, a notice for printed documents, tabs, and the "register the committee first" message.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStackedWidget, QTabWidget, QVBoxLayout, QWidget


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

    def begin_refresh(self):
        """Start a reload: shows the "register the committee first" message when there is none.
        Returns the committee (None: nothing to load)."""
        self._dirty = False
        info = self.ctx.committee
        self.stack.setCurrentIndex(0 if info is None else 1)
        return info

    # ------------------------------------------------------------------ the shared frame
    def start_frame(self, title: str) -> None:
        """Title, banner, printed-document notice and an empty tab widget (add the tabs next)."""
        from ..theme import set_role
        from .banner import Banner
        from .stock_pdf import PdfNotice

        self.title_label = QLabel(title)
        set_role(self.title_label, "title")
        self.banner = Banner()
        self.pdf_notice = PdfNotice()
        self.banner.share_place_with(self.pdf_notice)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)

    def finish_frame(self, ctx, kinds: tuple[str, ...]) -> None:
        """Lay the frame out and reload when the committee or records of ``kinds`` change."""
        from . import stock_common as common

        self.stack = QStackedWidget()
        self.stack.addWidget(common.no_committee_label())
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(self.banner)
        content_layout.addWidget(self.pdf_notice)
        content_layout.addWidget(self.tabs, 1)
        self.stack.addWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.stack, 1)
        ctx.committee_changed.connect(lambda _info: self._mark_dirty())
        ctx.data_changed.connect(lambda kind: self._mark_dirty() if kind in kinds else None)
