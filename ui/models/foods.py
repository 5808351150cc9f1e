"""Foods of the composition table (search results): code, name, group."""

from __future__ import annotations

import re

from qaliwarma.domain.foods import FoodSummary

from ..i18n import _
from .base import Column, RowsModel


def code_sort_key(code: str) -> tuple[str, int]:
    """A3 < A10 < B1: group letters, then the number."""
    m = re.match(r"([A-Z]+)(\d+)", code)
    return (m.group(1), int(m.group(2))) if m else (code, 0)


class FoodTableModel(RowsModel[FoodSummary]):
    columns = (
        Column(_("Código"), lambda f: f.code, sort_key=lambda f: code_sort_key(f.code)),
        Column(_("Alimento"), lambda f: f.name),
        Column(_("Grupo"), lambda f: f.group_name),
    )

    def extra_data(self, row: FoodSummary, column: int, role: int):
        from PySide6.QtCore import Qt

        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.code} — {row.name} ({row.group_name})"
        return None
