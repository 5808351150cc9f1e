"""Incidencias: log what went wrong (a product in bad condition, children ill, a missing or late
delivery), list it, note when it was reported to the programme, and print the report."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.domain.stock import INCIDENT_TYPES
from qaliwarma.errors import InvalidInput
from qaliwarma.services import incidents
from qaliwarma.services.store_views import IncidentsData, load_incidents

from ..i18n import _
from ..models.base import RowsProxy
from ..models.stock_format import fmt_date, month_name
from ..models.stock_lists import IncidentListModel
from ..theme import set_invalid, set_role
from ..widgets import stock_common as common
from ..widgets.lazy_page import LazyPage
from ..widgets.number_box import NumberBox
from ..widgets.stock_pdf import make_pdf
from ..widgets.table import DataTable

FIELD_OF_PROBLEM = {"Tipo": "kind", "Descripción": "description", "Niños afectados": "children",
                    "Reporte al programa": "reference"}


class IncidentsPage(LazyPage):
    TITLE = "Incidencias"

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._dirty = True
        self._lots: dict[str, list[str]] = {}
        self.start_frame(_("Incidencias"))
        self.tabs.addTab(self._build_list(), _("Incidencias registradas"))
        self.tabs.addTab(self._build_form(), _("Anotar una incidencia"))
        self.finish_frame(ctx, ("incident", "stock", "committee"))

    # ------------------------------------------------------------------ building
    def _build_form(self) -> QWidget:
        box = QGroupBox(_("Anotar una incidencia"))
        self.day = common.DayEdit()
        self.kind = QComboBox()
        self.kind.addItem(_("— Elija —"), None)
        for key, label in INCIDENT_TYPES.items():
            self.kind.addItem(_(label), key)
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText(_("Cuente qué pasó, por ejemplo: tres latas hinchadas en el almacén"))
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 16)
        self.product = QComboBox()
        self.product.addItem(_("— Ninguno —"), "")
        self.product.currentIndexChanged.connect(self._product_changed)
        self.lot = QComboBox()
        self.lot.setEditable(True)
        self.lot.lineEdit().setPlaceholderText(_("Lote (si se sabe)"))
        self.children = NumberBox()
        self.children.setRange(0, 99999)  # a number past the enrolment reaches the check that names it
        self.children.setSuffix(_(" niños"))
        self.referred = QCheckBox(_("Se llevó a niños al puesto de salud"))
        self.reported = QCheckBox(_("Ya se reportó al programa (Unidad Territorial o línea gratuita)"))
        self.reference = QLineEdit()
        self.reference.setPlaceholderText(_("Número o referencia del reporte"))
        self.reported.toggled.connect(self._reported_toggled)
        self.notes = QLineEdit()
        self.notes.setPlaceholderText(_("Qué se hizo, a quién se avisó (opcional)"))
        self.messages = {key: common.message_label()
                         for key in ("day", "kind", "description", "children", "reference")}
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(_("Fecha"), self.day)
        form.addRow("", self.messages["day"])
        # a date typed that could not be kept as typed (31/02, a month 13) is said under it, not only in a tooltip
        self.day.warned.connect(lambda message: common.show_message(self.messages["day"], message))
        self.day.dateChanged.connect(lambda _d: common.show_message(self.messages["day"], self.day.warning() or None))
        form.addRow(_("Tipo"), self.kind)
        form.addRow("", self.messages["kind"])
        form.addRow(_("Qué pasó"), self.description)
        form.addRow("", self.messages["description"])
        form.addRow(_("Producto"), self.product)
        form.addRow(_("Lote"), self.lot)
        form.addRow(_("Niños afectados"), self.children)
        form.addRow("", self.messages["children"])
        form.addRow(self.referred)
        form.addRow(self.reported)
        form.addRow(_("Referencia"), self.reference)
        form.addRow("", self.messages["reference"])
        form.addRow(_("Notas"), self.notes)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save_button = QPushButton(_("Registrar incidencia"))
        set_role(self.save_button, "primary")
        self.save_button.clicked.connect(self.save)
        box.setMaximumWidth(900)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 6, 6, 0)
        inner_layout.addWidget(box)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignBottom)
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(scroll, 1)
        page_layout.addLayout(bar)
        self._reported_toggled(False)
        return page

    def _build_list(self) -> QWidget:
        self.new_button = QPushButton(_("+ Anotar una incidencia"))
        set_role(self.new_button, "primary")
        self.new_button.clicked.connect(lambda: (self.tabs.setCurrentIndex(1), self.kind.setFocus()))
        self.list_hint = QLabel()
        self.list_hint.setWordWrap(True)
        set_role(self.list_hint, "muted")
        self.model = IncidentListModel(self)
        self.proxy = RowsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = DataTable(stretch_column=2, wrap=True)
        self.table.setModel(self.proxy)
        # the programme's reference is typed by the user and may be long («AER-2026-000999 / UT Huancavelica…»):
        # sized to it, its column left «Qué pasó» 80 px wide, with rows ten lines tall; it wraps in its own width
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(5, self.table.fontMetrics().horizontalAdvance(_("Reporte al programa")) + 40)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.reported_button = QPushButton(_("Anotar que se reportó…"))
        self.reported_button.clicked.connect(self.open_reported)
        self.void_button = QPushButton(_("Anular…"))
        self.void_button.clicked.connect(self.open_void)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reported_button)
        buttons.addWidget(self.void_button)
        buttons.addStretch(1)
        self.period = QComboBox()
        self.print_button = QPushButton(_("Imprimir informe"))
        set_role(self.print_button, "primary")
        self.print_button.clicked.connect(self.print_report)
        printing = QHBoxLayout()
        printing.addStretch(1)
        printing.addWidget(QLabel(_("Periodo:")))
        printing.addWidget(self.period)
        printing.addWidget(self.print_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.list_hint, 1)
        top.addWidget(self.new_button)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addLayout(printing)
        return page

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        info = self.begin_refresh()
        if info is None:
            return
        db, cid = self.ctx.db, info.id
        self.ctx.runner.run(lambda: load_incidents(db, cid), self._loaded, on_error=self._error,
                            key="incidents.list", owner=self)

    def _loaded(self, data: IncidentsData) -> None:
        chosen = self.product.currentData()
        self.product.blockSignals(True)
        self.product.clear()
        self.product.addItem(_("— Ninguno —"), "")
        for code, name in data.products:
            self.product.addItem(f"{name} ({code})", code)
        self.product.setCurrentIndex(max(self.product.findData(chosen), 0))
        self.product.blockSignals(False)
        self._lots = data.lots
        self.model.set_rows(data.records)
        pending = sum(1 for r in data.records if not r.incident.reported_to_programme)
        if not data.records:
            self.list_hint.setText(_("No hay incidencias registradas."))
        elif pending:
            self.list_hint.setText(_("{n} sin reportar al programa (en ámbar). Cuando la reporte, elíjala y pulse "
                                     "«Anotar que se reportó…».").format(n=pending))
        else:
            self.list_hint.setText(_("Todas están reportadas al programa."))
        months = sorted({(r.incident.day.year, r.incident.day.month) for r in data.records}, reverse=True)
        current = self.period.currentData()
        self.period.clear()
        self.period.addItem(_("Todas"), None)
        for year, month in months:
            self.period.addItem(month_name(year, month), (year, month))
        self.period.setCurrentIndex(max(self.period.findData(current), 0))
        self.print_button.setEnabled(bool(data.records))
        if data.records:
            self.table.selectRow(0)
        self._update_buttons()

    def _product_changed(self) -> None:
        code = self.product.currentData()
        text = self.lot.currentText()
        self.lot.clear()
        self.lot.addItems(self._lots.get(code, []) if code else [])
        self.lot.setCurrentText(text if not code or text in self._lots.get(code, []) else "")

    def _reported_toggled(self, on: bool) -> None:
        self.reference.setEnabled(on)
        if not on:
            common.show_message(self.messages["reference"], None)

    def _error(self, error: Exception) -> None:
        self.banner.show_message(common.error_text(error), error=True)

    def selected(self):
        index = self.table.selectionModel().currentIndex()
        return self.model.row_at(self.proxy.mapToSource(index).row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        record = self.selected()
        self.reported_button.setEnabled(record is not None and not record.incident.reported_to_programme)
        self.void_button.setEnabled(record is not None)

    # ------------------------------------------------------------------ recording
    def incident(self) -> incidents.Incident:
        return incidents.Incident(
            day=self.day.day(), kind=self.kind.currentData() or "", description=self.description.toPlainText().strip(),
            food_code=self.product.currentData() or "", lot=self.lot.currentText().strip(),
            children_affected=self.children.value(), referred_to_health_post=self.referred.isChecked(),
            reported_to_programme=self.reported.isChecked(), programme_reference=self.reference.text().strip(),
            notes=self.notes.text().strip())

    def save(self) -> None:
        if self.ctx.committee is None:
            return
        for label in self.messages.values():
            common.show_message(label, None)
        if self.day.warning():
            self._show_problems({"day": self.day.warning()})
            return
        if self.kind.currentData() is None:
            self._show_problems({"kind": _("Elija el tipo de incidencia.")})
            return
        incident, db, cid, user = self.incident(), self.ctx.db, self.ctx.committee.id, self.ctx.user
        self.save_button.setEnabled(False)
        self.ctx.write(lambda: incidents.record(db, cid, incident, user=user), self._saved,
                            on_error=self._save_failed, progress=_("Registrando la incidencia…"), owner=self)

    def _saved(self, _seq: int) -> None:
        self.save_button.setEnabled(True)
        reported = self.reported.isChecked()
        self.clear_form()
        self._set_status("")
        self.banner.show_message(_("✓ Incidencia registrada.") + ("" if reported else " " + _(
            "Recuerde reportarla al programa y, después, anotar la referencia con «Anotar que se reportó…».")))
        self.tabs.setCurrentIndex(0)
        self.refresh()

    def _save_failed(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, InvalidInput) and error.problems:
            self._show_problems({FIELD_OF_PROBLEM.get(p.where, "description"): p.what[:1].upper() + p.what[1:] + "."
                                 for p in error.problems}, summary=error.summary)
        else:
            self._set_status(common.error_text(error), error=True)

    def _show_problems(self, problems: dict[str, str], summary: str | None = None) -> None:
        for key, label in self.messages.items():
            common.show_message(label, problems.get(key))
        set_invalid(self.kind, "kind" in problems)
        set_invalid(self.reference, "reference" in problems)
        self._set_status((summary or _("La incidencia tiene datos por corregir; no se registró.")) + " " +
                         _("Corrija lo que está en rojo y vuelva a pulsar «Registrar incidencia»."), error=True)

    def clear_form(self) -> None:
        self.day.set_day(common.today())
        self.kind.setCurrentIndex(0)
        self.description.clear()
        self.product.setCurrentIndex(0)
        self.lot.setCurrentText("")
        self.children.setValue(0)
        for box in (self.referred, self.reported):
            box.setChecked(False)
        for field in (self.reference, self.notes):
            field.clear()
        for label in self.messages.values():
            common.show_message(label, None)
        set_invalid(self.kind, False)
        set_invalid(self.reference, False)

    def _set_status(self, text: str, *, error: bool = False, ok: bool = False) -> None:
        self.status.setText(text)
        set_role(self.status, "error" if error else "ok" if ok else "")

    # ------------------------------------------------------------------ corrections
    def open_reported(self) -> None:
        from ..dialogs.stock_reason import ask_reason

        record = self.selected()
        if record is None or record.incident.reported_to_programme:
            return
        reference = ask_reason(self, _("Anotar el reporte al programa"), _(
            "Escriba el número o la referencia que le dieron al reportar la incidencia del {day}.").format(
            day=fmt_date(record.incident.day)), _("Guardar"), label=_("Referencia del reporte"),
            placeholder=_("Por ejemplo: Unidad Territorial, reporte n.º 45"),
            missing=_("Escriba la referencia del reporte."))
        if reference:
            self.mark_reported(record.seq, reference)

    def mark_reported(self, seq: int, reference: str) -> None:
        """The journal is never edited: the entry is replaced by a corrected one (reversal + new entry)."""
        record = next((r for r in self.model.rows() if r.seq == seq), None)
        if record is None:
            return
        db, cid, user, today = self.ctx.db, self.ctx.committee.id, self.ctx.user, common.today()

        def call() -> int:
            return incidents.mark_reported(db, cid, seq, reference, user=user, today=today)

        self.ctx.write(call, lambda _s: self._corrected(_("✓ Anotado: la incidencia se reportó al programa.")),
                            on_error=self._error, progress=_("Guardando…"), owner=self)

    def open_void(self) -> None:
        from ..dialogs.stock_reason import ask_reason

        record = self.selected()
        if record is None:
            return
        reason = ask_reason(self, _("Anular una incidencia"), _(
            "La incidencia del {day} dejará de figurar en la lista y en el informe. El registro original queda en "
            "el diario con su anulación.").format(day=fmt_date(record.incident.day)), _("Anular incidencia"),
            placeholder=_("Por ejemplo: se registró dos veces"))
        if reason:
            self.void(record.seq, reason)

    def void(self, seq: int, reason: str) -> None:
        from qaliwarma.services import corrections

        db, cid, user, today = self.ctx.db, self.ctx.committee.id, self.ctx.user, common.today()
        self.ctx.write(lambda: corrections.reverse(db, cid, seq, user=user, reason=reason, day=today),
                            lambda _s: self._corrected(_("✓ Incidencia anulada.")), on_error=self._error,
                            progress=_("Anulando…"), owner=self)

    def _corrected(self, text: str) -> None:
        self.banner.show_message(text, transient=True)
        self.refresh()

    # ------------------------------------------------------------------ printing
    def print_report(self) -> None:
        import calendar as month_calendar
        from datetime import date

        info, db, period = self.ctx.committee, self.ctx.db, self.period.currentData()
        if info is None:
            return
        start = end = None
        name = "incidencias-todas.pdf"
        if period:
            year, month = period
            start, end = date(year, month, 1), date(year, month, month_calendar.monthrange(year, month)[1])
            name = f"incidencias-{year}-{month:02d}.pdf"

        def build(out):
            from qaliwarma.reports.expiry import build_incident_report

            return build_incident_report(db, info, out, start=start, end=end)

        make_pdf(self.ctx, self, name, build, notice=self.pdf_notice)
