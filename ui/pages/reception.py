"""Recepción: a delivery checked line by line as on the paper acta; rejected quantities never enter the
store. Then the acta is printed to sign. The past receptions are listed, each can be printed again."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.domain.identifiers import check_ruc
from qaliwarma.domain.stock import Reception
from qaliwarma.errors import InvalidInput, Problem
from qaliwarma.services.store_views import ReceptionForm, load_reception_form, load_receptions

from ..i18n import N_, _
from ..models.base import RowsProxy
from ..models.stock_format import fmt_kg
from ..models.stock_lists import ReceptionListModel
from ..theme import set_invalid, set_role
from ..widgets import stock_common as common
from ..widgets.lazy_page import LazyPage
from ..widgets.rations_received_tab import RationsReceivedTab
from ..widgets.stock_pdf import make_pdf, safe_name
from ..widgets.stock_reception_line import ReceptionLineEditor
from ..widgets.table import DataTable

TYPING_PAUSE_MS = 600
FORM_MIN_HEIGHT = 200  # the acta's form, scrolled inside the page: two or three of its rows at least
#: The acta's columns a problem may name (``Problem.field``), as the form labels them.
FIELD_LABELS = {"cantidad_aceptada": N_("Cantidad aceptada"), "observacion": N_("Observación")}


def line_problem(p: Problem) -> str:
    """A problem of one line, as the form shows it: the field's label first when the problem has one."""
    label = FIELD_LABELS.get(p.field or "")
    return f"{_(label)}: {p.what}" if label else p.what


class ReceptionPage(LazyPage):
    TITLE = "Recepción"

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._form: ReceptionForm | None = None
        self._form_committee: int | None = None
        self._attempted = False
        self._counted = False  # the status is the count of what is left to correct (kept up to date)
        self._dirty = True
        self.last_acta: str | None = None
        self.lines: list[ReceptionLineEditor] = []
        self._live = QTimer(self)
        self._live.setSingleShot(True)
        self._live.setInterval(TYPING_PAUSE_MS)
        self._live.timeout.connect(self._recheck)

        self.start_frame(_("Recepción de alimentos"))
        self.banner.action_clicked.connect(self.print_last)
        self.tabs.addTab(self._build_form(), _("Nueva recepción"))
        self.tabs.addTab(self._build_list(), _("Recepciones anteriores"))
        self.rations_tab = RationsReceivedTab(ctx, self)  # first tab, only for schools of the raciones modality
        self.rations_tab.hide()

        self.finish_frame(ctx, ("stock", "committee"))
        self.clear_form()

    # ------------------------------------------------------------------ building
    def _build_form(self) -> QWidget:
        hint = QLabel(_("Revise la entrega con el acta del proveedor, como en el papel: una línea por producto. "
                        "Lo rechazado no entra al almacén. La tecla Enter agrega otra línea. Al terminar, pulse "
                        "«Registrar recepción» y luego imprima el acta para firmar."))
        hint.setWordWrap(True)
        set_role(hint, "hint")
        self.acta = QLineEdit()
        self.acta.setPlaceholderText(_("Por ejemplo: AER-2026-000731"))
        self.day = common.DayEdit()
        self.ruc = QLineEdit()
        self.ruc.setPlaceholderText(_("11 números"))
        self.ruc.setMaxLength(11)
        self.supplier = QLineEdit()
        self.supplier.setPlaceholderText(_("Nombre o razón social del proveedor"))
        self.acta_message, self.ruc_message, self.supplier_message, self.day_message = (
            common.message_label() for _i in range(4))
        head = QGroupBox(_("1. El acta de entrega"))
        grid = QGridLayout(head)
        grid.setHorizontalSpacing(14)
        grid.addWidget(common.field_block(_("Número de acta"), self.acta, message=self.acta_message), 0, 0)
        grid.addWidget(common.field_block(_("Fecha de entrega"), self.day, message=self.day_message), 0, 1)
        grid.addWidget(common.field_block(_("RUC del proveedor"), self.ruc, message=self.ruc_message), 1, 0)
        grid.addWidget(common.field_block(_("Proveedor"), self.supplier, message=self.supplier_message), 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        for block in (grid.itemAtPosition(r, c).widget() for r in (0, 1) for c in (0, 1)):
            block.layout().setAlignment(Qt.AlignmentFlag.AlignTop)
        self._ruc_timer = QTimer(self)
        self._ruc_timer.setSingleShot(True)
        self._ruc_timer.setInterval(TYPING_PAUSE_MS)
        self._ruc_timer.timeout.connect(self.check_ruc)
        self.ruc.textEdited.connect(lambda _t: self._ruc_timer.start())
        self.ruc.editingFinished.connect(self.check_ruc)
        for field in (self.acta, self.supplier):
            field.textEdited.connect(lambda _t: self._changed())
        # after a first «Registrar», a day put right clears what was said of it (not when the form is emptied)
        self.day.dateChanged.connect(lambda _d: self._changed() if self._attempted else None)
        self.day.warned.connect(lambda message: common.show_message(self.day_message, message))

        checks = QGroupBox(_("2. Antes de descargar"))
        checks_layout = QVBoxLayout(checks)
        self.vehicle_clean = QCheckBox(_("El vehículo llegó limpio"))
        self.staff_protected = QCheckBox(_("El personal del proveedor usa indumentaria de protección (mandil, gorro, "
                                           "mascarilla)"))
        self.storage_ready = QCheckBox(_("El almacén está limpio y listo (tarimas o mesas)"))
        note = QLabel(_("Marque lo que se cumplió; lo que no marque saldrá como «No» en el acta."))
        set_role(note, "muted")
        for widget in (self.vehicle_clean, self.staff_protected, self.storage_ready, note):
            checks_layout.addWidget(widget)

        products = QGroupBox(_("3. Productos del acta"))
        self.lines_layout = QVBoxLayout(products)
        self.lines_message = common.message_label()
        self.lines_layout.addWidget(self.lines_message)
        self.add_button = QPushButton(_("+ Agregar otro producto"))
        self.add_button.clicked.connect(lambda: self.add_line(focus=True))
        self.lines_layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.observation = QLineEdit()
        self.observation.setPlaceholderText(_("Observación general del acta (opcional)"))

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setSpacing(10)
        for widget in (hint, head, checks, products, self.observation):
            content_layout.addWidget(widget)
        content_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(content)
        # the form scrolls inside the page, so «Registrar recepción» stays in sight at 1366×768: asking for its
        # whole height, it made the page taller than the window once the acta's PDF notice showed (the button
        # went below the screen's edge, behind the page's own scroll bar)
        self.scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.scroll.setMinimumHeight(FORM_MIN_HEIGHT)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.register_button = QPushButton(_("Registrar recepción"))
        set_role(self.register_button, "primary")
        self.register_button.clicked.connect(self.register)
        self.print_button = QPushButton(_("Imprimir acta"))
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self.print_last)
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.register_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(bar)
        return page

    def _build_list(self) -> QWidget:
        self.list_hint = QLabel()
        self.list_hint.setWordWrap(True)
        set_role(self.list_hint, "muted")
        self.model = ReceptionListModel(self)
        self.proxy = RowsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = DataTable(stretch_column=2, sortable=True)
        self.table.setModel(self.proxy)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.doubleClicked.connect(lambda _i: self.reprint_selected())
        self.reprint_button = QPushButton(_("Imprimir el acta elegida"))
        set_role(self.reprint_button, "primary")
        self.reprint_button.clicked.connect(self.reprint_selected)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.reprint_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.list_hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)
        return page

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        info = self.begin_refresh()
        if info is None:
            return
        self._show_rations_tab(info.form.modality == "raciones")
        db, cid = self.ctx.db, info.id
        if self._form is None or self._form_committee != cid:
            self._form_committee = cid
            self.ctx.runner.run(lambda: load_reception_form(db, cid), self._form_loaded, key="reception.form",
                                owner=self)
        self.ctx.runner.run(lambda: load_receptions(db, cid), self._list_loaded, key="reception.list", owner=self)

    def _show_rations_tab(self, show: bool) -> None:
        """Schools of the raciones modality receive ready rations every day: their tab comes first."""
        index = self.tabs.indexOf(self.rations_tab)
        if show and index < 0:
            self.tabs.insertTab(0, self.rations_tab, _("Raciones listas del día"))
            self.tabs.setCurrentIndex(0)
        elif not show and index >= 0:
            self.tabs.removeTab(index)
            self.rations_tab.hide()
        if show:
            self.rations_tab.refresh()

    def _form_loaded(self, form: ReceptionForm) -> None:
        self._form = form
        for editor in self.lines:
            editor.set_form(form)

    def _list_loaded(self, rows) -> None:
        self.model.set_rows(rows)
        self.reprint_button.setEnabled(bool(rows))
        self.list_hint.setText(_("Todavía no se registró ninguna entrega.") if not rows else
                               _("Elija un acta y pulse «Imprimir el acta elegida» (o haga doble clic) para "
                                 "imprimirla otra vez."))
        if rows:
            self.table.selectRow(0)

    # ------------------------------------------------------------------ lines
    def add_line(self, *, focus: bool = False) -> ReceptionLineEditor:
        editor = ReceptionLineEditor(self._form)
        editor.remove_requested.connect(self.remove_line)
        editor.enter_pressed.connect(self._enter_in_line)
        editor.changed.connect(self._changed)
        self.lines.append(editor)
        self.lines_layout.insertWidget(self.lines_layout.indexOf(self.add_button), editor)
        self._renumber()
        if focus:
            QTimer.singleShot(0, lambda: (self.scroll.ensureWidgetVisible(editor), editor.product.setFocus()))
        return editor

    def remove_line(self, editor: ReceptionLineEditor) -> None:
        if editor not in self.lines:
            return
        self.lines.remove(editor)
        editor.hide()
        editor.deleteLater()
        if not self.lines:
            self.add_line()
        self._renumber()
        self._changed()

    def _enter_in_line(self, editor: ReceptionLineEditor) -> None:
        last = self.lines[-1]
        if last is not editor and last.is_blank():
            self.scroll.ensureWidgetVisible(last)
            last.product.setFocus()
        elif not editor.is_blank():
            self.add_line(focus=True)

    def _renumber(self) -> None:
        for n, editor in enumerate(self.lines, start=1):
            editor.set_number(n)
        chain = [self.acta, self.day, self.ruc, self.supplier, self.vehicle_clean, self.staff_protected,
                 self.storage_ready] + [w for e in self.lines for w in e.fields()] + \
            [self.add_button, self.observation, self.register_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    # ------------------------------------------------------------------ checking
    def check_ruc(self) -> None:
        text = self.ruc.text()
        if not text and not self._attempted:
            common.show_message(self.ruc_message, None)
            set_invalid(self.ruc, False)
            return
        problem = check_ruc(text)
        common.show_message(self.ruc_message, problem or _("✓ RUC válido"), ok=problem is None)
        set_invalid(self.ruc, problem is not None)

    def _changed(self) -> None:
        if self.status.property("role") == "ok":
            self._set_status("")
        self._live.start()

    def reception(self) -> tuple[Reception, dict[int, list[str]]]:
        """The reception as typed (blank lines left out) and each line's problems found before the service."""
        built, local = [], {}
        for editor in self.lines:
            if editor.is_blank():
                continue
            line, problems = editor.build()
            local[len(built)] = problems
            built.append(line)
        rec = Reception(self.day.day(), self.acta.text().strip(), self.ruc.text().strip(), self.supplier.text().strip(),
                        tuple(built), self.vehicle_clean.isChecked(), self.staff_protected.isChecked(),
                        self.storage_ready.isChecked(), self.observation.text().strip())
        return rec, local

    def check(self) -> int:
        """Show every problem beside its field or line; returns how many there are."""
        from qaliwarma.services.receiving import validate

        rec, local = self.reception()
        codes = set(self._form.codes) if self._form else set()
        problems = validate(rec, codes, [f"#{n}" for n in range(len(rec.lines))])
        return self.show_problems(problems, local)

    def show_problems(self, problems: list[Problem], local: dict[int, list[str]] | None = None) -> int:
        local = local or {}
        per_line: dict[int, list[str]] = {n: list(p) for n, p in local.items()}
        head: dict[str, list[str]] = {"acta": [], "ruc": [], "supplier": [], "lines": [], "day": []}
        if self.day.warning():  # a date typed that could not be kept as typed (31/02, a month 13): typed again first
            head["day"].append(self.day.warning())
        for p in problems:
            if p.where.startswith("#"):
                n = int(p.where[1:].split(",", 1)[0])  # the form's own "#n" place (a column may follow)
                mine = per_line.setdefault(n, [])
                if p.field in ("product", "presentation") and local.get(n):
                    continue  # the line's own check already said it, in the form's words
                mine.append(line_problem(p))
            elif p.field == "ruc":
                head["ruc"].append(p.what)
            elif p.field == "supplier":
                head["supplier"].append(p.what)
            elif p.field == "day":
                head["day"].append(p.what[:1].upper() + p.what[1:])
            elif p.field == "lines":
                head["lines"].append(_("Agregue al menos un producto del acta."))
            else:
                head["acta"].append(p.what[:1].upper() + p.what[1:])
        shown = [e for e in self.lines if not e.is_blank()]
        count = 0
        for n, editor in enumerate(shown):
            found = per_line.get(n, [])
            count += len(found)
            editor.show_problems(found if (self._attempted or editor.touched) else [])
        for editor in self.lines:
            if editor.is_blank():
                editor.show_problems([])
        for key, label, field in (("acta", self.acta_message, self.acta), ("day", self.day_message, self.day),
                                  ("supplier", self.supplier_message, self.supplier),
                                  ("lines", self.lines_message, None)):
            count += len(head[key])
            common.show_message(label, "\n".join(head[key]) if self._attempted else None)
            if field is not None:
                set_invalid(field, self._attempted and bool(head[key]))
        count += len(head["ruc"])
        if self._attempted or self.ruc.text():
            self.check_ruc()
        return count

    def _recheck(self) -> None:
        """The live check as the user types; a «Hay n datos por corregir» already shown follows what is left (it
        said 4 after three of them were fixed)."""
        count = self.check()
        if self._attempted and self._counted:
            self._set_status(self._left(count) if count else _("Ya no hay datos por corregir: pulse «Registrar "
                                                               "recepción»."), error=bool(count))
            self._counted = bool(count)

    @staticmethod
    def _left(count: int) -> str:
        return (_("Hay {n} datos por corregir (en rojo). Corríjalos y vuelva a pulsar «Registrar recepción»; no se "
                  "registró nada.").format(n=count) if count != 1 else
                _("Hay 1 dato por corregir (en rojo). Corríjalo y vuelva a pulsar «Registrar recepción»; no se "
                  "registró nada."))

    # ------------------------------------------------------------------ recording
    def register(self) -> None:
        if self.ctx.committee is None:
            return
        if self.status.property("role") == "ok" and self._untouched():
            # the second click of a double click, on the form the registration just emptied: the ✓ stays (it was
            # replaced by «Hay 4 datos por corregir… no se registró nada» although the acta had been recorded)
            return
        self._attempted = True
        self._live.stop()
        count = self.check()
        if count:
            self._set_status(self._left(count), error=True)
            self._counted = True
            self._focus_first_problem()
            return
        rec, _local = self.reception()
        db, cid, user = self.ctx.db, self.ctx.committee.id, self.ctx.user
        where = {0: [f"#{n}" for n in range(len(rec.lines))]}
        from qaliwarma.services import receiving

        self.register_button.setEnabled(False)
        self._set_status(_("Registrando…"))
        self.ctx.write(lambda: receiving.record(db, cid, [rec], user=user, where=where),
                            lambda _seqs: self._registered(rec), on_error=self._failed,
                            progress=_("Registrando la recepción…"), owner=self)

    def _registered(self, rec: Reception) -> None:
        self.register_button.setEnabled(True)
        accepted = sum((ln.accepted_grams for ln in rec.lines), 0)
        rejected = sum((ln.rejected_units * ln.net_grams_per_unit for ln in rec.lines), 0)
        self.last_acta = rec.acta
        self.print_button.setEnabled(True)
        # named: beside a later delivery that was refused, it still prints this one, and says so
        self.print_button.setText(_("Imprimir acta {acta}").format(acta=rec.acta))
        text = _("✓ Acta {acta} registrada: ingresaron {kg} al almacén.").format(acta=rec.acta, kg=fmt_kg(accepted))
        if rejected:
            text += " " + _("Se rechazaron {kg}; no entraron al almacén.").format(kg=fmt_kg(rejected))
        self.clear_form()
        self._set_status(text, ok=True)
        self.banner.show_message(_("Siguiente paso: imprima el acta {acta} para que la firmen el comité y el "
                                   "representante del proveedor.").format(acta=rec.acta), action=_("Imprimir acta"))
        self.refresh()

    def _failed(self, error: Exception) -> None:
        self.register_button.setEnabled(True)
        if isinstance(error, InvalidInput) and error.problems:
            _rec, local = self.reception()
            self.show_problems(error.problems, local)
            self._set_status(error.summary + " " + _("Corrija lo que está en rojo y vuelva a pulsar «Registrar "
                                                      "recepción»."), error=True)
            self._focus_first_problem()
        else:
            self._set_status(str(error), error=True)

    def _untouched(self) -> bool:
        """Nothing typed in the form: no acta, RUC, supplier or observation, every line blank."""
        return (not any(f.text().strip() for f in (self.acta, self.ruc, self.supplier, self.observation))
                and all(editor.is_blank() for editor in self.lines))

    def clear_form(self) -> None:
        self._attempted = False
        for field in (self.acta, self.ruc, self.supplier, self.observation):
            field.clear()
        self.day.set_day(common.today())
        for box in (self.vehicle_clean, self.staff_protected, self.storage_ready):
            box.setChecked(False)
        for editor in list(self.lines):
            self.lines.remove(editor)
            editor.hide()
            editor.deleteLater()
        self.add_line()
        self.show_problems([])
        common.show_message(self.ruc_message, None)

    def _focus_first_problem(self) -> None:
        for field, label in ((self.acta, self.acta_message), (self.day, self.day_message), (self.ruc, self.ruc_message),
                             (self.supplier, self.supplier_message)):
            if label.isVisible() and label.property("role") == "error":
                self.scroll.ensureWidgetVisible(field)
                field.setFocus()
                return
        for editor in self.lines:
            if editor.problems.isVisible():
                self.scroll.ensureWidgetVisible(editor)
                editor.product.setFocus()
                return

    def _set_status(self, text: str, *, error: bool = False, ok: bool = False) -> None:
        self.status.setText(text)
        set_role(self.status, "error" if error else "ok" if ok else "")
        self._counted = False  # whoever wants the count kept up to date says so after this

    # ------------------------------------------------------------------ printing
    def print_last(self) -> None:
        if self.last_acta:
            self.print_acta(self.last_acta)

    def reprint_selected(self) -> None:
        index = self.table.selectionModel().currentIndex()
        if index.isValid():
            self.print_acta(self.model.row_at(self.proxy.mapToSource(index).row()).acta)

    def print_acta(self, acta: str) -> None:
        info, db = self.ctx.committee, self.ctx.db
        if info is None:
            return
        def build(out):
            from qaliwarma.reports.reception import build_reception_record

            return build_reception_record(db, info, acta, out)

        make_pdf(self.ctx, self, f"acta-recepcion-{safe_name(acta)}.pdf", build, notice=self.pdf_notice)
