"""The look of the application: large readable type, generous spacing, strong contrast.

Sizes are in points. The base is 13 pt (readable on an old 1366×768 laptop at arm's length).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

BASE_POINT_SIZE = 13
ERROR_COLOR = "#b3261e"
OK_COLOR = "#1b6e20"
MUTED_COLOR = "#6b6b6b"
ACCENT_COLOR = "#1f5f99"
WARN_BG = "#fff4d6"

STYLE_SHEET = f"""
QLabel[role="title"] {{ font-size: {BASE_POINT_SIZE + 7}pt; font-weight: bold; }}
QLabel[role="heading"] {{ font-size: {BASE_POINT_SIZE + 3}pt; font-weight: bold; }}
QLabel[role="hint"] {{ color: #2b2b2b; background: #eaf2fb; border: 1px solid #b8d0ea;
                        border-radius: 6px; padding: 8px 10px; }}
QLabel[role="error"] {{ color: {ERROR_COLOR}; }}
QLabel[role="ok"] {{ color: {OK_COLOR}; font-weight: bold; }}
QLabel[role="summary"] {{ font-size: {BASE_POINT_SIZE + 1}pt; font-weight: bold; color: {ACCENT_COLOR};
                          background: #eef4fb; border-radius: 6px; padding: 6px 10px; }}
QLabel[role="muted"] {{ color: {MUTED_COLOR}; }}
QLabel[role="school"] {{ font-size: {BASE_POINT_SIZE + 3}pt; font-weight: bold; color: white; }}
QLabel[role="appname"] {{ font-size: {BASE_POINT_SIZE + 1}pt; color: #dce8f5; }}
QFrame#header {{ background: {ACCENT_COLOR}; }}
QFrame#nav {{ background: #eef1f5; border-right: 1px solid #c9d0d8; }}
QPushButton[role="nav"] {{ text-align: left; padding: 10px 12px; border: none; border-radius: 6px;
                           background: transparent; font-weight: bold; }}
QPushButton[role="nav"]:checked {{ background: {ACCENT_COLOR}; color: white; }}
QPushButton[role="nav"]:hover:!checked {{ background: #dde5ee; }}
QPushButton {{ padding: 7px 16px; }}
QPushButton[role="primary"] {{ background: {ACCENT_COLOR}; color: white; font-weight: bold;
                               border-radius: 6px; padding: 9px 20px; }}
QPushButton[role="primary"]:disabled {{ background: #9db3c9; }}
QLineEdit, QComboBox {{ padding: 5px 6px; min-height: 1.6em; }}
QLineEdit[readOnly="true"] {{ background: #eef1f5; color: #333; }}
QSpinBox, QDoubleSpinBox, QDateEdit {{ min-height: 1.9em; }}
QCheckBox::indicator, QRadioButton::indicator {{ width: 20px; height: 20px; }}
QLineEdit[invalid="true"], QComboBox[invalid="true"], QDateEdit[invalid="true"], QSpinBox[invalid="true"] {{
    border: 2px solid {ERROR_COLOR}; }}
QTableView {{ gridline-color: #d7dce2; }}
QTableView::item {{ padding-top: 3px; padding-bottom: 3px; }}
QHeaderView::section {{ padding: 6px; font-weight: bold; background: #e7ebf0; border: none;
                         border-right: 1px solid #c9d0d8; border-bottom: 1px solid #c9d0d8; }}
QTabBar::tab {{ padding: 10px 22px; font-weight: bold; }}
QGroupBox {{ font-weight: bold; margin-top: 14px; padding-top: 10px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; padding: 0 4px; }}
QFrame[role="card"] {{ background: white; border: 1px solid #c9d0d8; border-radius: 8px; }}
QFrame[role="banner"] {{ background: {WARN_BG}; border: 2px solid #d9a400; border-radius: 6px; }}
QFrame[role="banner-error"] {{ background: #fde7e5; border: 2px solid {ERROR_COLOR}; border-radius: 6px; }}
"""


def apply(app: QApplication) -> None:
    """Large default font, a light palette (independent of the system theme) and the style sheet."""
    app.setStyle("Fusion")
    font = QFont(app.font())
    font.setPointSize(BASE_POINT_SIZE)
    app.setFont(font)
    palette = app.style().standardPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#f7f8fa"))
    palette.setColor(QPalette.ColorRole.Base, QColor("white"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#f1f4f8"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#cfe2f7"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("black"))
    app.setPalette(palette)
    app.setStyleSheet(STYLE_SHEET)


def set_role(widget, role: str) -> None:
    """Give a widget a style role (see STYLE_SHEET), re-polished if it was already styled."""
    widget.setProperty("role", role)
    _restyle(widget)


def set_invalid(widget, invalid: bool) -> None:
    if bool(widget.property("invalid")) == invalid:
        return
    widget.setProperty("invalid", invalid)
    _restyle(widget)


def _restyle(widget) -> None:
    """Apply the style sheet again after a property it selects on changed. A widget not yet polished (just
    built, never shown) takes the property when Qt polishes it before showing it: polishing it now too did
    the work twice (128 against 59 µs a label; pages set roles on hundreds of widgets as they are built)."""
    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        widget.style().unpolish(widget)
        widget.style().polish(widget)
