"""The desktop a committee can't break by accident: the mouse wheel, the small screen, the keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from qaliwarma.services import committee
from ui import wheel_guard
from ui.pages.committee import CommitteePage


@pytest.fixture
def guard(qapp):
    installed = wheel_guard.install(qapp)
    yield installed
    wheel_guard.uninstall(qapp)


def _wheel(widget, steps: int = -1) -> None:
    """One notch of the wheel (down when negative) with the pointer over the middle of ``widget``."""
    local = QPointF(widget.rect().center())
    global_pos = QPointF(widget.mapToGlobal(widget.rect().center()))
    event = QWheelEvent(local, global_pos, QPoint(0, 0), QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def _scrolled_committee_page(qtbot, ui_db, runner):
    page = CommitteePage(ui_db, runner, committee.places())  # its form scrolls above the save bar
    qtbot.addWidget(page)
    page.resize(1000, 500)  # shorter than the form: it scrolls
    page.show()
    qtbot.waitExposed(page)
    page.region.setCurrentIndex(page.region.findData("sierra"))
    page.level_rows["primaria"].check.setChecked(True)
    page.level_rows["primaria"].enrolment.setValue(61)
    return page.scroll, page


def test_the_wheel_over_an_unfocused_control_scrolls_the_page_and_changes_nothing(qtbot, guard, ui_db, runner):
    area, page = _scrolled_committee_page(qtbot, ui_db, runner)
    page.school_name.setFocus()
    bar = area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    start = bar.value()
    _wheel(page.region)
    _wheel(page.level_rows["primaria"].enrolment)
    assert page.region.currentData() == "sierra"
    assert page.level_rows["primaria"].enrolment.value() == 61
    assert bar.value() > start  # the page scrolled instead
    # the wheel does not give these controls the focus, a click or Tab does
    assert page.region.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_the_wheel_still_changes_the_control_being_worked_in(qtbot, guard, ui_db, runner):
    area, page = _scrolled_committee_page(qtbot, ui_db, runner)
    page.activateWindow()
    page.region.setFocus()
    qtbot.waitUntil(page.region.hasFocus)
    _wheel(page.region)
    assert page.region.currentData() != "sierra"


# ---------------------------------------------------------------------- 1366×768
@pytest.fixture
def demo_window(qtbot, themed, demo_template, tmp_path, runner, monkeypatch):
    """The whole window on the demo committee's month, at the size of the committees' laptops, as the
    application looks."""
    import shutil

    from tests.ui.conftest import REAL_RECIPES
    from ui.app import SCREENSHOT_SIZE
    from ui.main_window import MainWindow

    monkeypatch.setenv("QALIWARMA_RECIPES", str(REAL_RECIPES))
    target = tmp_path / "demo.sqlite3"
    shutil.copy(demo_template, target)
    window = MainWindow(runner)
    qtbot.addWidget(window)
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    with qtbot.waitSignal(window.loaded, timeout=30000):
        window.start(f"sqlite:///{target}")
    return window


def _cut_sideways(window, area) -> list[str]:
    """The visible buttons of the area shown whose text is cut or pushed out at the sides."""
    from PySide6.QtWidgets import QAbstractButton

    viewport = area.viewport()
    left, right = viewport.mapTo(window, QPoint(0, 0)).x(), viewport.mapTo(window, QPoint(viewport.width(), 0)).x()
    cut = []
    for button in area.widget().findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or not button.text():
            continue
        x0 = button.mapTo(window, QPoint(0, 0)).x()
        x1 = x0 + button.width()
        if x0 < left or x1 > right or button.width() < button.minimumSizeHint().width():
            cut.append(button.text())
    return cut


def _cut_combos(window, area) -> list[str]:
    """The visible drop-downs whose chosen text is wider than their text field."""
    from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox

    cut = []
    for combo in area.widget().findChildren(QComboBox):
        if not combo.isVisibleTo(window):
            continue
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                             QStyle.SubControl.SC_ComboBoxEditField, combo)
        if combo.fontMetrics().horizontalAdvance(combo.currentText()) > field.width():
            cut.append(combo.currentText())
    return cut


def test_every_page_at_1366x768_shows_its_buttons_without_scrolling_sideways(qtbot, demo_window, wait_idle):
    from ui.main_window import AREAS

    window = demo_window
    for name in [a for a in AREAS if a in window.pages]:  # Supervisión only in supervisor mode
        window.show_area(name)
        wait_idle(20000)
        qtbot.wait(50)
        area = window.stack.currentWidget()
        assert window.current_area() == name
        assert area.horizontalScrollBar().maximum() == 0, f"{name}: the page scrolls sideways"
        assert _cut_sideways(window, area) == [], name
        assert _cut_combos(window, area) == [], name


MAXIMISED = (1366, 697)  # a maximised window on a 1366×768 laptop: less the taskbar (40) and the title bar (31)


def test_maximised_on_the_laptop_no_page_scrolls_sideways_and_reception_keeps_its_button_in_sight(
        qtbot, demo_window, wait_idle, tmp_path):
    """A page taller than the window gets a vertical scroll bar, which took the width the Menú page's top row
    needed: the whole page scrolled sideways. Recepción with the acta's PDF notice pushed «Registrar
    recepción» below the screen's edge."""
    from ui.main_window import AREAS

    window = demo_window
    window.resize(*MAXIMISED)
    for name in [a for a in AREAS if a in window.pages]:
        window.show_area(name)
        wait_idle(20000)
        qtbot.wait(50)
        area = window.stack.currentWidget()
        assert area.horizontalScrollBar().maximum() == 0, f"{name}: the page scrolls sideways"
        assert _cut_sideways(window, area) == [], name
    window.show_area("recepcion")
    wait_idle(20000)
    page = window.pages["recepcion"]
    page._set_status("✓ Acta AER-2026-000731 registrada: ingresaron 1,234.500 kg al almacén. Se rechazaron "
                     "12.000 kg; no entraron al almacén.", ok=True)
    page.pdf_notice.saved("Se guardó «acta-recepcion-AER-2026-000731.pdf» en la carpeta " + str(tmp_path) + ". Pulse "
                          "«Imprimir…» para imprimirlo desde aquí (también se intentó abrir con su visor de PDF).",
                          tmp_path, tmp_path / "acta.pdf")
    qtbot.wait(50)
    button = page.register_button
    assert page.pdf_notice.isVisible() and button.isVisible()
    assert button.visibleRegion().boundingRect().size() == button.size()  # whole, in sight, without scrolling


def test_the_menu_day_at_1366x768_shows_close_its_text_and_the_lunch_row(qtbot, demo_window, wait_idle):
    from datetime import date

    window = demo_window
    window.show_area("menu")
    wait_idle(20000)
    page = window.pages["menu"]
    page.select_day(date(2026, 11, 10))
    wait_idle(20000)
    qtbot.wait(50)
    panel_area = page.panel_area
    assert panel_area.horizontalScrollBar().maximum() == 0 or not panel_area.horizontalScrollBar().isVisible()
    close = page.panel.close_button
    assert close.isVisible()
    assert close.visibleRegion().boundingRect().size() == close.size()  # «Cerrar» whole, not cut
    title = page.panel.title
    assert title.text().startswith("Martes 10 de noviembre")
    assert title.height() >= title.heightForWidth(title.width())  # every line of the title shown
    # each week row is tall enough for the day number, breakfast and lunch
    cell = page.calendar.cell(date(2026, 11, 10))
    assert cell.height() >= cell.sizeHint().height()
    assert "Almuerzo" in cell.text()


# ---------------------------------------------------------------------- the «none_dealloc» at exit
LONG_SESSION = """
import ui  # what every entry point imports first
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel

class Sender(QObject):
    changed = Signal()

app = QApplication([])
label, sender = QLabel(), Sender()
for n in range(30000):  # a long afternoon of typing: each call loses one reference to None or True
    label.setText(str(n))
    sender.changed.emit()
print("ok")
"""


def test_a_long_session_of_qt_calls_does_not_abort_python(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", LONG_SESSION], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert "Fatal Python error" not in done.stderr
    assert done.returncode == 0 and done.stdout.strip() == "ok"


# ---------------------------------------------------------------------- the keyboard
def test_tab_walks_a_days_rations_and_keeps_typed_digits(qtbot, ctx, wait_idle):
    from PySide6.QtWidgets import QApplication

    from ui.pages.rations import RationsPage

    page = RationsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1136, 680)
    page.show()
    wait_idle()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    qtbot.waitUntil(lambda: all(c.rations.isVisible() for c in page.grid.cells.values()))
    cells = page.grid.cells
    walk = [cells[("desayuno", "inicial")].rations, cells[("desayuno", "inicial")].attendance,
            cells[("desayuno", "primaria")].recipe, cells[("desayuno", "primaria")].rations,
            cells[("desayuno", "primaria")].attendance, cells[("almuerzo", "inicial")].recipe,
            cells[("almuerzo", "inicial")].rations]
    walk[0].setFocus()
    qtbot.waitUntil(walk[0].hasFocus)
    typed = {0: "34", 1: "36", 3: "131", 4: "135", 6: "33"}
    for n, field in enumerate(walk):
        assert QApplication.focusWidget() in (field, getattr(field, "lineEdit", lambda: None)()), n
        if n in typed:
            qtbot.keyClicks(QApplication.focusWidget(), typed[n])
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert [walk[n].value() for n in typed] == [34, 36, 131, 135, 33]


def test_a_new_member_card_is_scrolled_into_view_with_the_cursor_in_its_name(qtbot, ui_db, runner):
    page = CommitteePage(ui_db, runner, committee.places())
    qtbot.addWidget(page)
    page.resize(1000, 500)
    page.show()
    qtbot.waitExposed(page)
    for _n in range(3):
        qtbot.mouseClick(page.members.add_button, Qt.MouseButton.LeftButton)
    card = page.members.cards[-1]
    qtbot.waitUntil(lambda: page.focusWidget() is card.name)  # the window's focus, active or not
    viewport = page.scroll.viewport()
    top = card.name.mapTo(viewport, QPoint(0, 0)).y()
    assert 0 <= top and top + card.name.height() <= viewport.height()  # the name box is on screen


def test_a_message_that_goes_away_leaves_the_form_where_it_was(qtbot, ui_db, runner):
    page = _scrolled_committee_page(qtbot, ui_db, runner)[1]
    qtbot.keyClicks(page.codigo_modular, "12345")
    message = page._messages["codigo_modular"]
    qtbot.waitUntil(message.isVisible)
    below = page.ugel.mapTo(page, QPoint(0, 0)).y()
    qtbot.keyClicks(page.codigo_modular, "67")
    qtbot.waitUntil(lambda: not message.isVisible())
    qtbot.wait(20)
    assert message.text() == ""
    assert page.ugel.mapTo(page, QPoint(0, 0)).y() == below  # nothing moved under the pointer


def test_banners_of_a_page_replace_each_other(qtbot):
    from ui.widgets.banner import Banner
    from ui.widgets.stock_pdf import PdfNotice

    banner, notice = Banner(), PdfNotice()
    qtbot.addWidget(banner)
    qtbot.addWidget(notice)
    banner.share_place_with(notice)
    banner.show_message("Siguiente paso: imprima el acta")
    notice.saved("Se guardó «acta.pdf»", Path("."))
    assert notice.isVisibleTo(notice.parentWidget() or notice) and not banner.isVisibleTo(banner)
    banner.show_message("Siguiente paso: imprima el acta 2")
    assert not notice.isVisibleTo(notice)


def test_a_message_at_the_top_of_a_page_scrolled_down_is_brought_into_view(qtbot):
    """Cierre at 768 pixels: the month's report printed from the bottom of the page said where it was saved in a
    banner at its top, out of view; the user thought nothing had happened."""
    from PySide6.QtWidgets import QPushButton, QScrollArea, QVBoxLayout, QWidget

    from ui.widgets.stock_pdf import PdfNotice

    page = QWidget()
    layout = QVBoxLayout(page)
    notice = PdfNotice()
    layout.addWidget(notice)
    filler = QWidget()
    filler.setMinimumHeight(2000)
    layout.addWidget(filler)
    button = QPushButton("Imprimir el informe")
    layout.addWidget(button)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(page)
    area.resize(800, 400)
    qtbot.addWidget(area)
    area.show()
    area.ensureWidgetVisible(button)  # the user went down to the print button
    qtbot.waitUntil(lambda: area.verticalScrollBar().value() > 1000)
    notice.saved("Se guardó «informe-2026-11.pdf» en Documentos", Path("."), Path("informe-2026-11.pdf"))

    def in_view() -> bool:
        top = notice.mapTo(area.viewport(), QPoint(0, 0)).y()
        return top >= 0 and top + notice.height() <= area.viewport().height()

    qtbot.waitUntil(in_view, timeout=2000)


def test_keyboard_shortcuts_go_to_pages_save_and_search(qtbot, demo_window, wait_idle, monkeypatch):
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QApplication

    from ui.main_window import NAVIGATION

    window = demo_window

    def press(keys: str) -> None:
        wait_idle(20000)
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=30000)  # slow machines
        window.raise_()
        window.activateWindow()  # a progress dialog may have come and gone
        qtbot.waitUntil(window.isActiveWindow, timeout=10000)
        qtbot.keySequence(window, QKeySequence(keys))

    keys = [k for k, _t, _i, _target in NAVIGATION]
    press("Ctrl+3")
    wait_idle(20000)
    assert window.current_area() == keys[2] == "menu"
    press("Ctrl+1")
    assert window.current_area() == "inicio"
    window.show_area("recetas")
    press("Ctrl+F")
    assert QApplication.focusWidget() is window.pages["recetas"].search_field
    window.show_area("raciones")
    wait_idle(20000)
    saved = []
    monkeypatch.setattr(window.pages["raciones"], "save_day", lambda: saved.append(True))
    window.pages["raciones"].save_button.clicked.disconnect()
    window.pages["raciones"].save_button.clicked.connect(window.pages["raciones"].save_day)
    press("Ctrl+S")
    assert saved == [True]


# ---------------------------------------------------------------------- Spanish everywhere
def test_qts_own_dialogs_speak_spanish(qapp):
    from PySide6.QtCore import QCoreApplication

    from ui.app import _install_translators

    installed = _install_translators(qapp, "es")
    try:
        assert installed
        assert QCoreApplication.translate("QFileDialog", "Look in:") == "Ver en:"
        assert QCoreApplication.translate("QFileDialog", "Files of type:") == "Ficheros de tipo:"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancelar"
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)


def test_the_command_lines_help_is_in_spanish(capsys):
    from qaliwarma import cli

    with pytest.raises(SystemExit) as done:
        cli.main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("uso: qaliwarma")
    assert "opciones:" in out and "mostrar esta ayuda y salir" in out
    assert "usage:" not in out and "options:" not in out
    with pytest.raises(SystemExit) as done:
        cli.main(["init", "--no-such-option"])
    assert done.value.code == 2
    assert "argumentos no reconocidos: --no-such-option" in capsys.readouterr().err


# ---------------------------------------------------------------------- help
def test_help_opens_on_each_page_with_its_steps_and_picture(qtbot, demo_window, wait_idle):
    from PySide6.QtGui import QTextDocument

    from ui.main_window import AREAS

    window = demo_window
    for name in [a for a in AREAS if a in window.pages]:  # Supervisión only in supervisor mode
        window.show_area(name)
        wait_idle(20000)
        dialog = window.show_help()
        assert dialog.isVisible()
        assert dialog.path.name == f"{name}.md", name  # the guide of the page shown, not a general one
        text = dialog.browser.toPlainText()
        heading = text.split("\n", 1)[0]
        label = window.nav_buttons.get(name)
        assert heading.startswith(label.text() if label is not None and name not in ("recetas", "alimentos")
                                  else "Alimentos y recetas"), name
        assert "1.  " in dialog.browser.toMarkdown(), name  # the numbered steps of its tasks
        picture = dialog.browser.document().resource(QTextDocument.ResourceType.ImageResource,
                                                     QUrl(f"img/{name}.png"))
        assert picture is not None and not picture.isNull(), name
    dialog.close()


def test_f1_opens_the_help_of_the_page_shown(qtbot, demo_window, wait_idle):
    from PySide6.QtGui import QKeySequence

    window = demo_window
    window.show_area("raciones")
    wait_idle(20000)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=10000)
    qtbot.keySequence(window, QKeySequence("F1"))
    dialog = window._help_dialog
    assert dialog.isVisible() and dialog.path.name == "raciones.md"
    assert "Guardar el día" in dialog.browser.toPlainText()
    dialog.close()


# ---------------------------------------------------------------------- supervisor mode
def test_supervision_is_shown_only_in_supervisor_mode(qtbot, db_file):
    from ui.main_window import MainWindow
    from ui.settings import set_value
    from ui.tasks import TaskRunner

    def opened() -> MainWindow:
        window = MainWindow(TaskRunner())  # closing a window stops its runner
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(window.loaded, timeout=30000):
            window.start(f"sqlite:///{db_file}")
        return window

    committee_window = opened()  # a committee's database, no bundles, no setting
    assert "supervision" not in committee_window.pages
    assert not committee_window.nav_buttons["supervision"].isVisible()
    assert committee_window.nav_buttons["comite"].isVisible()
    committee_window.close()
    set_value("modo/supervisor", True)  # qaliwarma-gui --supervisor si
    supervisor_window = opened()
    assert "supervision" in supervisor_window.pages
    assert supervisor_window.nav_buttons["supervision"].isVisible()
    # a supervisor's folder has no committee: it opens on «Supervisión», not on «register your committee»
    assert supervisor_window.current_area() == "supervision"


# ---------------------------------------------------------------------- printing
def test_a_saved_document_is_printed_from_the_application_page_by_page(qtbot, tmp_path, monkeypatch):
    """«Imprimir…» sends every page of the PDF to the printer chosen in Qt's dialog (here a PDF printer,
    so what reached it can be counted)."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from reportlab.pdfgen import canvas

    from ui import printing
    from ui.widgets.stock_pdf import PdfNotice

    document = tmp_path / "acta.pdf"
    c = canvas.Canvas(str(document))
    for n in (1, 2, 3):
        c.drawString(100, 700, f"Página {n}")
        c.showPage()
    c.save()
    out = tmp_path / "impreso.pdf"

    def accept(dialog):  # the user chooses the printer and presses «Imprimir»
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    monkeypatch.setattr(printing, "MAX_DPI", 72)
    notice = PdfNotice()
    qtbot.addWidget(notice)
    notice.saved("Se guardó «acta.pdf»", tmp_path, document)
    assert notice.print_button.isVisibleTo(notice)
    assert notice.print_file()
    import pypdfium2

    printed = pypdfium2.PdfDocument(str(out))
    assert len(printed) == 3  # every page reached the printer
    printed.close()


def test_the_message_says_what_happened_to_the_document(qtbot, ctx, tmp_path, monkeypatch, wait_idle):
    from ui.widgets import stock_pdf

    monkeypatch.setattr(stock_pdf, "output_dir", lambda: tmp_path)
    monkeypatch.setattr(stock_pdf, "open_file", lambda path: False)  # no PDF viewer on this computer
    notice = stock_pdf.PdfNotice()
    qtbot.addWidget(notice)
    stock_pdf.make_pdf(ctx, None, "prueba.pdf", lambda out: out.write_bytes(b"%PDF-1.4\n"), notice=notice)
    wait_idle()
    text = notice.text.text()
    assert "Se abrió" not in text and "No se pudo abrir con un visor de PDF" in text
    assert "«Imprimir…»" in text and notice.print_button.isVisibleTo(notice)


def test_the_documents_folder_is_the_one_chosen_last(tmp_path):
    from ui.widgets import menu_files, stock_pdf

    chosen = tmp_path / "USB" / "comite"
    chosen.mkdir(parents=True)
    stock_pdf.remember_folder(chosen / "menu-noviembre.pdf")
    assert stock_pdf.output_dir() == chosen
    assert menu_files.documents_dir() == str(chosen)


def test_the_expenses_import_offers_its_template(qtbot, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from ui.dialogs import confirm
    from ui.widgets import template_button as templates

    said = []
    monkeypatch.setattr(confirm, "inform", lambda parent, title, text, error=False: said.append((title, text)))
    button = templates.template_button("gastos")
    qtbot.addWidget(button)
    assert button.text() == "Plantilla (Excel)…"
    written = templates.save_template("gastos", button, str(tmp_path / "plantilla-gastos.xlsx"))
    book = load_workbook(written)
    assert [c.value for c in book["gastos"][1]][:8] == ["fecha", "rubro", "tipo_documento", "numero_documento",
                                                        "ruc_dni", "proveedor", "detalle", "monto"]
    assert said and said[0][0] == "Plantilla guardada"
