"""Inicio: what needs attention today, in plain sentences, each with a button to go where it is done."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.domain.attention import DAYS_AHEAD, Attention

from ..i18n import _
from ..models.stock_format import long_date
from ..theme import set_role
from ..widgets import stock_common as common

AREA_BUTTONS = {"almacen": "Ir a Almacén", "raciones": "Ir a Raciones", "recepcion": "Ir a Recepción",
                "incidencias": "Ir a Incidencias", "menu": "Ir al Menú", "cierre": "Ir a Cierre de mes"}
MAX_DETAILS = 6


class AttentionCard(QFrame):
    go = Signal(str)

    def __init__(self, item: Attention, parent=None) -> None:
        super().__init__(parent)
        set_role(self, "card")
        self.item = item
        icon = QLabel()
        pixmap = QStyle.StandardPixmap.SP_MessageBoxCritical if item.severity == "critical" else \
            QStyle.StandardPixmap.SP_MessageBoxWarning
        size = self.fontMetrics().height() * 2
        icon.setPixmap(self.style().standardIcon(pixmap).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = QLabel(item.text)
        self.text.setWordWrap(True)
        self.text.setStyleSheet("font-weight: bold")
        shown = item.details[:MAX_DETAILS]
        lines = [f"• {d}" for d in shown]
        if len(item.details) > MAX_DETAILS:
            lines.append(_("… y {n} más.").format(n=len(item.details) - MAX_DETAILS))
        self.details = QLabel("\n".join(lines))
        self.details.setWordWrap(True)
        self.details.setVisible(bool(lines))
        self.button = QPushButton(_(AREA_BUTTONS.get(item.area, "Ir")))
        set_role(self.button, "primary")
        self.button.clicked.connect(lambda: self.go.emit(item.area))
        words = QVBoxLayout()
        words.addWidget(self.text)
        words.addWidget(self.details)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(14)
        layout.addWidget(icon)
        layout.addLayout(words, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)


class StepsPath(QFrame):
    """The month's steps in order (menú → recepción → raciones → tesorería → cierre), each ticked when the
    records show it done, with a button to where it is done. Hidden once the whole month is done."""

    go = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        set_role(self, "card")
        self.heading = QLabel(_("El mes, paso a paso"))
        set_role(self.heading, "heading")
        self.rows: dict[str, tuple[QLabel, QLabel, QPushButton]] = {}
        self._grid = QGridLayout()
        self._grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.addWidget(self.heading)
        layout.addLayout(self._grid)

    def set_steps(self, steps) -> None:
        for n, step in enumerate(steps):
            if step.area not in self.rows:
                mark, words, button = QLabel(), QLabel(), QPushButton(_("Ir"))
                words.setWordWrap(True)
                button.clicked.connect(lambda _c=False, area=step.area: self.go.emit(area))
                self._grid.addWidget(mark, n, 0, Qt.AlignmentFlag.AlignTop)
                self._grid.addWidget(words, n, 1)
                self._grid.addWidget(button, n, 2, Qt.AlignmentFlag.AlignVCenter)
                self.rows[step.area] = (mark, words, button)
            mark, words, button = self.rows[step.area]
            mark.setText("✓" if step.done else f"{n + 1}.")
            mark.setStyleSheet(f"font-weight: bold; color: {'#1b6e20' if step.done else '#1f5f99'};")
            done = _("hecho")  # outside the f-string: the catalogue's extractor does not look inside one
            words.setText(f"<b>{_(step.title)}</b>" + (f" — {done}" if step.done else f"<br>{_(step.hint)}"))
            button.setVisible(not step.done)
        self.setVisible(not all(step.done for step in steps))

    def done(self) -> list[str]:
        """The areas whose step is ticked (tests)."""
        return [area for area, (mark, _w, _b) in self.rows.items() if mark.text() == "✓"]


class HomePage(QWidget):
    TITLE = "Inicio"
    go_to = Signal(str)  # "almacen", "raciones", "recepcion", "incidencias", "menu"
    #: the page shows its data: what needs attention and the month's steps are back (or their error is shown)
    filled = Signal()

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._dirty = True
        self._awaiting: set[str] = set()  # the queries of the last refresh not back yet
        self.items: list[Attention] = []
        self.cards: list[AttentionCard] = []
        self.title = QLabel(_("Inicio"))
        set_role(self.title, "title")
        self.today_label = QLabel()
        set_role(self.today_label, "heading")
        self.heading = QLabel(_("Lo que necesita atención hoy"))
        set_role(self.heading, "heading")
        self.all_good = QLabel()
        self.all_good.setWordWrap(True)
        set_role(self.all_good, "ok")
        self.all_good.hide()
        self.error = QLabel()
        self.error.setWordWrap(True)
        set_role(self.error, "error")
        self.error.hide()
        self.loading = QLabel(_("Revisando el almacén, las raciones y las incidencias…"))
        set_role(self.loading, "muted")
        self.cards_box = QVBoxLayout()
        self.cards_box.setSpacing(10)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 0, 6, 0)
        self.steps = StepsPath()
        self.steps.hide()
        self.steps.go.connect(self.go_to)
        inner_layout.addWidget(self.steps)
        inner_layout.addWidget(self.heading)
        inner_layout.addWidget(self.loading)
        inner_layout.addWidget(self.all_good)
        inner_layout.addWidget(self.error)
        inner_layout.addLayout(self.cards_box)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(self.today_label)
        content_layout.addWidget(scroll, 1)
        no_committee = QWidget()
        no_layout = QVBoxLayout(no_committee)
        no_layout.addWidget(common.no_committee_label())
        self.committee_button = QPushButton(_("Ir a Comité"))
        set_role(self.committee_button, "primary")
        self.committee_button.clicked.connect(lambda: self.go_to.emit("comite"))
        no_layout.addWidget(self.committee_button, 0, Qt.AlignmentFlag.AlignHCenter)
        no_layout.addStretch(1)
        self.stack = QStackedWidget()
        self.stack.addWidget(no_committee)
        self.stack.addWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.stack, 1)
        ctx.committee_changed.connect(lambda _info: self._mark_dirty())
        ctx.data_changed.connect(lambda _kind: self._mark_dirty())

    def _mark_dirty(self) -> None:
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def _begin(self, today, info) -> bool:
        """A refresh for ``today`` begins: True when there is a committee whose two answers are awaited."""
        self._dirty = False
        self.today_label.setText(_("Hoy es {day}.").format(day=long_date(today)))
        self.stack.setCurrentIndex(0 if info is None else 1)
        if info is None:
            self._awaiting = set()
            self.filled.emit()
            return False
        self.loading.setVisible(not self.cards and not self.all_good.isVisible())
        self._awaiting = {"attention", "steps"}
        return True

    def show_read(self, day, items: list[Attention], steps) -> None:
        """Fill the page with the answers of :meth:`refresh`'s two queries for ``day``, read at start by the
        second process (ui.first_page) before the window had opened the database itself."""
        if self._begin(day, self.ctx.committee):
            self._show_steps(steps)
            self._show(items)

    def refresh(self) -> None:
        info = self.ctx.committee
        today = common.today()
        if not self._begin(today, info):
            return
        db = self.ctx.db
        from qaliwarma.services.store_views import attention

        self.ctx.runner.run(lambda: attention(db, info, today, DAYS_AHEAD), self._show,
                            on_error=lambda error: self._failed(error, "attention"), key="home.attention", owner=self)
        from qaliwarma.services.month_steps import month_steps

        self.ctx.runner.run(lambda: month_steps(db, info.id, today), self._show_steps,
                            on_error=lambda error: self._failed(error, "steps"), key="home.steps", owner=self)

    def is_filled(self) -> bool:
        """Refreshed, and every query of that refresh is back and shown."""
        return not self._dirty and not self._awaiting

    def _arrived(self, part: str) -> None:
        if part in self._awaiting:
            self._awaiting.discard(part)
            if not self._awaiting:
                self.filled.emit()

    def _show_steps(self, steps) -> None:
        self.steps.set_steps(steps)
        self._arrived("steps")

    def _show(self, items: list[Attention]) -> None:
        self.items = items
        self.loading.hide()
        self.error.hide()
        for card in self.cards:
            card.hide()
            card.deleteLater()
        self.cards = []
        for item in items:
            card = AttentionCard(item)
            card.go.connect(lambda area, item=item: self._go(area, item))
            self.cards_box.addWidget(card)
            self.cards.append(card)
        self.all_good.setText(_(
            "✓ Todo en orden. No hay productos vencidos ni por vencer en los próximos {days} días, las raciones de "
            "este mes están registradas, el almacén alcanza para el menú planificado y no hay incidencias sin "
            "reportar.").format(days=DAYS_AHEAD))
        self.all_good.setVisible(not items)
        self.heading.setText(_("Lo que necesita atención hoy") if items else _("Nada pendiente hoy"))
        self._arrived("attention")

    def _go(self, area: str, item: Attention) -> None:
        self.go_to.emit(area)
        if item.lots:  # the store shows the lot the card is about, selected
            self.ctx.lot_wanted.emit(*item.lots[0])

    def _failed(self, error: Exception, part: str) -> None:
        self.loading.hide()
        self.error.setText(common.error_text(error))
        self.error.show()
        self._arrived(part)
