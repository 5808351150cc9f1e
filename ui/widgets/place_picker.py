"""Department → province → district, from INEI's list; the district fills the ubigeo by itself."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QLabel

from ..i18n import _


class PlacePicker(QObject):
    """Three combos and an ubigeo label; the page lays them out. ``changed`` fires on any choice."""

    changed = Signal()

    def __init__(self, places: Sequence, parent=None) -> None:
        super().__init__(parent)
        self._tree: dict[str, dict[str, list[tuple[str, str]]]] = {}
        for p in places:
            self._tree.setdefault(p.department, {}).setdefault(p.province, []).append((p.district, p.ubigeo))
        self._where = {p.ubigeo: (p.department, p.province, p.district) for p in places}
        self.department = QComboBox()
        self.province = QComboBox()
        self.district = QComboBox()
        self.ubigeo_label = QLabel()
        for combo in (self.department, self.province, self.district):
            combo.setMaxVisibleItems(15)
            combo.setMinimumContentsLength(18)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.department.addItem(_("— Elija el departamento —"), None)
        for name in self._tree:
            self.department.addItem(name, name)
        self.department.currentIndexChanged.connect(self._department_changed)
        self.province.currentIndexChanged.connect(self._province_changed)
        self.district.currentIndexChanged.connect(self._district_changed)
        self._department_changed()

    def _department_changed(self, _index: int = 0) -> None:
        department = self.department.currentData()
        self.province.blockSignals(True)
        self.province.clear()
        self.province.addItem(_("— Elija la provincia —") if department else _("(primero el departamento)"), None)
        for name in self._tree.get(department, {}):
            self.province.addItem(name, name)
        self.province.setEnabled(department is not None)
        self.province.blockSignals(False)
        self._province_changed()

    def _province_changed(self, _index: int = 0) -> None:
        department, province = self.department.currentData(), self.province.currentData()
        self.district.blockSignals(True)
        self.district.clear()
        self.district.addItem(_("— Elija el distrito —") if province else _("(primero la provincia)"), None)
        for name, ubigeo in self._tree.get(department, {}).get(province, []):
            self.district.addItem(name, ubigeo)
        self.district.setEnabled(province is not None)
        self.district.blockSignals(False)
        self._district_changed()

    def _district_changed(self, _index: int = 0) -> None:
        ubigeo = self.district.currentData()
        self.ubigeo_label.setText(ubigeo or _("se llena al elegir el distrito"))
        self.changed.emit()

    # ------------------------------------------------------------------ values
    def values(self) -> tuple[str, str, str, str]:
        """(department, province, district, ubigeo); "" for what is not chosen."""
        return (self.department.currentData() or "", self.province.currentData() or "",
                self.district.currentText() if self.district.currentData() else "", self.district.currentData() or "")

    def set_ubigeo(self, ubigeo: str) -> bool:
        place = self._where.get(ubigeo)
        if place is None:
            return False
        self.department.setCurrentIndex(self.department.findData(place[0]))
        self.province.setCurrentIndex(self.province.findData(place[1]))
        self.district.setCurrentIndex(self.district.findData(ubigeo))
        return True
