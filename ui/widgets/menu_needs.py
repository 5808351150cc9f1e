"""The food a menu plan needs for the school's children, in whole commercial units, and what it costs:
total and per ration, with the foods that have no price yet."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from qaliwarma.domain.levels import LEVEL_LABELS
from qaliwarma.money import format_soles

from ..i18n import _
from ..models.base import RowsProxy
from ..models.menu_compliance import NeedRow, NeedRowsModel
from ..theme import set_role
from .table import DataTable


def load_needs(db, committee, plan_id: int, attendance: Decimal):
    """On the worker: (NeedsResult, price list) of the plan."""
    from qaliwarma.services import needs, planning

    plan = planning.get_plan(db, plan_id, committee.id)
    return needs.plan_needs(db, plan, committee, attendance=attendance), needs.price_list(db, committee.id)


class NeedsPanel(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan_id: int | None = None
        self.result = None
        self.attendance = QSpinBox()
        self.attendance.setRange(10, 100)
        self.attendance.setValue(100)
        self.attendance.setSuffix(" %")
        self.attendance.setMinimumWidth(110)
        self.attendance.setToolTip(_("Qué parte de los matriculados suele venir a comer. Con 90 % se calcula "
                                     "para 9 de cada 10 niños."))
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Asistencia esperada:")))
        top.addWidget(self.attendance)
        self.children = QLabel()
        set_role(self.children, "muted")
        top.addWidget(self.children, 1)
        self.total = QLabel()
        self.total.setWordWrap(True)
        set_role(self.total, "summary")
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        set_role(self.missing, "error")
        self.model = NeedRowsModel(self)
        self.proxy = RowsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = DataTable(stretch_column=(0, 1), sortable=True, wrap=True)
        self.table.setModel(self.proxy)
        note = QLabel(_("Cantidades como se compran (con cáscara, hueso, etc.), para todos los días del plan. "
                        "Las unidades se redondean hacia arriba."))
        note.setWordWrap(True)
        set_role(note, "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.total)
        layout.addWidget(self.missing)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        self.attendance.valueChanged.connect(lambda _v: self.reload())

    def show_plan(self, plan_id: int | None) -> None:
        self.plan_id = plan_id
        self.reload()

    def reload(self) -> None:
        if self.plan_id is None or self.ctx.committee is None:
            self.model.set_rows([])
            self.total.setText(_("Elija un plan."))
            self.missing.hide()
            return
        db, committee, plan_id = self.ctx.db, self.ctx.committee, self.plan_id
        attendance = Decimal(self.attendance.value()) / 100
        self.ctx.runner.run(lambda: load_needs(db, committee, plan_id, attendance), self._loaded,
                            on_error=self._failed, key="compliance.needs", progress=_("Calculando los alimentos…"),
                            owner=self)

    def _loaded(self, loaded) -> None:
        result, prices = loaded
        self.result = result
        self.model.set_rows([NeedRow(line, prices.get(line.code)) for line in result.lines])
        self.children.setText(_("Para {children} · {rations} raciones").format(
            children=", ".join(_("{n} niños de {level}").format(n=n, level=_(LEVEL_LABELS.get(lv, lv)).lower())
                               for lv, n in result.children.items()), rations=f"{result.rations:,}"))
        if not result.lines:
            self.total.setText(_("El plan aún no tiene preparaciones: no necesita alimentos."))
        elif result.total_cost is not None:
            self.total.setText(_("Costo total: {total} · por ración: {ration}").format(
                total=format_soles(result.total_cost), ration=format_soles(result.cost_per_ration)
                if result.cost_per_ration is not None else "—"))
        else:
            priced = sum((line.cost for line in result.lines if line.cost is not None), Decimal(0))
            self.total.setText(_("Costo de los alimentos con precio: {total} (faltan precios; el total y el costo "
                                 "por ración se calculan cuando todos tengan precio)").format(total=format_soles(priced)))
        names = {line.code: line.name for line in result.lines}
        self.missing.setText(_("Sin precio: {foods}. Su precio se registra al anotar la compra de ese alimento en "
                               "«Tesorería».").format(foods=", ".join(names.get(c, c) for c in result.missing_prices)))
        self.missing.setVisible(bool(result.missing_prices))

    def _failed(self, error: Exception) -> None:
        self.model.set_rows([])
        self.total.setText(str(error))
        self.missing.hide()
