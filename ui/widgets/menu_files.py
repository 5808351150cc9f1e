"""Choosing where to save a document or which file to load, and opening a saved PDF (so it can be printed)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget


def documents_dir() -> str:
    """The one documents folder of the application (the last one the user chose; see stock_pdf)."""
    from .stock_pdf import output_dir

    folder = output_dir()
    return str(folder if folder.is_dir() else folder.parent if folder.parent.is_dir() else Path.home())


def ask_open_path(parent: QWidget, title: str, filters: str) -> str | None:
    from .stock_pdf import remember_folder

    path, _filter = QFileDialog.getOpenFileName(parent, title, documents_dir(), filters)
    if path:
        remember_folder(path)
    return path or None


def ask_save_path(parent: QWidget, title: str, suggested: str, filters: str) -> str | None:
    """A path chosen by the user, ending in the suggested name's extension (None when cancelled)."""
    path, _filter = QFileDialog.getSaveFileName(parent, title, str(Path(documents_dir()) / suggested), filters)
    if not path:
        return None
    from .stock_pdf import remember_folder

    remember_folder(path)
    suffix = Path(suggested).suffix
    return path if path.lower().endswith(suffix) else path + suffix


def open_file(path: Path) -> None:
    """Open a saved document with the program the computer uses for it (the PDF reader, to print it)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
