"""Text written into CSV and XLSX files is never taken as a formula by a spreadsheet.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by
Excel and LibreOffice (``=HYPERLINK(…)`` in a school name becomes a live link in the supervisor's
sheet). In CSV such text is written with a leading apostrophe (what spreadsheets show as "this is
text"); a value that already starts with an apostrophe gets one more, so ``csv_unescape`` gives back
exactly what was written. Plain numbers («-500», «+3.5») are left alone: they are numbers, not
formulas. In XLSX the cell is stored as text with Excel's quote-prefix style, so the value is
unchanged and still shown as text even after someone edits it.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9][0-9.,]*")


def dangerous(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value)


def csv_escape(value: Any) -> Any:
    """The value to write in a CSV cell."""
    if isinstance(value, str) and (dangerous(value) or value.startswith("'")):
        return "'" + value
    return value


def csv_unescape(text: str) -> str:
    """What ``csv_escape`` was given."""
    return text[1:] if text.startswith("'") else text


def xlsx_append(ws, values: list[Any]) -> None:
    """``ws.append(values)`` with every text cell stored as text, never as a formula."""
    ws.append(values)
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and (cell.data_type == "f" or dangerous(cell.value)):
            cell.data_type = "s"
            cell.quotePrefix = True
