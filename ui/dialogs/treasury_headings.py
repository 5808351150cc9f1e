"""Change the budget headings (rubros): each gets a share of what is received or a fixed amount per
month. Checked as typed; saved whole (a mistake saves nothing)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.domain.foods import fold
from qaliwarma.domain.treasury import Heading
from qaliwarma.errors import InvalidInput
from qaliwarma.money import to_money
from qaliwarma.services import treasury

from ..i18n import _
from ..theme import set_invalid, set_role

SHARE, FIXED = "share", "fixed"


def _code(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_")[:24] or "rubro"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


class _Row:
    def __init__(self, heading: Heading | None, locked: bool) -> None:
        self.code = heading.code if heading else ""
        self.locked = locked  # it has expenses: it cannot be removed
        self.name = QLineEdit(heading.name if heading else "")
        self.name.setPlaceholderText(_("nombre del rubro"))
        self.mode = QComboBox()
        self.mode.addItem(_("% de lo recibido"), SHARE)
        self.mode.addItem(_("monto fijo por mes (S/)"), FIXED)
        fixed = heading is not None and heading.fixed_amount is not None
        self.mode.setCurrentIndex(1 if fixed else 0)
        value = (heading.fixed_amount if fixed else heading.share_percent) if heading else None
        self.value = QLineEdit("" if value is None else f"{Decimal(value).normalize():f}")
        self.value.setPlaceholderText(_("p. ej. 8"))
        self.remove = QPushButton(_("Quitar"))
        self.remove.setEnabled(not locked)
        if locked:
            self.remove.setToolTip(_("Este rubro ya tiene gastos: no se puede quitar."))
        self.message = QLabel()
        self.message.setWordWrap(True)
        set_role(self.message, "error")

    def widgets(self) -> list[QWidget]:
        return [self.name, self.mode, self.value, self.remove, self.message]

    def read(self) -> tuple[Heading | None, str]:
        name = self.name.text().strip()
        if not name:
            return None, _("Escriba el nombre del rubro.")
        text = self.value.text().strip()
        if self.mode.currentData() == FIXED:
            try:
                amount = to_money(text)
            except InvalidInput as exc:
                return None, str(exc)
            if amount < 0:
                return None, _("El monto no puede ser negativo.")
            return Heading(self.code, name, None, amount), ""
        try:
            share = Decimal(text.replace(",", ".").replace("%", "").strip())
        except InvalidOperation:
            return None, _("Escriba el porcentaje, p. ej. 8 o 2.5.")
        if not share.is_finite() or share < 0 or share > 100:
            return None, _("El porcentaje va de 0 a 100.")
        return Heading(self.code, name, share.quantize(Decimal("0.01")), None), ""


class HeadingsDialog(QDialog):
    saved = Signal()

    def __init__(self, ctx, headings: list[Heading], spent: set[str], parent=None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._spent = spent
        self.setWindowTitle(_("Rubros del presupuesto"))
        self.setMinimumWidth(900)
        hint = QLabel(_("A cada rubro le toca un porcentaje de cada transferencia recibida, o un monto fijo cada "
                        "mes. Los porcentajes no pueden sumar más de 100 %. El cambio vale para todos los meses, "
                        "también para los ya registrados: cambie los rubros solo si el programa lo indica."))
        hint.setWordWrap(True)
        set_role(hint, "hint")
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        for col, text in enumerate((_("Rubro"), _("Cómo se asigna"), _("Cuánto"))):
            title = QLabel(text)
            title.setStyleSheet("font-weight: bold;")
            self.grid.addWidget(title, 0, col)
        self.grid.setColumnStretch(0, 3)
        self.grid.setColumnStretch(4, 2)
        self.grid.setColumnMinimumWidth(0, 220)
        self.rows: list[_Row] = []
        for h in headings:
            self.add_row(h)
        self.add_button = QPushButton(self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon),
                                      _("Agregar un rubro"))
        self.add_button.clicked.connect(lambda: self.add_row(None, focus=True))
        self.sum_label = QLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)
        set_role(self.status, "error")
        self.save_button = QPushButton(_("Guardar rubros"))
        set_role(self.save_button, "primary")
        cancel = QPushButton(_("Cancelar"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.sum_label, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(self.grid)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        cancel.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        self.validate()

    def add_row(self, heading: Heading | None, *, focus: bool = False) -> None:
        row = _Row(heading, heading is not None and heading.code in self._spent)
        self.rows.append(row)
        n = self.grid.rowCount()
        for col, widget in enumerate(row.widgets()):
            self.grid.addWidget(widget, n, col)
        row.name.textEdited.connect(lambda _t: self.validate())
        row.value.textEdited.connect(lambda _t: self.validate())
        row.mode.currentIndexChanged.connect(lambda _i: self.validate())
        row.remove.clicked.connect(lambda _c=False, r=row: self.remove_row(r))
        if focus:
            row.name.setFocus()
        if hasattr(self, "save_button"):
            self.validate()

    def remove_row(self, row: _Row) -> None:
        if row.locked:
            return
        self.rows.remove(row)
        for widget in row.widgets():
            widget.hide()
            widget.deleteLater()
        self.validate()

    def headings(self) -> tuple[list[Heading], bool]:
        """The headings as typed (new ones get a code from their name) and whether all can be read."""
        taken = {r.code for r in self.rows if r.code}
        result, ok = [], True
        for row in self.rows:
            heading, problem = row.read()
            row.message.setText(problem)
            set_invalid(row.value, bool(problem) and bool(row.name.text().strip()))
            set_invalid(row.name, not row.name.text().strip())
            if heading is None:
                ok = False
                continue
            if not heading.code:
                heading = Heading(_code(heading.name, taken), heading.name, heading.share_percent,
                                  heading.fixed_amount)
                taken.add(heading.code)
            result.append(heading)
        return result, ok

    def validate(self) -> bool:
        items, ok = self.headings()
        total = sum((h.share_percent or Decimal(0) for h in items), Decimal(0))
        self.sum_label.setText(_("Los porcentajes suman {n} %.").format(n=f"{total.normalize():f}"))
        set_role(self.sum_label, "error" if total > 100 else "muted")
        names = [fold(h.name) for h in items]
        if len(set(names)) != len(names):
            self.status.setText(_("Hay dos rubros con el mismo nombre."))
            ok = False
        elif total > 100:
            self.status.setText(_("Los porcentajes suman más de 100 %: baje alguno."))
            ok = False
        elif not self.rows:
            self.status.setText(_("Debe haber al menos un rubro."))
            ok = False
        else:
            self.status.setText("")
        self.save_button.setEnabled(ok)
        return ok

    def save(self) -> None:
        if not self.validate() or self._ctx.committee is None:
            return
        items, _ok = self.headings()
        db, cid, user = self._ctx.db, self._ctx.committee.id, self._ctx.user
        self.save_button.setEnabled(False)
        self._ctx.runner.run(lambda: treasury.set_headings(db, cid, items, user=user), lambda _r: self._saved(),
                             on_error=self._failed, progress=_("Guardando los rubros…"), owner=self)

    def _saved(self) -> None:
        # the headings' entry (tesoreria.rubros) is in the journal; the pages that show them are told here
        self._ctx.changed("treasury")
        self.saved.emit()
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.status.setText(str(error))
        self.save_button.setEnabled(True)
