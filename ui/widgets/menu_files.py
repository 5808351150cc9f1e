"""Choosing where to save a document or which file to load, and opening a saved PDF (so it can be printed)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget


def documents_dir() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())


def ask_open_path(parent: QWidget, title: str, filters: str) -> str | None:
    path, _filter = QFileDialog.getOpenFileName(parent, title, documents_dir(), filters)
    return path or None


def ask_save_path(parent: QWidget, title: str, suggested: str, filters: str) -> str | None:
    """A path chosen by the user, ending in the suggested name's extension (None when cancelled)."""
    path, _filter = QFileDialog.getSaveFileName(parent, title, str(Path(documents_dir()) / suggested), filters)
    if not path:
        return None
    suffix = Path(suggested).suffix
    return path if path.lower().endswith(suffix) else path + suffix


def open_file(path: Path) -> None:
    """Open a saved document with the program the computer uses for it (the PDF reader, to print it)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
