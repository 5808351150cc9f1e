"""One school × month of the supervisor's summary, in plain words: its figures, each alert with what it
means, and the months whose report never arrived."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from qaliwarma.services.month_end import month_label
from qaliwarma.services.supervision import SummaryRow

from ..i18n import _
from ..models.sup_summary import SummaryData, percent, soles
from ..theme import ERROR_COLOR, OK_COLOR, set_role


class SchoolDetail(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        set_role(self.heading, "heading")
        self.place = QLabel()
        self.place.setWordWrap(True)
        set_role(self.place, "muted")
        self.figures = QLabel()
        self.figures.setWordWrap(True)
        self.figures.setTextFormat(Qt.TextFormat.RichText)
        self.figures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.alerts_title = QLabel()
        self.alerts_title.setStyleSheet("font-weight: bold;")
        self.alerts = QLabel()
        self.alerts.setWordWrap(True)
        self.alerts.setTextFormat(Qt.TextFormat.RichText)
        self.alerts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(6)
        layout.addWidget(self.heading)
        layout.addWidget(self.place)
        layout.addWidget(self.figures)
        layout.addWidget(self.alerts_title)
        layout.addWidget(self.alerts)
        layout.addWidget(self.missing)
        layout.addStretch(1)
        self.alert_lines: list[str] = []
        self.clear()

    def clear(self, text: str = "") -> None:
        self.heading.setText(text or _("Elija una fila de la tabla para ver sus alertas."))
        set_role(self.heading, "muted" if not text else "heading")
        for label in (self.place, self.alerts_title, self.alerts, self.missing):
            label.hide()
        self._set_figures([])
        self.alert_lines = []

    def _set_figures(self, pairs: list[tuple[str, str]]) -> None:
        """Caption and value pairs as one wrapped paragraph (values in bold): compact for a small screen."""
        self.figures.setText(" &nbsp;·&nbsp; ".join(f"{_nb(caption)}:&nbsp;<b>{_nb(value)}</b>" for caption, value in pairs))
        self.figures.setVisible(bool(pairs))
        self.figure_pairs = list(pairs)

    def show_row(self, row: SummaryRow, data: SummaryData) -> None:
        set_role(self.heading, "heading")
        self.heading.setText(_("{school} ({code}) — {month}").format(
            school=row.school_name, code=row.codigo_modular, month=month_label(row.month)))
        self.place.setText(" · ".join(p for p in (row.ugel, row.district) if p))
        self.place.show()
        days = _("{served} de {days}").format(served=row.days_with_service, days=row.school_days)
        self._set_figures([
            (_("Matrícula"), _("{n} niños").format(n=f"{row.enrolment:,}")),
            (_("Días de clase con raciones"), days),
            (_("Raciones servidas"), f"{row.rations:,}"),
            (_("Raciones vs matrícula (por comida)"), percent(row.rations_vs_enrolment)),
            (_("Cumplimiento nutricional"), percent(row.compliance_rate)),
            (_("Lotes por vencer"), f"{row.lots_near_expiry:,}"),
            (_("Incidencias"), f"{row.incidents:,}"),
            (_("Saldo de tesorería"), soles(row.treasury_balance)),
            (_("Mes cerrado por el comité"), _("sí") if row.closed else _("no")),
            (_("Paquetes reemplazados"), f"{row.replacements:,}"),
        ])
        alerts = data.alerts(row)
        self.alert_lines = [f"{label}: {text}" for label, text in alerts]
        if alerts:
            self.alerts_title.setText(_("Alertas ({n}): por qué conviene visitar esta escuela").format(n=len(alerts)))
            self.alerts_title.setStyleSheet(f"font-weight: bold; color: {ERROR_COLOR};")
            items = "".join(f"<li><b>{_esc(label)}</b>: {_esc(text)}</li>" for label, text in alerts)
            self.alerts.setText(f"<ul style='margin-left: 0px; -qt-list-indent: 1;'>{items}</ul>")
            self.alerts.show()
        else:
            self.alerts_title.setText(_("Sin alertas: los registros del mes cuadran."))
            self.alerts_title.setStyleSheet(f"font-weight: bold; color: {OK_COLOR};")
            self.alerts.hide()
        self.alerts_title.show()
        if row.missing_months:
            self.missing.setText(_("Meses sin reporte de esta escuela: {months}. Pida al comité que exporte esos "
                                   "meses.").format(months=", ".join(month_label(m) for m in row.missing_months)))
            self.missing.setStyleSheet(f"color: {ERROR_COLOR}; font-weight: bold;")
        else:
            self.missing.setText(_("Meses sin reporte: ninguno."))
            self.missing.setStyleSheet("")
        self.missing.show()


def _nb(text: str) -> str:
    """Escaped, and kept on one line: the paragraph breaks only between figures."""
    return _esc(text).replace(" ", "&nbsp;")


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
