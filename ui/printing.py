"""Printing a document from the application itself: the printer dialog (Qt's, in Spanish), then each
page of the PDF drawn on the printer, so nobody depends on a PDF viewer being installed.

PySide6's wheels do not ship QtPdf, so the pages are rendered with PDFium (``pypdfium2``) at the
printer's resolution (at most 300 dpi) and painted to fit the printable area, keeping proportions.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QWidget

MAX_DPI = 300


def page_images(path: Path, dpi: int = 150) -> list[QImage]:
    """Every page of the PDF as an image at ``dpi``."""
    import pypdfium2 as pdfium

    images = []
    document = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True)  # RGB(A) order, as QImage reads it
            pil = bitmap.to_pil().convert("RGB")
            data = pil.tobytes("raw", "RGB")
            image = QImage(data, pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888).copy()
            images.append(image)
            page.close()
    finally:
        document.close()
    return images


def paint_pages(printer, images: list[QImage]) -> None:
    """Draw each image on its own page of ``printer``, as large as fits, centred."""
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("la impresora no aceptó el documento")
    try:
        for n, image in enumerate(images):
            if n:
                printer.newPage()
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            x = area.x() + (area.width() - size.width()) / 2
            y = area.y() + (area.height() - size.height()) / 2
            painter.drawImage(QRectF(x, y, size.width(), size.height()), image)
    finally:
        painter.end()


def print_pdf(path: Path, parent: QWidget | None = None) -> bool:
    """Ask for the printer and print ``path``. True when it was sent to the printer."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from .i18n import _

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(path.name)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("Imprimir «{name}»").format(name=path.name))
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    dpi = min(printer.resolution(), MAX_DPI)
    paint_pages(printer, page_images(path, dpi))
    return True
