"""One line of a delivery record, as on the paper checklist: product, brand, presentation, quantity in
the acta, lot, dates, sanitary registration, package state, conformity (with the accepted quantity when
partial) and an observation. Its problems are shown under it, in red."""

from __future__ import annotations

import re
from decimal import Decimal

from PySide6.QtCore import QEvent, QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from qaliwarma.domain.stock import PACKAGE_STATES, ReceptionLine
from qaliwarma.services.store_views import ReceptionForm

from ..i18n import _
from ..models.stock_format import fmt_kg
from ..theme import set_invalid, set_role
from .number_box import NumberBox
from .stock_common import DateField, field_block

UNITS = ("BOLSA", "LATA", "BOTELLA", "PAQUETE", "TARRO", "SACO", "CAJA", "SOBRE", "FRASCO", "BALDE", "KILO",
         "UNIDAD")
PACKAGE_LABELS = {"bueno": "Bueno", "abollado": "Abollado", "hinchado": "Hinchado", "oxidado": "Oxidado",
                  "roto": "Roto", "derramado": "Derramado", "humedo": "Húmedo", "otro": "Otro"}
CONFORMITY_CHOICES = {"conforme": "Conforme", "parcial": "Parcial (se acepta una parte)",
                      "rechazado": "Rechazado (no se recibe)"}
CODE_AT_END = re.compile(r"\(([A-Za-z]{1,2}[0-9]{1,4})\)\s*$")


class ReceptionLineEditor(QFrame):
    remove_requested = Signal(object)  # self
    enter_pressed = Signal(object)  # self
    changed = Signal()

    def __init__(self, form: ReceptionForm | None = None, parent=None) -> None:
        super().__init__(parent)
        set_role(self, "card")
        self._form = form
        self.touched = False
        self.number = QLabel()
        self.number.setStyleSheet("font-weight: bold")
        self.remove_button = QPushButton(_("Quitar esta línea"))
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))

        self.product = QLineEdit()
        self.product.setPlaceholderText(_("Escriba parte del nombre o el código (A3)"))
        self.completer = QCompleter(self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setMaxVisibleItems(12)
        self.completer.setModel(QStringListModel(self.completer))
        self.product.setCompleter(self.completer)
        self.brand = QLineEdit()
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.addItems(UNITS)
        self.unit.setMinimumContentsLength(7)
        self.unit.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.net = QLineEdit()
        self.net.setPlaceholderText(_("0.170 kg"))
        self.net.setMinimumWidth(self.fontMetrics().horizontalAdvance("0.170 kg") + 24)
        self.quantity = NumberBox()
        self.quantity.setRange(0, 999999)
        self.lot = QLineEdit()
        self.production = DateField()
        self.expiry = DateField()
        self.registration = QLineEdit()
        self.registration.setPlaceholderText(_("p. ej. A4321000N/NADSA"))
        self.registration.setToolTip(_("El registro sanitario de DIGESA impreso en el envase. Los productos "
                                       "frescos (papa, verduras, frutas) no lo tienen."))
        self.package = QComboBox()
        for key in PACKAGE_STATES:
            self.package.addItem(_(PACKAGE_LABELS.get(key, key)), key)
        self.conformity = QComboBox()
        self.conformity.setMinimumContentsLength(10)
        self.conformity.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        for key, label in CONFORMITY_CHOICES.items():
            self.conformity.addItem(_(label), key)
        self.accepted = NumberBox()
        self.accepted.setRange(0, 999999)
        self.observation = QLineEdit()
        self.observation.setPlaceholderText(_("Obligatoria si se rechaza todo o una parte"))
        self.hint = QLabel()
        set_role(self.hint, "muted")
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        set_role(self.problems, "error")
        self.problems.hide()

        presentation = QWidget()
        pres_layout = QHBoxLayout(presentation)
        pres_layout.setContentsMargins(0, 0, 0, 0)
        pres_layout.addWidget(self.unit, 1)
        pres_layout.addWidget(self.net, 1)
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 8, 12, 10)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        top = QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(self.number)
        top.addWidget(self.hint, 1)
        top.addWidget(self.remove_button)
        grid.addLayout(top, 0, 0, 1, 4)
        grid.addWidget(field_block(_("Producto"), self.product), 1, 0, 1, 2)
        grid.addWidget(field_block(_("Marca"), self.brand), 1, 2)
        grid.addWidget(field_block(_("Presentación (unidad y neto)"), presentation), 1, 3)
        grid.addWidget(field_block(_("Cantidad en el acta"), self.quantity), 2, 0)
        grid.addWidget(field_block(_("Lote"), self.lot), 2, 1)
        grid.addWidget(field_block(_("Fecha de producción"), self.production), 2, 2)
        grid.addWidget(field_block(_("Fecha de vencimiento"), self.expiry), 2, 3)
        grid.addWidget(field_block(_("Registro sanitario"), self.registration), 3, 0)
        grid.addWidget(field_block(_("Estado del envase"), self.package), 3, 1)
        grid.addWidget(field_block(_("Conformidad"), self.conformity), 3, 2)
        grid.addWidget(field_block(_("Cantidad aceptada"), self.accepted), 3, 3)
        grid.addWidget(field_block(_("Observación"), self.observation), 4, 0, 1, 4)
        grid.addWidget(self.problems, 5, 0, 1, 4)
        for column in range(4):
            grid.setColumnStretch(column, 1)

        for widget in self.fields():
            widget.installEventFilter(self)
            if isinstance(widget, QLineEdit):
                widget.textChanged.connect(self._changed)
                widget.editingFinished.connect(self._left_field)
            elif isinstance(widget, QSpinBox):
                widget.valueChanged.connect(self._changed)
                widget.editingFinished.connect(self._left_field)
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(self._changed)
                widget.currentTextChanged.connect(self._changed)
        self.product.editingFinished.connect(self._product_chosen)
        self.completer.activated.connect(lambda _text: self._product_chosen())
        self.conformity.currentIndexChanged.connect(self._conformity_changed)
        self.quantity.valueChanged.connect(self._conformity_changed)
        self.set_form(form)
        self._conformity_changed()

    # ------------------------------------------------------------------ set-up
    def fields(self) -> list[QWidget]:
        """The fields in the order the keyboard visits them."""
        return [self.product, self.brand, self.unit, self.net, self.quantity, self.lot, self.production, self.expiry,
                self.registration, self.package, self.conformity, self.accepted, self.observation]

    def set_form(self, form: ReceptionForm | None) -> None:
        self._form = form
        model = self.completer.model()
        if isinstance(model, QStringListModel):
            model.setStringList(list(form.choices) if form else [])

    def set_number(self, n: int) -> None:
        self.number.setText(_("Línea {n}").format(n=n))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt naming
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if watched is self.product and self.completer.popup().isVisible():
                return False
            if isinstance(watched, QComboBox) and watched.view().isVisible():
                return False
            self._left_field()
            self.enter_pressed.emit(self)
            return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ reactions
    def _changed(self, *_args) -> None:
        self._update_hint()
        self.changed.emit()

    def _left_field(self) -> None:
        if not self.is_blank():
            self.touched = True
        self.changed.emit()

    def _product_chosen(self) -> None:
        code = self.code()
        if code is None or self._form is None:
            return
        if not CODE_AT_END.search(self.product.text()):  # typed («G5», «leche en polvo»): shown as the list shows it
            self.product.setText(f"{self._form.resolver.names.get(code, code)} ({code})")
        usual = self._form.presentations.get(code)
        if usual and not self.net.text().strip():
            self.unit.setCurrentText(usual[0])
            self.net.setText(usual[1])
        self._update_hint()

    def _conformity_changed(self, *_args) -> None:
        conformity = self.conformity.currentData()
        self.accepted.setMaximum(max(self.quantity.value(), 0))
        self.accepted.setEnabled(conformity == "parcial")
        if conformity == "conforme":
            self.accepted.setValue(self.quantity.value())
        elif conformity == "rechazado":
            self.accepted.setValue(0)

    def _update_hint(self) -> None:
        code = self.code()
        parts = []
        if code and self._form is not None:
            parts.append(f"{self._form.resolver.names.get(code, code)} · {code}")
        grams, _problem = self.net_grams()
        if grams:
            parts.append(_("{g} por {unit}").format(g=fmt_kg(grams), unit=self.unit.currentText().strip().lower()))
            if self.quantity.value():
                parts.append(_("en el acta: {kg}").format(kg=fmt_kg(grams * self.quantity.value())))
        self.hint.setText("   ·   ".join(parts))

    # ------------------------------------------------------------------ reading
    def code(self) -> str | None:
        text = self.product.text().strip()
        if not text or self._form is None:
            return None
        match = CODE_AT_END.search(text)
        if match and match.group(1).upper() in self._form.resolver.names:
            return match.group(1).upper()
        return self._form.resolver.code(text)

    def product_name(self) -> str:
        """The product's name: what was typed before its code, else the food table's name of the code (a code
        typed alone, «G5», was recorded as the name «G5» on the acta, in the store and on its PDF)."""
        name = CODE_AT_END.sub("", self.product.text()).strip()
        code = self.code()
        if code is not None and self._form is not None and (not name or name.upper() == code):
            return self._form.resolver.names.get(code, name)
        return name

    def net_grams(self) -> tuple[Decimal | None, str | None]:
        from qaliwarma.errors import InvalidInput
        from qaliwarma.units import presentation

        net = self.net.text().strip()
        if not net:
            return None, _("presentación: escriba el contenido neto de cada unidad, con su unidad (por ejemplo "
                           "0.170 kg o 1 L)")
        code = self.code() or ""
        density = self._form.densities.get(code) if self._form else None
        try:
            return presentation(self.unit.currentText().strip().upper() or "UNIDAD", net, density).grams(), None
        except InvalidInput as exc:
            return None, _("presentación: {problem}").format(problem=getattr(exc, "summary", str(exc)))

    def is_blank(self) -> bool:
        return not any((self.product.text().strip(), self.brand.text().strip(), self.net.text().strip(),
                        self.quantity.value(), self.lot.text().strip(), not self.production.is_blank(),
                        not self.expiry.is_blank(), self.registration.text().strip(),
                        self.observation.text().strip()))

    def build(self) -> tuple[ReceptionLine, list[str]]:
        """The line as typed, and the problems that keep it from being a line at all (unknown product,
        a net quantity or a date that cannot be read). The rest is checked by the reception service."""
        problems = []
        code = self.code()
        if code is None:
            problems.append(_("elija el producto de la lista (escriba parte del nombre o el código, p. ej. A3)")
                            if self.product.text().strip() else _("falta el producto"))
        grams, net_problem = self.net_grams()
        if net_problem:
            problems.append(net_problem)
        for field, what in ((self.production, _("producción")), (self.expiry, _("vencimiento"))):
            problem = field.problem()
            if problem:
                problems.append(_("fecha de {what}: {problem}").format(what=what, problem=problem))
        conformity = self.conformity.currentData()
        quantity = Decimal(self.quantity.value())
        accepted = {"conforme": quantity, "rechazado": Decimal(0)}.get(conformity, Decimal(self.accepted.value()))
        unit = self.unit.currentText().strip().upper() or "UNIDAD"
        line = ReceptionLine(
            food_code=code or "", product_name=self.product_name() or (code or ""), brand=self.brand.text().strip(),
            presentation=f"{unit} {self.net.text().strip()}", unit=unit, net_grams_per_unit=grams or Decimal(0),
            quantity=quantity, accepted_units=accepted, lot=self.lot.text().strip(),
            production=self.production.value(), expiry=self.expiry.value(),
            sanitary_registration=self.registration.text().strip(), package_state=self.package.currentData(),
            conformity=conformity, observation=self.observation.text().strip())
        return line, problems

    # ------------------------------------------------------------------ showing problems
    def show_problems(self, problems: list[str]) -> None:
        text = "\n".join(f"• {p[:1].upper()}{p[1:]}" for p in problems)
        self.problems.setText(text)
        self.problems.setVisible(bool(problems))
        set_invalid(self.product, any("producto" in p for p in problems))
        set_invalid(self.net, any("presentación" in p for p in problems))
