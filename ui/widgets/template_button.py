"""«Plantilla (Excel)…»: next to an import, the XLSX template of its sheet (headers, an example row, a sheet
explaining each column), saved where the user chooses (qaliwarma.io.templates)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QPushButton, QWidget

from ..i18n import _


def save_template(kind: str, parent: QWidget, path: str | None = None) -> Path | None:
    """Ask where (unless ``path`` is given) and write the template; None when cancelled or refused."""
    from qaliwarma.io.templates import write_template

    from ..dialogs.confirm import inform
    from .menu_files import ask_save_path

    chosen = path or ask_save_path(parent, _("Guardar la plantilla"), f"plantilla-{kind}.xlsx",
                                   _("Excel (*.xlsx)"))
    if not chosen:
        return None
    try:
        written = write_template(kind, Path(chosen))
    except OSError as exc:
        inform(parent, _("No se guardó la plantilla"), _("No se pudo guardar «{path}»: {error}").format(
            path=chosen, error=exc), error=True)
        return None
    inform(parent, _("Plantilla guardada"), _("Se guardó «{name}». Llene la primera hoja (la fila 2 es un "
                                              "ejemplo); la hoja «Explicación» dice qué va en cada columna.").format(
        name=written.name))
    return written


def template_button(kind: str, parent: QWidget | None = None) -> QPushButton:
    button = QPushButton(_("Plantilla (Excel)…"), parent)
    button.setToolTip(_("Una hoja de Excel con las columnas que se importan, un ejemplo y su explicación"))
    button.clicked.connect(lambda: save_template(kind, button.window()))
    return button
