"""The month's accountability (rendición) and its state: Borrador → Presentado → Aprobado u Observado,
what to do next, and the buttons that move it on."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from ..i18n import _
from ..models.treasury_rows import MonthView, month_label
from ..theme import ERROR_COLOR, OK_COLOR, set_role

STATE_COLOURS = {"borrador": "#6b6b6b", "presentado": "#1f5f99", "aprobado": OK_COLOR, "observado": ERROR_COLOR}


class CycleCard(QFrame):
    present_requested = Signal()
    approve_requested = Signal()
    observe_requested = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        set_role(self, "card")
        self.title = QLabel()
        set_role(self.title, "heading")
        self.state = QLabel()
        self.next_step = QLabel()
        self.next_step.setWordWrap(True)
        self.observations = QLabel()
        self.observations.setWordWrap(True)
        set_role(self.observations, "error")
        self.present_button = QPushButton(_("Presentar la rendición"))
        set_role(self.present_button, "primary")
        self.approve_button = QPushButton(_("El supervisor la aprobó"))
        self.observe_button = QPushButton(_("El supervisor hizo observaciones…"))
        self.present_button.clicked.connect(self.present_requested)
        self.approve_button.clicked.connect(self.approve_requested)
        self.observe_button.clicked.connect(self.observe_requested)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.state)
        top.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.present_button)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.observe_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addLayout(top)
        layout.addWidget(self.next_step)
        layout.addWidget(self.observations)
        layout.addLayout(buttons)

    def show_view(self, view: MonthView) -> None:
        label = month_label(view.month)
        self.title.setText(_("Rendición de {month}:").format(month=label))
        colour = STATE_COLOURS.get(view.state, "#333")
        self.state.setText(_(view.state_label))
        self.state.setStyleSheet(f"color: white; background: {colour}; border-radius: 6px; padding: 3px 12px;"
                                 "font-weight: bold;")
        state = view.state
        if view.closed and state in ("borrador", "observado"):
            step = _("El mes está cerrado: ya no acepta registros (si hace falta corregir algo, hágalo en un mes "
                     "abierto). Cuando entregue la rendición al programa, pulse «Presentar la rendición»: el "
                     "informe mensual ya impreso sigue valiendo.")
        elif state == "borrador" and view.transferred_to_date <= 0:
            step = _("Qué hacer ahora: registre la transferencia recibida del programa en «Dinero recibido»; "
                     "después, cada comprobante en «Registrar gasto».")
        elif state == "borrador":
            step = _("Qué hacer ahora: registre cada comprobante del mes en «Registrar gasto». Cuando estén todos, "
                     "imprima el balance y el acta, léalos en la asamblea y pulse «Presentar la rendición». "
                     "Después de presentarla ya no se registran gastos en este mes.")
        elif state == "presentado":
            step = _("La rendición fue presentada y este mes ya no cambia. Cuando el supervisor responda, "
                     "anote si la aprobó o si hizo observaciones.")
        elif state == "observado":
            step = _("El supervisor hizo observaciones (abajo). Corrija lo que pidió —puede anular un gasto en "
                     "«Gastos del mes» y registrarlo de nuevo— y vuelva a presentar la rendición.")
        else:
            step = _("La rendición de este mes fue aprobada. Ya no cambia; guarde el balance y el acta firmados.")
        self.next_step.setText(step)
        self.observations.setText(_("Observaciones del supervisor: {text}").format(text=view.observations)
                                  if view.observations.strip() else "")
        self.observations.setVisible(bool(view.observations.strip()) and state in ("observado", "presentado"))
        can_present = state in ("borrador", "observado")  # a closed month too: its report's code does not change
        self.present_button.setVisible(can_present)
        self.present_button.setText(_("Volver a presentar la rendición") if state == "observado"
                                    else _("Presentar la rendición"))
        self.approve_button.setVisible(state == "presentado")
        self.observe_button.setVisible(state == "presentado")
