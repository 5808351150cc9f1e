"""Cumplimiento: how a menu plan fares against a nutrition standard — the counts, a chart of % of the
target per day, each day × meal × level with what is wrong, the menu rules, the period averages —
the food the plan needs and its cost, and the standard's targets (a committee copy can be edited)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qaliwarma import clock
from qaliwarma.domain.levels import LEVEL_LABELS, LEVELS, MEAL_LABELS, MEALS
from qaliwarma.domain.recipes import slugify
from qaliwarma.services.menu_views import compliance_lists as load_lists  # noqa: E402
from qaliwarma.services.menu_views import (
    load_check,  # noqa: E402
    pick_plan,
)

from ..i18n import _, ngettext
from ..models.base import RowsProxy
from ..models.menu_compliance import AverageRowsModel, EntryRowsModel, RuleRowsModel, average_rows
from ..theme import BASE_POINT_SIZE, set_role
from ..widgets import menu_files
from ..widgets.fit import fit_to_items
from ..widgets.menu_calendar import STATUS_STYLE
from ..widgets.menu_chart import PercentChart
from ..widgets.menu_dialogs import ErrorBanner
from ..widgets.menu_needs import NeedsPanel
from ..widgets.menu_standard_editor import StandardPanel
from ..widgets.table import DataTable


def print_report(db, committee, check, standard, names, level, path: Path) -> Path:
    from qaliwarma import printing

    return printing.compliance_report(db, committee, None, path,
                                      check=check, standard=standard, names=names, chart_level=level)


class _Count(QFrame):
    def __init__(self, status: str, parent=None) -> None:
        super().__init__(parent)
        bg, ink, _word = STATUS_STYLE[status]
        self.setStyleSheet(f"QFrame {{ background: {bg}; border-radius: 8px; }}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        self.number = QLabel("0")
        self.number.setStyleSheet(f"font-size: {BASE_POINT_SIZE + 10}pt; font-weight: bold; color: {ink};")
        self.label = QLabel({"ok": _("cumplen"), "low": _("bajos"), "high": _("altos"), "unknown": _("sin datos")}[status])
        self.label.setStyleSheet(f"color: {ink}; font-weight: bold;")
        layout.addStretch(1)
        layout.addWidget(self.number)
        layout.addWidget(self.label)
        layout.addStretch(1)


class CompliancePage(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = clock.today()
        self.plans: list = []
        self.plan = None
        self.check = None
        self.standard = None
        self.names: dict[str, str] = {}
        self._standard_chosen = False
        self._select_standard: str | None = None

        self.banner = ErrorBanner()
        self.plan_combo = QComboBox()
        self.plan_combo.setMinimumContentsLength(16)
        self.plan_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.standard_combo = QComboBox()
        self.standard_combo.setMinimumContentsLength(22)
        self.standard_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.print_button = QPushButton(self.style().standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton),
                                        _("Imprimir el informe (PDF)…"))
        set_role(self.print_button, "primary")
        fit_to_items(self.plan_combo, limit=420)
        fit_to_items(self.standard_combo)  # the standard's long name on a line of its own (1366×768)
        top = QGridLayout()
        for row, (text, combo) in enumerate(((_("Plan:"), self.plan_combo), (_("Estándar:"), self.standard_combo))):
            caption = QLabel(text)
            caption.setStyleSheet("font-weight: bold;")
            top.addWidget(caption, row, 0)
            top.addWidget(combo, row, 1)
        top.addWidget(self.print_button, 0, 3)
        top.setColumnStretch(2, 1)

        # --- summary and chart
        self.counts = {s: _Count(s) for s in ("ok", "low", "high", "unknown")}
        counts_row = QHBoxLayout()
        for box in self.counts.values():
            counts_row.addWidget(box)
        self.sentence = QLabel()
        self.sentence.setWordWrap(True)
        set_role(self.sentence, "summary")
        self.meal_combo = QComboBox()
        self.level_combo = QComboBox()
        for combo in (self.meal_combo, self.level_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        chart_row = QHBoxLayout()
        chart_title = QLabel(_("Porcentaje de la meta por día:"))
        chart_title.setStyleSheet("font-weight: bold;")
        chart_row.addWidget(chart_title)
        chart_row.addWidget(self.meal_combo)
        chart_row.addWidget(self.level_combo)
        chart_row.addStretch(1)
        self.chart = PercentChart()
        chart_note = QLabel(_("Cada barra es lo que da la comida frente a la meta mínima del estándar. La línea "
                              "punteada es el 100 %: una barra que no la alcanza no llega a la meta."))
        chart_note.setWordWrap(True)
        set_role(chart_note, "muted")
        summary = QWidget()
        summary_layout = QVBoxLayout(summary)
        summary_layout.addLayout(counts_row)
        summary_layout.addWidget(self.sentence)
        summary_layout.addLayout(chart_row)
        summary_layout.addWidget(self.chart, 1)
        summary_layout.addWidget(chart_note)

        # --- per day
        self.only_problems = QCheckBox(_("Mostrar solo las comidas que no cumplen"))
        self.entry_model = EntryRowsModel(self)
        self.entry_proxy = RowsProxy(self)
        self.entry_proxy.setSourceModel(self.entry_model)
        self.entry_table = DataTable(stretch_column=(1, 6), wrap=True)
        self.entry_table.setModel(self.entry_proxy)
        self._narrow_columns(self.entry_table, [EntryRowsModel.STATUS_COLUMN, *EntryRowsModel.PERCENT_COLUMNS.values()])
        per_day = QWidget()
        per_day_layout = QVBoxLayout(per_day)
        per_day_layout.addWidget(self.only_problems)
        per_day_layout.addWidget(self.entry_table, 1)

        # --- rules and averages
        self.rule_model = RuleRowsModel(self)
        self.rule_table = DataTable(stretch_column=(0, 2), wrap=True, fit=True)
        self.rule_table.setModel(self.rule_model)
        self.average_model = AverageRowsModel(self)
        self.average_table = DataTable(stretch_column=1, wrap=True, fit=True)
        self.average_table.setModel(self.average_model)
        rules = QWidget()
        rules_layout = QVBoxLayout(rules)
        for text, widget in ((_("Reglas del menú"), self.rule_table),
                             (_("Promedios del periodo frente a la meta (por niño)"), self.average_table)):
            heading = QLabel(text)
            set_role(heading, "heading")
            rules_layout.addWidget(heading)
            rules_layout.addWidget(widget)
        rules_layout.addStretch(1)

        self.needs = NeedsPanel(ctx)
        self.standard_panel = StandardPanel(ctx)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(summary, _("Resumen"))
        self.tabs.addTab(per_day, _("Detalle por día"))
        self.tabs.addTab(self._scroll(rules), _("Reglas y promedios"))
        self.tabs.addTab(self.needs, _("Alimentos y costo"))
        self.tabs.addTab(self._scroll(self.standard_panel), _("Metas del estándar"))

        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop)
        set_role(self.empty, "hint")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.tabs)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)

        self.plan_combo.currentIndexChanged.connect(self._plan_picked)
        self.standard_combo.currentIndexChanged.connect(self._standard_picked)
        self.meal_combo.currentIndexChanged.connect(lambda _i: self._show_chart())
        self.level_combo.currentIndexChanged.connect(lambda _i: self._show_chart())
        self.only_problems.toggled.connect(self._filter_entries)
        self.print_button.clicked.connect(self._ask_print)
        self.standard_panel.saved.connect(self._standard_saved)
        ctx.committee_changed.connect(lambda _info: self.refresh())
        ctx.data_changed.connect(self._data_changed)
        self._show_empty()

    @staticmethod
    def _narrow_columns(table: DataTable, columns: list[int]) -> None:
        """Columns as wide as their header's longest word (the header wraps), not as its whole text."""
        header = table.horizontalHeader()
        bold = header.font()
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        for column in columns:
            title = str(table.model().headerData(column, Qt.Orientation.Horizontal))
            width = max(metrics.horizontalAdvance(word) for word in title.split()) + 28
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, max(width, 96))

    @staticmethod
    def _scroll(widget: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setWidget(widget)
        return area

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        if self.ctx.committee is None:
            self.plans, self.plan, self.check = [], None, None
            self._show_empty()
            return
        db, committee = self.ctx.db, self.ctx.committee
        self.ctx.runner.run(lambda: load_lists(db, committee), self._lists_loaded, on_error=self.banner.show_error,
                            key="compliance.lists", owner=self)

    def _data_changed(self, kind: str) -> None:
        if kind in ("menu", "recipes", "committee") and self.isVisible():
            self.refresh()

    def _show_empty(self) -> None:
        self.stack.setCurrentIndex(0)
        self.print_button.setEnabled(False)
        if self.ctx.committee is None:
            self.empty.setText(_("Registre primero el comité en «Comité»: la revisión depende de los niveles y de "
                                 "los niños de la escuela."))
        else:
            self.empty.setText(_("Aún no hay planes de menú para revisar. Cree el plan del mes en «Menú» y vuelva "
                                 "aquí para ver si cumple el estándar y cuánto cuesta."))

    def _lists_loaded(self, lists) -> None:
        plans, standards = lists
        self.plans = plans
        wanted = pick_plan(plans, self.plan_combo.currentData(), self.today)
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        for info in plans:
            self.plan_combo.addItem(info.name, info.id)
        if wanted is not None:
            self.plan_combo.setCurrentIndex(self.plan_combo.findData(wanted.id))
        self.plan_combo.blockSignals(False)
        current = self._select_standard or self.standard_combo.currentData()
        self._select_standard = None
        self.standard_combo.blockSignals(True)
        self.standard_combo.clear()
        for s in standards:
            self.standard_combo.addItem(f"{s.name} ★" if s.committee_own else s.name, s.id)
            self.standard_combo.setItemData(self.standard_combo.count() - 1,
                                            _("Copia del comité") if s.committee_own else _("Estándar del programa"),
                                            Qt.ItemDataRole.ToolTipRole)
        if not self._standard_chosen and wanted is not None:
            current = wanted.standard_id or "qw-2014"
        index = self.standard_combo.findData(current)
        self.standard_combo.setCurrentIndex(index if index >= 0 else 0)
        self.standard_combo.blockSignals(False)
        if wanted is None:
            self._show_empty()
            return
        self.stack.setCurrentIndex(1)
        self.run_check()
        self.needs.show_plan(wanted.id)

    def _plan_picked(self, _index: int) -> None:
        plan = next((p for p in self.plans if p.id == self.plan_combo.currentData()), None)
        if plan is None:
            return
        if not self._standard_chosen:
            index = self.standard_combo.findData(plan.standard_id or "qw-2014")
            if index >= 0:
                self.standard_combo.blockSignals(True)
                self.standard_combo.setCurrentIndex(index)
                self.standard_combo.blockSignals(False)
        self.run_check()
        self.needs.show_plan(plan.id)

    def _standard_picked(self, _index: int) -> None:
        self._standard_chosen = True
        self.run_check()

    def _standard_saved(self, standard_id: str) -> None:
        """A copy was made or edited: choose it and check the plan again with it."""
        self._standard_chosen = True
        self._select_standard = standard_id
        self.ctx.changed("menu")  # the Menú page checks again too
        if not self.isVisible():
            self.refresh()

    def run_check(self) -> None:
        plan_id, standard_id = self.plan_combo.currentData(), self.standard_combo.currentData()
        if plan_id is None:
            return
        db, committee = self.ctx.db, self.ctx.committee
        self.ctx.runner.run(lambda: load_check(db, committee, plan_id, standard_id), self._checked,
                            on_error=self.banner.show_error, key="compliance.check",
                            progress=_("Revisando el plan con el estándar…"), owner=self)

    def _checked(self, loaded) -> None:
        self.plan, self.check, self.standard, self.names, self.unplanned = loaded
        self.banner.hide()
        self.print_button.setEnabled(True)
        counts = self.check.summary()
        for status, box in self.counts.items():
            box.number.setText(str(counts[status]))
        self.sentence.setText(self._sentence(counts))
        self._fill_chart_choices()
        self.entry_model.set_entries(self.check.entries)
        self._filter_entries(self.only_problems.isChecked())
        self.rule_model.set_rows(self.check.rules)
        self.average_model.set_rows(average_rows(self.check))
        if not (self.standard_panel.dirty and self.standard_panel.standard
                and self.standard_panel.standard.id == self.standard.id):
            self.standard_panel.show_standard(self.standard)

    def _sentence(self, counts: dict[str, int]) -> str:
        total = counts["entries"]
        failed_rules = sum(1 for r in self.check.rules if r.status != "ok")
        if total == 0:
            return _("El plan todavía no tiene comidas: elija las preparaciones en «Menú».")
        bad = total - counts["ok"]
        text = (_("Las {n} comidas del plan cumplen el estándar.").format(n=total) if bad == 0 else
                _("{ok} de {n} comidas cumplen. Vea en «Detalle por día» qué pasa con las otras {bad} y cámbielas "
                  "en «Menú».").format(ok=counts["ok"], n=total, bad=bad))
        missing = getattr(self, "unplanned", 0)
        if missing:  # the check judges the chosen preparations only
            text += " " + ngettext(_("{n} comida de los días de clase no tiene preparación y no se revisó: "
                                     "elíjala en «Menú»."),
                                   _("{n} comidas de los días de clase no tienen preparación y no se revisaron: "
                                     "elíjalas en «Menú»."), missing).format(n=missing)
        if failed_rules:
            text += " " + ngettext(_("{n} observación a las reglas del menú (vea «Reglas y promedios»)."),
                                   _("{n} observaciones a las reglas del menú (vea «Reglas y promedios»)."),
                                   failed_rules).format(n=failed_rules)
        return text

    # ------------------------------------------------------------------ chart and table
    def _fill_chart_choices(self) -> None:
        meals = [m for m in MEALS if any(e.meal == m for e in self.check.entries)]
        levels = [lv for lv in LEVELS if any(e.level == lv for e in self.check.entries)]
        for combo, keys, labels in ((self.meal_combo, meals, MEAL_LABELS), (self.level_combo, levels, LEVEL_LABELS)):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for key in keys:
                combo.addItem(_(labels[key]), key)
            index = combo.findData(current)
            if index < 0 and combo is self.level_combo and self.ctx.committee is not None and keys:
                index = keys.index(max(keys, key=self.ctx.committee.enrolment))
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
        self._show_chart()

    def _show_chart(self) -> None:
        meal, level = self.meal_combo.currentData(), self.level_combo.currentData()
        if self.check is None or meal is None or level is None:
            self.chart.set_empty(_("El plan todavía no tiene comidas."))
            return
        self.chart.show_check(self.check, meal, level)

    def _filter_entries(self, only: bool) -> None:
        self.entry_proxy.set_filter((lambda e: e.status != "ok") if only else None)

    # ------------------------------------------------------------------ report
    def _ask_print(self) -> None:
        if self.check is None:
            return
        path = self.ask_save_path(_("Guardar el informe de cumplimiento"),
                                      f"cumplimiento-{slugify(self.plan.info.name)}.pdf", _("Documento PDF (*.pdf)"))
        if path:
            self.print_report(Path(path))

    def print_report(self, path: Path) -> None:
        db, committee, check, standard, names = self.ctx.db, self.ctx.committee, self.check, self.standard, self.names
        level = self.level_combo.currentData()

        def done(out: Path) -> None:
            self.banner.show_note(_("Informe guardado en {path}. Se abre para imprimirlo.").format(path=out))
            self.open_file(out)

        self.ctx.runner.run(lambda: print_report(db, committee, check, standard, names, level, path), done,
                            on_error=self.banner.show_error, progress=_("Preparando el informe…"), owner=self)

    def ask_save_path(self, title: str, suggested: str, filters: str) -> str | None:
        return menu_files.ask_save_path(self, title, suggested, filters)

    def open_file(self, path: Path) -> None:
        menu_files.open_file(path)
