"""A nutrition standard's targets per level × meal, and the committee's own copy of one, whose ranges
can be changed. The programme's standards are read-only: the committee makes a copy to adjust them."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qaliwarma.domain.standards import StandardSet

from ..i18n import _
from ..models.menu_standard import METRICS, RangesModel, metric_label, range_problems, target_label
from ..theme import set_role
from .table import DataTable


class StandardPanel(QWidget):
    """``show_standard(standard)``; emits ``saved(standard_id)`` after a copy is made or a change saved."""

    saved = Signal(str)

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.standard: StandardSet | None = None
        self._edited: dict[int, dict] = {}  # target index → ranges as edited, not saved yet
        self._target_index = 0
        self._suggested = ""

        self.name = QLabel()
        self.name.setWordWrap(True)
        set_role(self.name, "heading")
        self.source = QLabel()
        self.source.setWordWrap(True)
        set_role(self.source, "muted")
        self.kind = QLabel()
        self.kind.setWordWrap(True)
        set_role(self.kind, "hint")

        self.target_combo = QComboBox()
        target_row = QHBoxLayout()
        target_row.addWidget(QLabel(_("Metas para:")))
        target_row.addWidget(self.target_combo)
        target_row.addStretch(1)

        self.model = RangesModel(self)
        self.table = DataTable(stretch_column=0, fit=True)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)

        self.add_combo = QComboBox()
        self.add_button = QPushButton(_("Agregar a esta meta"))
        self.add_row = QWidget()
        add_layout = QHBoxLayout(self.add_row)
        add_layout.setContentsMargins(0, 0, 0, 0)
        add_layout.addWidget(QLabel(_("Otro nutriente:")))
        add_layout.addWidget(self.add_combo)
        add_layout.addWidget(self.add_button)
        add_layout.addStretch(1)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_role(self.error, "error")
        self.error.hide()
        self.done = QLabel()
        self.done.setWordWrap(True)
        set_role(self.done, "ok")
        self.done.hide()

        self.save_button = QPushButton(_("Guardar los cambios"))
        set_role(self.save_button, "primary")
        self.discard_button = QPushButton(_("Deshacer los cambios"))
        self.edit_row = QWidget()
        edit_layout = QHBoxLayout(self.edit_row)
        edit_layout.setContentsMargins(0, 0, 0, 0)
        edit_layout.addWidget(self.save_button)
        edit_layout.addWidget(self.discard_button)
        edit_layout.addStretch(1)

        self.copy_name = QLineEdit()
        self.copy_name.setPlaceholderText(_("Nombre de la copia"))
        self.copy_button = QPushButton(_("Hacer una copia para el comité"))
        set_role(self.copy_button, "primary")
        self.copy_row = QWidget()
        copy_layout = QHBoxLayout(self.copy_row)
        copy_layout.setContentsMargins(0, 0, 0, 0)
        copy_layout.addWidget(self.copy_name, 1)
        copy_layout.addWidget(self.copy_button)

        self.rules = QLabel()
        self.rules.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.addWidget(self.name)
        layout.addWidget(self.kind)
        layout.addWidget(self.copy_row)
        layout.addLayout(target_row)
        layout.addWidget(self.table)
        layout.addWidget(self.add_row)
        layout.addWidget(self.error)
        layout.addWidget(self.done)
        layout.addWidget(self.edit_row)
        rules_heading = QLabel(_("Reglas del menú de este estándar"))
        set_role(rules_heading, "heading")
        layout.addWidget(rules_heading)
        layout.addWidget(self.rules)
        layout.addWidget(self.source)
        layout.addStretch(1)

        self.target_combo.currentIndexChanged.connect(self._target_picked)
        self.model.refused.connect(self._show_error)
        self.model.edited.connect(self._edited_now)
        self.add_button.clicked.connect(self._add_metric)
        self.save_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(lambda: self.standard and self.show_standard(self.standard))
        self.copy_button.clicked.connect(self.make_copy)
        self.setEnabled(False)

    # ------------------------------------------------------------------ showing
    @property
    def dirty(self) -> bool:
        return bool(self._edited)

    def show_standard(self, standard: StandardSet) -> None:
        keep = self.target_combo.currentIndex() if self.standard and self.standard.id == standard.id else 0
        self.standard = standard
        self._edited = {}
        self.setEnabled(True)
        self.error.hide()
        self.name.setText(standard.name)
        self.source.setText(_("Fuente: {source}").format(source=" ".join(standard.source.split()))
                            + (f"\n{standard.note}" if standard.note else ""))
        own = standard.committee_own
        if own:
            self.kind.setText(_("Copia del comité: puede cambiar los mínimos y máximos (doble clic en la cifra) y "
                                "luego «Guardar los cambios». La próxima revisión usa las cifras guardadas."))
        else:
            self.kind.setText(_("Estándar del programa: no se cambia. Si su nutricionista le indica otras metas, "
                                "haga una copia del comité y cámbiela."))
            if not self.copy_name.text().strip() or self.copy_name.text() == self._suggested:
                self._suggested = _("Metas del comité")
                self.copy_name.setText(self._suggested)
        self.copy_row.setVisible(not own)
        self.add_row.setVisible(own)
        self.edit_row.setVisible(own)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed if own else QAbstractItemView.EditTrigger.NoEditTriggers)
        self.target_combo.blockSignals(True)
        self.target_combo.clear()
        for target in standard.targets:
            self.target_combo.addItem(target_label(target))
        self.target_combo.setCurrentIndex(min(keep, len(standard.targets) - 1))
        self.target_combo.blockSignals(False)
        self._target_index = self.target_combo.currentIndex()
        self._show_target()
        self.rules.setText("\n".join(f"• {r.description}" for r in standard.rules)
                           or _("Este estándar no tiene reglas de semana o de periodo."))
        self._update_buttons()

    def select_target(self, level: str, meal: str) -> bool:
        for n, target in enumerate(self.standard.targets if self.standard else ()):
            if target.level == level and target.meal == meal:
                self.target_combo.setCurrentIndex(n)
                return True
        return False

    def _show_target(self) -> None:
        if self.standard is None or not self.standard.targets:
            return
        target = self.standard.targets[self._target_index]
        ranges = self._edited.get(self._target_index, target.ranges)
        self.model.set_ranges(ranges, self.standard.committee_own)
        self.add_combo.clear()
        for metric in METRICS:
            if metric not in ranges:
                self.add_combo.addItem(metric_label(metric)[0], metric)

    def _target_picked(self, index: int) -> None:
        if index < 0:
            return
        self._keep_edits()
        self._target_index = index
        self._show_target()

    def _keep_edits(self) -> None:
        if self.standard is not None and self.standard.committee_own and self.model.editable:
            target = self.standard.targets[self._target_index]
            ranges = self.model.ranges()
            if ranges != target.ranges or len(self.model.rows()) != len(target.ranges):
                self._edited[self._target_index] = ranges
            else:
                self._edited.pop(self._target_index, None)

    def _edited_now(self) -> None:
        self.error.hide()
        self.done.hide()
        self._keep_edits()
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.dirty)
        self.discard_button.setEnabled(self.dirty)

    def _add_metric(self) -> None:
        metric = self.add_combo.currentData()
        if metric is None:
            return
        row = self.model.add_metric(metric)
        self.add_combo.removeItem(self.add_combo.currentIndex())
        self.table.setCurrentIndex(self.model.index(row, RangesModel.MIN))
        self.table.edit(self.model.index(row, RangesModel.MIN))

    def _show_error(self, text: str) -> None:
        self.done.hide()
        self.error.setText(text)
        self.error.show()

    # ------------------------------------------------------------------ saving
    def edited_standard(self) -> StandardSet | None:
        """The standard with every edited target, or None (and the problems shown) when something is wrong."""
        if self.standard is None:
            return None
        self._keep_edits()
        problems, targets = [], list(self.standard.targets)
        for n, ranges in self._edited.items():
            problems += range_problems(targets[n], ranges)
            targets[n] = replace(targets[n], ranges=ranges)
        if problems:
            self._show_error(_("No se guardó nada:") + "\n" + "\n".join(problems))
            return None
        return replace(self.standard, targets=tuple(targets))

    def save(self) -> None:
        from qaliwarma.services import standards

        edited = self.edited_standard()
        if edited is None or self.ctx.committee is None:
            return
        db, committee_id = self.ctx.db, self.ctx.committee.id

        def done(saved: StandardSet) -> None:
            self.show_standard(saved)
            self.done.setText(_("Cambios guardados. La revisión del menú ya usa las nuevas metas."))
            self.done.show()
            self.saved.emit(saved.id)

        self.save_button.setEnabled(False)
        self.ctx.runner.run(lambda: standards.save_standard(db, committee_id, edited), done,
                            on_error=lambda e: (self._show_error(str(e)), self._update_buttons()),
                            progress=_("Guardando el estándar…"), owner=self)

    def make_copy(self) -> None:
        from qaliwarma.services import standards

        if self.standard is None or self.ctx.committee is None:
            return
        db, committee_id, source, name = self.ctx.db, self.ctx.committee.id, self.standard.id, self.copy_name.text()

        def done(copy: StandardSet) -> None:
            self.copy_name.clear()
            self.show_standard(copy)
            self.done.setText(_("Copia «{name}» creada: ya puede cambiar sus metas.").format(name=copy.name))
            self.done.show()
            self.saved.emit(copy.id)

        self.ctx.runner.run(lambda: standards.copy_standard(db, committee_id, source, name), done,
                            on_error=lambda e: self._show_error(str(e)), progress=_("Copiando el estándar…"),
                            owner=self)
