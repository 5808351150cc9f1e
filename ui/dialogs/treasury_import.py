"""The result of checking an expense sheet before importing it: every problem listed by row (nothing
was imported), or how many expenses and how much, with the button that records them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from qaliwarma.domain.treasury import Expense
from qaliwarma.errors import InvalidInput
from qaliwarma.money import format_soles

from ..i18n import _
from ..models.treasury_problems import ProblemTableModel, sheet_problems
from ..models.treasury_rows import ExpenseRow, ExpenseTableModel
from ..theme import set_role
from ..widgets.table import DataTable


@dataclass(frozen=True)
class SheetCheck:
    """A sheet read and checked by the service without recording anything."""

    path: Path
    expenses: list[Expense]
    where: list[str]
    warnings: list[str] = field(default_factory=list)
    heading_names: dict[str, str] = field(default_factory=dict)

    def rows(self) -> list[ExpenseRow]:
        """The expenses as the month's grid shows them (numbered in the sheet's order)."""
        return [ExpenseRow(0, n, e.day, e.heading, self.heading_names.get(e.heading, e.heading), e.doc_type,
                           e.doc_number, e.party_id, e.party_name, e.detail, e.amount, e.payment)
                for n, e in enumerate(self.expenses, start=1)]

    @property
    def total(self) -> Decimal:
        return sum((e.amount for e in self.expenses), Decimal("0.00"))


class ImportDialog(QDialog):
    record_requested = Signal(object)  # SheetCheck

    def __init__(self, path: Path, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Importar gastos de una hoja"))
        self.resize(980, 560)
        self.check: SheetCheck | None = None
        self.title = QLabel(_("Revisando {name}…").format(name=Path(path).name))
        set_role(self.title, "heading")
        self.title.setWordWrap(True)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.model = ProblemTableModel(self)
        self.table = DataTable(stretch_column=2, wrap=True)
        self.table.setModel(self.model)
        self.table.setTabKeyNavigation(False)
        self.table.hide()
        self.preview_model = ExpenseTableModel(self)
        self.preview = DataTable(stretch_column=(4, 5), wrap=True)
        self.preview.setModel(self.preview_model)
        self.preview.setTabKeyNavigation(False)
        self.preview.hide()
        self.record_button = QPushButton()
        set_role(self.record_button, "primary")
        self.record_button.hide()
        self.close_button = QPushButton(_("Cerrar"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.preview, 1)
        layout.addStretch(0)  # takes the room when there is no table
        layout.addLayout(buttons)
        self.close_button.clicked.connect(self.reject)
        self.record_button.clicked.connect(self._record)

    def show_problems(self, name: str, error: Exception) -> None:
        """The sheet was refused: every problem, by row; nothing was imported."""
        self.check = None
        problems = getattr(error, "problems", []) if isinstance(error, InvalidInput) else []
        self.title.setText(_("{name}: no se importó nada").format(name=name))
        set_role(self.title, "heading")
        if problems:
            n = len(problems)
            self.text.setText((_("Se encontraron {n} errores.") if n != 1 else _("Se encontró 1 error.")).format(n=n)
                              + " " + _("Corrija cada uno en la hoja (la fila es la de Excel; la fila 1 son los "
                                        "títulos), guárdela y vuelva a importarla. No se registró ningún gasto."))
            self.model.set_rows(sheet_problems(problems))
            self.table.show()
        else:
            self.text.setText(str(error) + "\n\n" + _(
                "La hoja debe tener en la primera fila las columnas: fecha, rubro, tipo_documento, "
                "numero_documento, ruc_dni, proveedor, detalle, monto (y si quiere: pago, que, donde, origen, "
                "destino, motivo)."))
            self.model.set_rows([])
            self.table.hide()
        set_role(self.text, "error")
        self.preview.hide()
        self.record_button.hide()
        self.close_button.setText(_("Cerrar"))

    def show_check(self, check: SheetCheck) -> None:
        """The sheet has no errors: say what would be recorded, and offer to record it."""
        self.check = check
        n = len(check.expenses)
        self.title.setText(_("{name}: sin errores").format(name=check.path.name))
        count = _("1 gasto") if n == 1 else _("{n} gastos").format(n=n)
        text = (_("La hoja tiene {count} por {total}. Todavía no se registró nada: pulse «{button}» para "
                  "registrarlo.") if n == 1 else
                _("La hoja tiene {count} por {total}. Todavía no se registró nada: pulse «{button}» para "
                  "registrarlos.")).format(count=count, total=format_soles(check.total), button=self._button_text(n))
        if check.warnings:
            text += "\n" + "\n".join(_("Aviso: {w}").format(w=w) for w in check.warnings)
        self.text.setText(text)
        set_role(self.text, "")
        self.table.hide()
        self.preview_model.set_rows(check.rows())
        self.preview.show()
        self.record_button.setText(self._button_text(n))
        self.record_button.show()
        self.record_button.setEnabled(True)
        self.close_button.setText(_("Cancelar"))

    def show_record_failed(self, error: Exception) -> None:
        name = self.check.path.name if self.check else ""
        self.show_problems(name, error)

    @staticmethod
    def _button_text(n: int) -> str:
        return _("Registrar el gasto") if n == 1 else _("Registrar los {n} gastos").format(n=n)

    def _record(self) -> None:
        if self.check is not None:
            self.record_button.setEnabled(False)
            self.record_requested.emit(self.check)
