"""Help: F1 or «Ayuda» opens the guide of the area being shown, in Spanish, with the steps of its core
tasks and a picture of the page taken from the application itself.

The guides are Markdown files in ``resources/help/<area>.md``; their pictures, ``resources/help/img/
<area>.png``, are regenerated with ``python -m tools.help_screenshots`` (the demo committee, 1366×768),
so they stay true to what the application shows. A guide names the other guides at its end.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from .i18n import _

# the area whose guide explains a page reached another way (the recipes and foods tabs share one area)
SAME_GUIDE = {"alimentos_recetas": "recetas"}


def help_dir() -> Path:
    from qaliwarma.paths import resources_dir

    return Path(resources_dir()) / "help"


def guide_path(area: str | None) -> Path:
    """The guide of ``area`` (the general one, «inicio», when the area has none)."""
    folder = help_dir()
    area = SAME_GUIDE.get(area or "", area or "inicio")
    path = folder / f"{area}.md"
    return path if path.exists() else folder / "inicio.md"


class HelpDialog(QDialog):
    def __init__(self, area: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Ayuda — Qali Warma CAE"))
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(True)
        self.browser.setSearchPaths([str(help_dir())])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Cerrar"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(960, 680)
        self.show_area(area)

    def show_area(self, area: str | None) -> None:
        self.path = guide_path(area)
        self.browser.setSource(QUrl.fromLocalFile(str(self.path)))

    def title(self) -> str:
        return self.browser.documentTitle() or self.browser.toPlainText().split("\n", 1)[0]


def open_help(area: str | None, parent: QWidget | None = None) -> HelpDialog:
    """Open (or bring forward) the guide of ``area``; returns the dialog."""
    dialog = getattr(parent, "_help_dialog", None) if parent is not None else None
    if dialog is None:
        dialog = HelpDialog(area, parent)
        if parent is not None:
            parent._help_dialog = dialog
    else:
        dialog.show_area(area)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
