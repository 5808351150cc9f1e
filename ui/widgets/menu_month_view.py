"""The parts of the Menú page: the month (its bar, the calendar grid, the day's detail beside it and the
buttons that change several days), and what the page shows before there is a plan."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ..i18n import _
from ..theme import set_role
from .menu_calendar import NO_SCHOOL_BG, STATUS_STYLE, MonthCalendar
from .menu_day_panel import DayPanel


class MonthView(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        style = self.style()
        self.prev_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_ArrowLeft), "")
        self.prev_button.setToolTip(_("Mes anterior"))
        self.next_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_ArrowRight), "")
        self.next_button.setToolTip(_("Mes siguiente"))
        self.month_label = QLabel()
        set_role(self.month_label, "title")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        set_role(self.summary, "summary")
        month_bar = QHBoxLayout()
        month_bar.addWidget(self.prev_button)
        month_bar.addWidget(self.month_label)
        month_bar.addWidget(self.next_button)
        month_bar.addSpacing(12)
        month_bar.addWidget(self.summary, 1)
        self.propose_button = QPushButton(_("Proponer menú…"))
        self.propose_button.setToolTip(_("Un menú que cumple el estándar al menor costo, usando primero el almacén: "
                                         "revise los cambios y acéptelos"))
        month_bar.addWidget(self.propose_button)

        self.calendar = MonthCalendar()
        swatch = "<span style='background:{bg}; border:1px solid #999;'>&nbsp;&nbsp;&nbsp;&nbsp;</span>&nbsp;{text}"
        legend = QLabel("&nbsp;&nbsp;&nbsp;".join(swatch.format(bg=bg, text=text) for bg, text in (
            (STATUS_STYLE["ok"][0], _("cumple")), (STATUS_STYLE["low"][0], _("no cumple")),
            (STATUS_STYLE["unknown"][0], _("faltan datos de un alimento o falta plan")), (NO_SCHOOL_BG, _("sin clases")))))
        set_role(legend, "muted")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.calendar, 1)
        self.standard_note = QLabel()
        self.standard_note.setWordWrap(True)
        set_role(self.standard_note, "muted")
        left_layout.addWidget(legend)  # the note on its own line: beside the legend it grew tall and
        left_layout.addWidget(self.standard_note)  # squeezed the calendar's lunch row out at 1366×768
        self.panel = DayPanel()
        self.panel_area = QScrollArea()
        self.panel_area.setWidgetResizable(True)
        self.panel_area.setFrameShape(QFrame.Shape.NoFrame)
        self.panel_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # it wraps instead
        self.panel_area.setWidget(self.panel)
        self.panel_area.hide()  # opens when a day is clicked
        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.panel_area)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([680, 420])
        splitter.setChildrenCollapsible(False)

        self.copy_button = QPushButton(_("Copiar una semana…"))
        self.cycle_button = QPushButton(_("Repetir un ciclo…"))
        self.swap_button = QPushButton(_("Intercambiar días…"))
        self.history_button = QPushButton(_("Historial…"))
        self.history_button.setToolTip(_("Quién eligió cada preparación y quién deshizo una elección"))
        self.poster_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton),
                                         _("Imprimir el menú…"))
        self.poster_button.setToolTip(_("El menú del mes para la puerta de la escuela, una hoja por semana (PDF)"))
        set_role(self.poster_button, "primary")
        bottom = QHBoxLayout()
        for button in (self.copy_button, self.cycle_button, self.swap_button, self.history_button):
            bottom.addWidget(button)
        bottom.addStretch(1)
        bottom.addWidget(self.poster_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(month_bar)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)


class MenuStart(QWidget):
    """No committee yet, or no plan yet: what to do, with the buttons to do it."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setWordWrap(True)
        set_role(self.title, "title")
        self.text = QLabel()
        self.text.setWordWrap(True)
        set_role(self.text, "hint")
        self.create_button = QPushButton()
        set_role(self.create_button, "primary")
        self.import_button = QPushButton(_("Cargar un plan de un archivo…"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        buttons = QHBoxLayout()
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.import_button)
        from .template_button import template_button

        self.template_button = template_button("plan", self)
        buttons.addWidget(self.template_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)
