"""Printing: a document is written as a PDF in «Documentos › Qali Warma CAE» and opened for printing.

The PDF is built on the worker (reportlab is imported there, never at start-up). A notice says where the
file is, with a button to open the folder, so nobody is left wondering where it went.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices

from qaliwarma.errors import QaliwarmaError

from ..i18n import _
from .banner import Banner

FOLDER_NAME = "Qali Warma CAE"


def output_dir() -> Path:
    """Where documents are saved: the one folder the user chose last (remembered in the data folder's
    settings, see :func:`remember_folder`), else «Documentos › Qali Warma CAE»."""
    from ..settings import settings

    chosen = settings().value("documentos/carpeta", "")
    if chosen and Path(str(chosen)).is_dir():
        return Path(str(chosen))
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs or Path.home()) / FOLDER_NAME


def remember_folder(path: Path | str) -> None:
    """A file was saved or opened by the user in ``path`` (a file or a folder): documents go there next."""
    from ..settings import set_value

    folder = Path(path)
    folder = folder if folder.is_dir() else folder.parent
    if folder.is_dir():
        set_value("documentos/carpeta", str(folder))


def safe_name(text: str) -> str:
    """A file name part without characters Windows refuses: "AER-2026/731" → "AER-2026-731"."""
    return re.sub(r"[^0-9A-Za-zÁÉÍÓÚÑáéíóúñ_.-]+", "-", text.strip()).strip("-") or "documento"


def open_file(path: Path) -> bool:
    """Open a file with the system's program (the PDF viewer prints it)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def open_folder(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def make_pdf(ctx, owner, filename: str, build: Callable[[Path], object], *, notice: PdfNotice | None = None,
             done: Callable[[Path], None] | None = None, failed: Callable[[Exception], None] | None = None) -> None:
    """Build ``filename`` with ``build(path)`` on the worker, open it, and say where it was saved."""
    out = output_dir() / filename

    def call() -> Path:  # on the worker: no widgets here
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            build(out)
        except PermissionError as exc:
            raise QaliwarmaError(_("No se pudo guardar «{name}»: puede estar abierto en otro programa. Cierre "
                                   "el documento y vuelva a pulsar el botón.").format(name=out.name)) from exc
        except OSError as exc:
            raise QaliwarmaError(_("No se pudo guardar el documento en la carpeta {folder} ({detail}). Revise "
                                   "que haya espacio en el disco.").format(folder=out.parent, detail=exc)) from exc
        return out

    def finished(path: Path) -> None:
        opened = open_file(path)
        if notice is not None:
            text = _("Se guardó «{name}» en la carpeta {folder}.").format(name=path.name, folder=path.parent)
            text += " " + (_("Pulse «Imprimir…» para imprimirlo desde aquí (también se intentó abrir con su "
                             "visor de PDF).") if opened else
                           _("No se pudo abrir con un visor de PDF: pulse «Imprimir…» para imprimirlo desde aquí."))
            notice.saved(text, path.parent, path)
        if done is not None:
            done(path)

    def error(exc: Exception) -> None:
        if failed is not None:
            failed(exc)
        elif notice is not None:
            notice.show_message(str(exc), error=True)

    ctx.runner.run(call, finished, on_error=error, progress=_("Preparando el documento para imprimir…"), owner=owner)


class PdfNotice(Banner):
    """A banner that says where a document was saved, with «Imprimir…» (the printer dialog, pages drawn
    by the application: no PDF viewer needed) and «Abrir la carpeta»."""

    def __init__(self, parent=None) -> None:
        from PySide6.QtWidgets import QPushButton

        super().__init__(parent)
        self.folder: Path | None = None
        self.file: Path | None = None
        self.action_clicked.connect(self._open)
        self.print_button = QPushButton(_("Imprimir…"))
        self.print_button.clicked.connect(self.print_file)
        self.print_button.hide()
        self.layout().insertWidget(self.layout().count() - 1, self.print_button)

    def saved(self, text: str, folder: Path, file: Path | None = None) -> None:
        self.folder, self.file = folder, file
        self.show_message(text, action=_("Abrir la carpeta"))
        self.print_button.setVisible(file is not None)

    def show_message(self, text: str, *, error: bool = False, action: str | None = None) -> None:
        super().show_message(text, error=error, action=action)
        if error:
            self.print_button.hide()

    def print_file(self) -> bool:
        from ..printing import print_pdf

        if self.file is None or not self.file.exists():
            return False
        try:
            return print_pdf(self.file, self.window())
        except Exception as exc:  # noqa: BLE001 - a printer or PDFium problem: said, not crashed
            self.show_message(_("No se pudo imprimir «{name}»: {error}. Ábralo desde la carpeta para "
                                "imprimirlo.").format(name=self.file.name, error=exc), error=True)
            return False

    def _open(self) -> None:
        if self.folder is not None:
            open_folder(self.folder)
