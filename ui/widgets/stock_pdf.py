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
    """Where printed documents are saved (the user's Documents folder)."""
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs or Path.home()) / FOLDER_NAME


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
            text = _("Se guardó «{name}» en la carpeta Documentos › {folder}.").format(name=path.name,
                                                                                    folder=FOLDER_NAME)
            text += " " + (_("Se abrió para que lo imprima.") if opened else
                           _("Ábralo desde esa carpeta para imprimirlo."))
            notice.saved(text, path.parent)
        if done is not None:
            done(path)

    def error(exc: Exception) -> None:
        if failed is not None:
            failed(exc)
        elif notice is not None:
            notice.show_message(str(exc), error=True)

    ctx.runner.run(call, finished, on_error=error, progress=_("Preparando el documento para imprimir…"), owner=owner)


class PdfNotice(Banner):
    """A banner that says where a document was saved; its button opens that folder."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.folder: Path | None = None
        self.action_clicked.connect(self._open)

    def saved(self, text: str, folder: Path) -> None:
        self.folder = folder
        self.show_message(text, action=_("Abrir la carpeta"))

    def _open(self) -> None:
        if self.folder is not None:
            open_folder(self.folder)
