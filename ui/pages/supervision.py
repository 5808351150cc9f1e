"""Supervisión: a UGEL's or the programme's supervisor imports the committees' monthly packages (each
verified first) and sees, per school and month, which schools need a visit and why.

Works on any database, with or without a committee of its own (a supervisor's database has none)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QStandardPaths, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.domain.foods import fold
from qaliwarma.services.supervision import ImportResult, SummaryRow

from ..i18n import _
from ..models.base import RowsProxy
from ..models.sup_summary import SummaryData, SummaryModel, table_month
from ..theme import set_role
from ..widgets.banner import Banner
from ..widgets.search_field import SearchField
from ..widgets.sup_import_results import ImportResults
from ..widgets.sup_school_detail import SchoolDetail
from ..widgets.sup_table import HEADER_STYLE, fit_columns
from ..widgets.table import DataTable


def _folder() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())


def import_files(db, paths: list[Path]) -> list[ImportResult]:
    """On the worker: each package verified and imported on its own (``supervision.import_bundle_files``)."""
    from qaliwarma.services import supervision

    return supervision.import_bundle_files(db, paths)


def write_xlsx(rows: list[SummaryRow], out: Path) -> Path:
    """On the worker: the rows shown, as a spreadsheet."""
    from qaliwarma.services import supervision

    return supervision.write_summary_xlsx(rows, out)


class SupervisionPage(QWidget):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data = SummaryData([])
        self._stale = True
        self._busy = False
        self._last_file: Path | None = None
        self._keep: tuple[str, str] | None = None

        title = QLabel(_("Supervisión"))
        set_role(title, "title")
        style = self.style()
        self.import_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton),
                                         _("Importar paquetes…"))
        set_role(self.import_button, "primary")
        self.import_button.clicked.connect(self.choose_files)
        self.excel_button = QPushButton(style.standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton),
                                        _("Exportar a Excel"))
        self.excel_button.clicked.connect(self.choose_xlsx)
        top = QHBoxLayout()
        top.addWidget(title, 1)
        top.addWidget(self.import_button)
        top.addWidget(self.excel_button)

        self.banner = Banner()
        self.banner.action_clicked.connect(self._open_last_file)
        self.results = ImportResults()

        # --- filters
        self.month_combo = QComboBox()
        self.ugel_combo = QComboBox()
        for combo in (self.month_combo, self.ugel_combo):
            combo.setMinimumContentsLength(14)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.flagged_only = QCheckBox(_("Solo con alertas"))
        self.flagged_only.toggled.connect(lambda _c: self.apply_filter())
        self.search = SearchField(_("Buscar escuela, código modular o UGEL…"), delay_ms=200)
        self.search.settled.connect(lambda _t: self.apply_filter())
        filters = QHBoxLayout()
        filters.addWidget(QLabel(_("Mes:")))
        filters.addWidget(self.month_combo)
        filters.addSpacing(8)
        filters.addWidget(QLabel(_("UGEL:")))
        filters.addWidget(self.ugel_combo)
        filters.addSpacing(8)
        filters.addWidget(self.flagged_only)
        filters.addSpacing(8)
        filters.addWidget(self.search, 1)

        # --- the summary and the chosen school
        self.model = SummaryModel(self)
        self.proxy = RowsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = DataTable(stretch_column=SummaryModel.SCHOOL, sortable=True, wrap=True)
        self.table.setModel(self.proxy)
        self.table.horizontalHeader().setStyleSheet(HEADER_STYLE)
        self.table.sortByColumn(SummaryModel.ALERTS, Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._show_selected())
        self.count_label = QLabel()
        self.count_label.setWordWrap(True)
        set_role(self.count_label, "muted")
        rows_view = QWidget()
        rows_layout = QVBoxLayout(rows_view)
        rows_layout.setContentsMargins(0, 0, 0, 0)
        rows_layout.addLayout(filters)
        rows_layout.addWidget(self.count_label)
        rows_layout.addWidget(self.table, 1)
        self.empty = QLabel(_("Todavía no hay paquetes importados en esta base de datos.\n\nPulse «Importar "
                              "paquetes…» y elija los archivos .zip que le enviaron los comités (puede elegir "
                              "muchos a la vez). Cada paquete se verifica antes de cargarlo: si alguien lo cambió "
                              "después de exportarlo, se rechaza y se dice por qué."))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        set_role(self.empty, "heading")
        self.stack = QStackedWidget()  # no packages yet: what to do; else the table
        self.stack.addWidget(self.empty)
        self.stack.addWidget(rows_view)

        self.detail = SchoolDetail()
        self.detail_scroll = QScrollArea()
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QFrame.Shape.StyledPanel)
        self.detail_scroll.setWidget(self.detail)
        # below the table: the chosen school, or the outcome of the last import until it is put away
        self.bottom = QStackedWidget()
        self.bottom.addWidget(self.detail_scroll)
        self.bottom.addWidget(self.results)
        self.results.hide_button.clicked.connect(self.show_detail)
        self.table.clicked.connect(lambda _index: self.show_detail())
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.bottom)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([340, 230])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)  # the main window already frames the page
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)

        self._fit = QTimer(self)
        self._fit.setSingleShot(True)
        self._fit.setInterval(0)
        self._fit.timeout.connect(lambda: fit_columns(self.table, SummaryModel.SCHOOL, main_min=200))
        self.table.horizontalHeader().sortIndicatorChanged.connect(lambda *_args: self._fit.start())
        ctx.data_changed.connect(self._data_changed)
        self._update_buttons()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        self._fit.start()

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        """Read the summary again (the main window calls this when the page is shown)."""
        self._stale = False
        db = self.ctx.db
        self.ctx.runner.run(lambda: _load(db), self._show, on_error=self._failed, key="supervision.summary",
                            owner=self)

    def _data_changed(self, kind: str) -> None:
        if kind == "supervision":
            self._stale = True
            if self.isVisible():
                self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _show(self, data: SummaryData) -> None:
        self._keep = self._keep or self._selected_key()
        self.data = data
        self.model.set_rows(data.rows)
        self._fill_combo(self.month_combo, _("Todos los meses"),
                         [(m, table_month(m)) for m in sorted({r.month for r in data.rows}, reverse=True)])
        self._fill_combo(self.ugel_combo, _("Todas las UGEL"),
                         [(u, u) for u in sorted({r.ugel for r in data.rows}, key=fold)])
        self.stack.setCurrentIndex(1 if data.rows else 0)
        self.bottom.setVisible(bool(data.rows) or self.bottom.currentWidget() is self.results)
        self.apply_filter()

    @staticmethod
    def _fill_combo(combo: QComboBox, everything: str, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for value, text in items:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(0, combo.findData(current)) if current is not None else 0)
        combo.blockSignals(False)

    # ------------------------------------------------------------------ filter and selection
    def apply_filter(self) -> None:
        month, ugel = self.month_combo.currentData(), self.ugel_combo.currentData()
        flagged, needle = self.flagged_only.isChecked(), fold(self.search.text().strip())

        def accept(r: SummaryRow) -> bool:
            return ((month is None or r.month == month) and (ugel is None or r.ugel == ugel)
                    and (not flagged or bool(r.flags))
                    and (not needle or needle in fold(r.school_name) or needle in r.codigo_modular
                         or needle in fold(r.ugel)))

        keep = self._keep or self._selected_key()
        self._keep = None
        self.proxy.set_filter(accept)
        # a column that would say the same on every row is left out: room for the school's name
        self.table.setColumnHidden(SummaryModel.MONTH, month is not None)
        self._fit.start()
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        flagged_shown = sum(1 for r in self.shown_rows() if r.flags)
        if total and not shown:
            self.count_label.setText(_("Ninguna fila con estos filtros. Elija «Todos los meses» o «Todas las UGEL», "
                                       "quite «Solo con alertas» o borre la búsqueda."))
        else:
            self.count_label.setText(_("{shown} de {total} filas (escuela y mes), {flagged} con alertas. Primero van "
                                       "las que necesitan una visita: elija una fila para ver por qué.").format(
                shown=f"{shown:,}", total=f"{total:,}", flagged=f"{flagged_shown:,}"))
        if shown:
            if not (keep and self.select(*keep)):
                self.table.selectRow(0)
            self._show_selected()
        else:
            self.detail.clear()
        self._update_buttons()

    def shown_rows(self) -> list[SummaryRow]:
        """The rows as the table shows them: filtered and in its order."""
        return [self.model.row_at(self.proxy.mapToSource(self.proxy.index(n, 0)).row())
                for n in range(self.proxy.rowCount())]

    def selected(self) -> SummaryRow | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def _selected_key(self) -> tuple[str, str] | None:
        row = self.selected()
        return (row.codigo_modular, row.month) if row else None

    def select(self, codigo_modular: str, month: str) -> bool:
        for n in range(self.proxy.rowCount()):
            index = self.proxy.index(n, 0)
            row = self.model.row_at(self.proxy.mapToSource(index).row())
            if (row.codigo_modular, row.month) == (codigo_modular, month):
                self.table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                self.table.scrollTo(index)
                return True
        return False

    def show_detail(self) -> None:
        """Put the import's outcome away and show the chosen school."""
        self.bottom.setCurrentWidget(self.detail_scroll)
        self.bottom.setVisible(self.model.rowCount() > 0)

    def _show_selected(self) -> None:
        row = self.selected()
        if row is None:
            self.detail.clear()
        else:
            self.detail.show_row(row, self.data)

    # ------------------------------------------------------------------ import
    def choose_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(self, _("Elegir los paquetes de los comités"), _folder(),
                                                      _("Paquetes mensuales (*.zip);;Todos los archivos (*)"))
        if paths:
            self.import_paths([Path(p) for p in paths])

    def import_paths(self, paths: list[Path]) -> None:
        db = self.ctx.db
        self._set_busy(True)
        self.banner.hide()
        text = (_("Verificando e importando {n} paquetes…").format(n=len(paths)) if len(paths) != 1
                else _("Verificando e importando el paquete…"))
        self.ctx.runner.run(lambda: import_files(db, paths), self._imported, on_error=self._failed, progress=text,
                            owner=self)

    def _imported(self, results: list[ImportResult]) -> None:
        self._set_busy(False)
        self.results.show_results(results)
        self.bottom.setCurrentWidget(self.results)
        self.bottom.show()
        done = [r for r in results if r.status in ("importado", "reemplazado")]
        if done:
            last = done[-1]
            self._keep = (last.codigo_modular, last.month)
        self.ctx.changed("supervision")  # refreshes this page too
        if self._stale:
            self.refresh()

    # ------------------------------------------------------------------ Excel
    def choose_xlsx(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Guardar el resumen en Excel"),
                                                    str(Path(_folder()) / "resumen-supervision.xlsx"),
                                                    _("Hoja de cálculo de Excel (*.xlsx)"))
        if path:
            out = Path(path)
            self.export_xlsx(out if out.suffix.lower() == ".xlsx" else out.with_name(out.name + ".xlsx"))

    def export_xlsx(self, out: Path) -> None:
        rows = self.shown_rows()
        if not rows:
            return
        self._set_busy(True)
        self.ctx.runner.run(lambda: write_xlsx(rows, out), lambda saved: self._saved(saved, len(rows)),
                            on_error=self._failed, progress=_("Guardando el resumen…"), owner=self)

    def _saved(self, out: Path, n: int) -> None:
        self._set_busy(False)
        self._last_file = out
        self.banner.show_message(_("Resumen guardado en {file}: {n} filas, las que muestra la tabla con los filtros "
                                   "elegidos, y una hoja con cada alerta.").format(file=out, n=f"{n:,}"),
                                 action=_("Abrir en Excel"))

    def _open_last_file(self) -> None:
        if self._last_file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._last_file)))

    # ------------------------------------------------------------------ state
    def _failed(self, error: Exception) -> None:
        self._set_busy(False)
        self.banner.show_message(str(error), error=True)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.import_button.setEnabled(not self._busy)
        self.excel_button.setEnabled(not self._busy and self.proxy.rowCount() > 0)


def _load(db) -> SummaryData:
    from ..models.sup_summary import load_summary

    return load_summary(db)
