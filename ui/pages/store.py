"""Almacén: stock by product and its lots coloured by expiry, the kardex, adjustments with a reason,
the physical count, suspensions and the search of a lot the programme warns about (recall)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.domain.stock import LotInfo
from qaliwarma.services import stock
from qaliwarma.services.store_views import ProductStock, load_kardex, load_store

from ..i18n import _, ngettext
from ..models.base import RowsProxy
from ..models.stock_format import fmt_kg
from ..models.stock_store import (
    EXPIRED_BG,
    SOON_BG,
    CountModel,
    KardexModel,
    LotModel,
    ProductStockModel,
)
from ..theme import set_role
from ..widgets import stock_common as common
from ..widgets.lazy_page import LazyPage
from ..widgets.stock_pdf import make_pdf, safe_name
from ..widgets.stock_recall import RecallPanel
from ..widgets.table import DataTable

DEFAULT_DAYS = 30


def _heading(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    set_role(label, "heading")
    return label


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    set_role(label, "hint")
    return label


class StorePage(LazyPage):
    TITLE = "Almacén"

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._dirty = True
        self._names: dict[str, str] = {}
        self._pending_code: str | None = None
        self.start_frame(_("Almacén"))
        self.tabs.addTab(self._build_stock(), _("Lo que hay en el almacén"))
        self.tabs.addTab(self._build_kardex(), _("Kárdex"))
        self.tabs.addTab(self._build_count(), _("Conteo físico"))
        self.recall = RecallPanel(ctx)
        self.recall.suspend_requested.connect(self.open_suspend)
        self.tabs.addTab(self.recall, _("Buscar un lote (alerta)"))
        self.finish_frame(ctx, ("stock", "service", "committee"))
        ctx.lot_wanted.connect(self.show_lot)
        self.tabs.currentChanged.connect(lambda _index: self.banner.dismiss_transient())  # about the tab left

    # ------------------------------------------------------------------ building
    def _build_stock(self) -> QWidget:
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        set_role(self.summary, "summary")
        self.days_spin = QSpinBox()
        self.days_spin.setRange(1, 365)
        self.days_spin.setValue(DEFAULT_DAYS)
        self.days_spin.setSuffix(_(" días"))
        self.days_spin.setToolTip(_("Con cuántos días de anticipación se avisa que un lote está por vencer."))
        self.days_spin.valueChanged.connect(lambda _v: self._apply_days())
        self.expiry_button = QPushButton(_("Imprimir vencidos y por vencer"))
        self.expiry_button.clicked.connect(self.print_expiry)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(QLabel(_("Avisar antes de vencer:")))
        top.addWidget(self.days_spin)
        top.addWidget(self.expiry_button)
        legend = QLabel(_("<span style='background:{red}'>&nbsp;rojo&nbsp;</span> vencido: no se usa · "
                          "<span style='background:{amber}'>&nbsp;ámbar&nbsp;</span> vence pronto: úselo primero · "
                          "SUSPENDIDO: el programa lo bloqueó").format(red=EXPIRED_BG, amber=SOON_BG))
        legend.setWordWrap(True)
        set_role(legend, "muted")

        self.product_model = ProductStockModel(self)
        self.product_proxy = RowsProxy(self)
        self.product_proxy.setSourceModel(self.product_model)
        self.products = DataTable(stretch_column=0)
        self.products.setModel(self.product_proxy)
        self.products.selectionModel().currentRowChanged.connect(lambda *_a: self._product_changed())

        self.lots_heading = _heading()
        self.lot_model = LotModel(self)
        self.lots = DataTable(stretch_column=4, fit=True)
        self.lots.setModel(self.lot_model)
        self.lots.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.adjust_button = QPushButton(_("Ajustar (pérdida, deterioro, devolución…)"))
        self.adjust_button.clicked.connect(self.open_adjust)
        self.suspend_button = QPushButton(_("Suspender…"))
        self.suspend_button.clicked.connect(self.open_suspend)
        self.kardex_link = QPushButton(_("Ver su kárdex"))
        self.kardex_link.clicked.connect(lambda: self.tabs.setCurrentIndex(1))
        lot_buttons = QHBoxLayout()
        lot_buttons.addWidget(self.adjust_button)
        lot_buttons.addWidget(self.suspend_button)
        lot_buttons.addStretch(1)
        lot_buttons.addWidget(self.kardex_link)
        lots_panel = QWidget()
        lots_layout = QVBoxLayout(lots_panel)
        lots_layout.setContentsMargins(0, 6, 0, 0)
        lots_layout.addWidget(self.lots_heading)
        lots_layout.addWidget(self.lots)
        lots_layout.addLayout(lot_buttons)
        lots_layout.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.products)
        splitter.addWidget(lots_panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(top)
        layout.addWidget(legend)
        layout.addWidget(splitter, 1)
        return page

    def _build_kardex(self) -> QWidget:
        self.kardex_product = QComboBox()
        self.kardex_product.setMinimumContentsLength(30)
        self.kardex_product.activated.connect(self._kardex_product_picked)
        self.kardex_heading = QLabel()
        set_role(self.kardex_heading, "muted")
        self.kardex_model = KardexModel(self)
        self.kardex = DataTable(stretch_column=1)
        self.kardex.setModel(self.kardex_model)
        self.kardex_button = QPushButton(_("Imprimir kárdex"))
        set_role(self.kardex_button, "primary")
        self.kardex_button.clicked.connect(self.print_kardex)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Producto:")))
        top.addWidget(self.kardex_product)
        top.addWidget(self.kardex_heading, 1)
        top.addWidget(self.kardex_button)
        hint = QLabel(_("Cada entrada (actas, compras) y salida (a la cocina, ajustes) del producto, con el saldo "
                        "que queda después de cada una."))
        hint.setWordWrap(True)
        set_role(hint, "muted")
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(top)
        layout.addWidget(hint)
        layout.addWidget(self.kardex, 1)
        return page

    def _build_count(self) -> QWidget:
        hint = _hint(_("Cuente lo que hay en el almacén y escriba los kilos de cada lote en la columna «Contado». "
                       "Deje en blanco lo que no contó. Al registrar, cada diferencia queda anotada como "
                       "«Diferencia de inventario» en el kárdex."))
        self.count_model = CountModel(self)
        self.count_table = DataTable(stretch_column=0)
        self.count_table.setModel(self.count_model)
        self.count_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.count_table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.count_result = QLabel()
        self.count_result.setWordWrap(True)
        self.count_button = QPushButton(_("Registrar conteo"))
        set_role(self.count_button, "primary")
        self.count_button.clicked.connect(self.record_count)
        # the day the store was counted: November's count, typed on 2 December, is November's (it was dated
        # December, and Cierre kept saying «Falta el conteo físico» of November)
        self.count_day = common.DayEdit()
        self.count_day.setToolTip(_("El día en que se contó el almacén (por ejemplo, el último día del mes)"))
        bar = QHBoxLayout()
        bar.addWidget(self.count_result, 1)
        bar.addWidget(QLabel(_("Contado el")))
        bar.addWidget(self.count_day)
        bar.addWidget(self.count_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(hint)
        layout.addWidget(self.count_table, 1)
        layout.addLayout(bar)
        return page

    # ------------------------------------------------------------------ loading
    def refresh(self) -> None:
        info = self.begin_refresh()
        if info is None:
            return
        db, cid = self.ctx.db, info.id
        self._pending_code = self._pending_code or self.selected_code()
        self.ctx.runner.run(lambda: load_store(db, cid), self._store_loaded, on_error=self._error,
                            key="store.products", owner=self)

    def _store_loaded(self, products: list[ProductStock]) -> None:
        self._names = {p.code: p.name for p in products}
        self._apply_days()
        self.product_model.set_rows(products)
        held = [p for p in products if p.total_grams > 0]
        today, days = common.today(), self.days_spin.value()
        lots = [lot for p in held for lot in p.lots]
        expired = sum(1 for lot in lots if lot.expired(today))
        soon = sum(1 for lot in lots if not lot.expired(today) and lot.expiry and (lot.expiry - today).days <= days)
        if not products:
            self.summary.setText(_("El almacén está vacío. Los productos entran con «Recepción»."))
        else:
            text = (ngettext(_("{n} producto en el almacén"), _("{n} productos en el almacén"), len(held)) + ", "
                    + ngettext(_("{lots} lote"), _("{lots} lotes"), len(lots))).format(n=len(held), lots=len(lots))
            if expired:
                text += " · " + _("{n} vencidos").format(n=expired)
            if soon:
                text += " · " + _("{n} vencen en {days} días o menos").format(n=soon, days=days)
            self.summary.setText(text)
        count_lots = sorted(lots, key=lambda lot: (self._names.get(lot.food_code, ""), lot.expiry or lot.id))
        self.count_model.set_lots(count_lots, self._names)
        self.count_button.setEnabled(bool(count_lots))
        self.kardex_product.clear()
        for p in products:
            self.kardex_product.addItem(f"{p.name} ({p.code})", p.code)
        code, self._pending_code = self._pending_code, None
        shown = getattr(self, "_product_shown", 0)
        if not (code and self.select_product(code)) and products:
            self.products.selectRow(0)
        if getattr(self, "_product_shown", 0) == shown:  # the selection did not move: show the product again
            self._product_changed()

    def show_lot(self, code: str, lot_id: int) -> None:
        """Select the product and the lot ``lot_id`` (now, or once the store is loaded)."""
        self.tabs.setCurrentIndex(0)
        self._pending_lot = lot_id
        if not self.select_product(code):
            self._pending_code = code

    def _apply_days(self) -> None:
        today, days = common.today(), self.days_spin.value()
        for model in (self.product_model, self.lot_model, self.recall.lot_model):
            model.set_context(today, days)

    def _error(self, error: Exception) -> None:
        self.banner.show_message(common.error_text(error), error=True)

    # ------------------------------------------------------------------ selection
    def selected_product(self) -> ProductStock | None:
        index = self.products.selectionModel().currentIndex()
        return self.product_model.row_at(self.product_proxy.mapToSource(index).row()) if index.isValid() else None

    def selected_code(self) -> str | None:
        product = self.selected_product()
        return product.code if product else None

    def select_product(self, code: str) -> bool:
        for row in range(self.product_proxy.rowCount()):
            index = self.product_proxy.index(row, 0)
            if self.product_model.row_at(self.product_proxy.mapToSource(index).row()).code == code:
                self.products.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                return True
        return False

    def selected_lot(self) -> LotInfo | None:
        index = self.lots.selectionModel().currentIndex()
        return self.lot_model.row_at(index.row()) if index.isValid() else None

    def _product_changed(self) -> None:
        self._product_shown = getattr(self, "_product_shown", 0) + 1  # each time (its kardex is read once)
        product = self.selected_product()
        self.lot_model.set_rows(list(product.lots) if product else [])
        if product is None:
            self.lots_heading.setText(_("Elija un producto de la lista"))
            self.kardex_model.set_rows([])
        else:
            self.lots_heading.setText(ngettext(_("{name}: {kg} en {n} lote"), _("{name}: {kg} en {n} lotes"),
                                               len(product.lots)).format(
                name=product.name, kg=fmt_kg(product.total_grams), n=len(product.lots)) if product.lots else
                _("{name}: no queda nada en el almacén").format(name=product.name))
            if product.lots:
                wanted = getattr(self, "_pending_lot", None)
                rows = [n for n, lot in enumerate(product.lots) if lot.id == wanted]
                self.lots.selectRow(rows[0] if rows else 0)
                if rows:
                    self._pending_lot = None
            self.kardex_product.setCurrentIndex(self.kardex_product.findData(product.code))
            db, cid, code = self.ctx.db, self.ctx.committee.id, product.code
            self.ctx.runner.run(lambda: load_kardex(db, cid, code), self._kardex_loaded, key="store.kardex",
                                owner=self)
        self._update_buttons()

    def _kardex_product_picked(self, _index: int) -> None:
        code = self.kardex_product.currentData()
        if code and code != self.selected_code():
            self.select_product(code)

    def _kardex_loaded(self, rows) -> None:
        self.kardex_model.set_rows(rows)
        if rows:
            self.kardex.scrollToBottom()
            self.kardex_heading.setText(_("{n} movimientos; saldo {kg}").format(n=len(rows),
                                                                                kg=fmt_kg(rows[-1].balance)))
        else:
            self.kardex_heading.setText(_("Sin movimientos"))

    def _update_buttons(self) -> None:
        has_lot = self.selected_lot() is not None
        self.adjust_button.setEnabled(has_lot)
        self.suspend_button.setEnabled(has_lot)
        self.kardex_button.setEnabled(self.selected_product() is not None)

    # ------------------------------------------------------------------ adjust and suspend
    def open_adjust(self) -> None:
        from ..dialogs.stock_adjust import AdjustDialog

        lot = self.selected_lot()
        if lot is None:
            return
        reason = "vencido" if lot.expired(common.today()) else "perdida"
        dialog = AdjustDialog(self, lot, self._names.get(lot.food_code, lot.product_name), reason=reason)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            chosen = dialog.adjustment()
            self.adjust_lot(lot.id, chosen.grams, chosen.reason, chosen.note)

    def adjust_lot(self, lot_id: int, grams: Decimal, reason: str, note: str = "") -> None:
        db, cid, user, day = self.ctx.db, self.ctx.committee.id, self.ctx.user, common.today()
        self.ctx.write(lambda: stock.adjust(db, cid, lot_id, grams, reason, day=day, user=user, note=note),
                            lambda _r: self._written(_("✓ Ajuste registrado: {kg} {how}.").format(
                                kg=fmt_kg(abs(grams)), how=_("salieron") if grams < 0 else _("entraron"))),
                            on_error=self._error, progress=_("Registrando el ajuste…"), owner=self)

    def open_suspend(self, lot: LotInfo | None = None) -> None:
        from ..dialogs.stock_suspend import SuspendDialog

        lot = lot or self.selected_lot()
        if lot is None:
            return
        dialog = SuspendDialog(self, lot=lot.lot, brand=lot.brand, code=lot.food_code,
                               name=self._names.get(lot.food_code, lot.product_name))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            chosen = dialog.suspension()
            self.suspend(chosen.reason, lot=chosen.lot, brand=chosen.brand, food_code=chosen.food_code)

    def suspend(self, reason: str, *, lot: str | None = None, brand: str | None = None,
                food_code: str | None = None) -> None:
        db, cid, user, day = self.ctx.db, self.ctx.committee.id, self.ctx.user, common.today()

        def done(found: list[LotInfo]) -> None:
            self._written(ngettext(_("✓ Suspendido: {n} lote bloqueado; no saldrá a la cocina."),
                                   _("✓ Suspendido: {n} lotes bloqueados; no saldrán a la cocina."),
                                   len(found)).format(n=len(found))
                          if found else _("Quedó anotada la suspensión; ningún lote del almacén coincide."))
            self.recall.search_again()

        self.ctx.write(lambda: stock.suspend(db, cid, user=user, day=day, reason=reason, lot=lot, brand=brand,
                                             food_code=food_code),
                            done, on_error=self._error, progress=_("Registrando la suspensión…"), owner=self)

    def _written(self, text: str) -> None:
        self.banner.show_message(text, transient=True)
        self.refresh()

    # ------------------------------------------------------------------ count
    def record_count(self) -> None:
        counted = self.count_model.counted()
        if not counted:
            self.count_result.setText(_("Escriba en la columna «Contado» los kilos de al menos un lote."))
            set_role(self.count_result, "error")
            return
        if self.count_day.warning():  # a date the field could not keep as typed: not counted on another day
            self.count_result.setText(self.count_day.warning())
            set_role(self.count_result, "error")
            return
        lines = [stock.CountLine(r.lot.id, r.counted) for r in counted]
        db, cid, user, day = self.ctx.db, self.ctx.committee.id, self.ctx.user, self.count_day.day()
        self.ctx.write(lambda: stock.physical_count(db, cid, lines, day=day, user=user), self._counted,
                            on_error=self._count_failed, progress=_("Registrando el conteo…"), owner=self)

    def _counted(self, differences) -> None:
        if not differences:
            text = _("✓ Conteo registrado: todo coincide con el registro.")
        else:
            parts = [_("{name} lote {lot}: {diff}").format(
                name=self._names.get(lot.food_code, lot.product_name), lot=lot.lot,
                diff=("+" if diff > 0 else "−") + fmt_kg(abs(diff))) for lot, diff in differences]
            text = _("✓ Conteo registrado. Diferencias anotadas en el kárdex: {list}.").format(list="; ".join(parts))
        self.count_result.setText(text)
        set_role(self.count_result, "ok")
        self.count_model.set_lots([], {}, keep=False)  # the count is done: the next one starts blank
        self.refresh()

    def _count_failed(self, error: Exception) -> None:
        self.count_result.setText(common.error_text(error))
        set_role(self.count_result, "error")

    # ------------------------------------------------------------------ printing
    def print_kardex(self) -> None:
        product, info, db = self.selected_product(), self.ctx.committee, self.ctx.db
        if product is None or info is None:
            return
        today, code = common.today(), product.code

        def build(out):
            from qaliwarma.reports.kardex import build_kardex

            return build_kardex(db, info, code, out, today=today)

        make_pdf(self.ctx, self, f"kardex-{safe_name(code)}-{today:%Y-%m-%d}.pdf", build, notice=self.pdf_notice)

    def print_expiry(self) -> None:
        info, db, today, days = self.ctx.committee, self.ctx.db, common.today(), self.days_spin.value()
        if info is None:
            return

        def build(out):
            from qaliwarma.reports.expiry import build_expiry_report

            return build_expiry_report(db, info, today, out, days=days)

        make_pdf(self.ctx, self, f"por-vencer-{today:%Y-%m-%d}.pdf", build, notice=self.pdf_notice)
