"""The short question asked before a correction or an early close (ui.dialogs.stock_reason): its explanation
is shown whole at 1366×768, before and after it says a reason is missing."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from ui.dialogs.stock_reason import ReasonDialog

EARLY_CLOSE = ("No se puede cerrar noviembre de 2026 todavía: su último día de clases es el 30/11/2026.\n\n"
               "Al cerrarlo, nada de noviembre de 2026 se podrá cambiar ni agregar: tampoco las raciones de los días "
               "de clase que faltan. Ya faltan las raciones de 1 día.\n\n"
               "Para cerrarlo antes, escriba por qué (queda anotado en el cierre y lo verá el supervisor).")


def test_a_long_explanation_is_shown_whole_also_once_the_missing_reason_is_said(qtbot):
    dialog = ReasonDialog(None, "Cierre anticipado", EARLY_CLOSE, "Cerrar antes, con este motivo",
                          label="Motivo del cierre anticipado:", missing="Escriba el motivo del cierre anticipado.")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    explanation = next(label for label in dialog.findChildren(QLabel) if label.text() == EARLY_CLOSE)

    def whole() -> bool:
        return explanation.height() >= explanation.heightForWidth(explanation.width())

    qtbot.waitUntil(whole)
    dialog.accept()  # no reason typed: the dialog says so, in red, under the field
    assert dialog.isVisible() and dialog.message.text() == "Escriba el motivo del cierre anticipado."
    qtbot.waitUntil(lambda: dialog.message.isVisible())
    qtbot.waitUntil(whole)
    assert dialog.height() <= 768
