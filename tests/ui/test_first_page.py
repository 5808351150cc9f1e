"""The first page read by a second process while the window is built (issue 17, ui/first_page.py): what Inicio
shows from it is what its own queries give, it shows before the window has opened the database, the window
then opens it for everything else (a click meanwhile is honoured), a wrong PIN counts once, and anything
but a first page from the second process leaves the window to read everything itself."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from concurrent.futures import Future

import pytest

from tests.ui.conftest import DEMO_TODAY
from tests.ui.test_startup import PRESIDENT, SCHOOL, _failed_tries, _shown_window, _what_is_shown
from ui import first_page
from ui.main_window import MainWindow


@pytest.fixture
def child_env(monkeypatch):
    """The second process is a real one: it reads the day from QALIWARMA_TODAY, as the window's core does."""
    monkeypatch.setenv("QALIWARMA_TODAY", DEMO_TODAY.isoformat())
    monkeypatch.setenv("QALIWARMA_MEMBER", PRESIDENT)
    monkeypatch.setenv("QALIWARMA_PIN", "1234")


def _expected_cards(path) -> tuple[list[str], list[str]]:
    """Inicio's two answers for the demo committee, asked of the services directly (not through ui.first_page)."""
    from qaliwarma.persistence.engine import open_database
    from qaliwarma.services import committee
    from qaliwarma.services.month_steps import month_steps
    from qaliwarma.services.store_views import attention

    db = open_database(f"sqlite:///{path}")
    try:
        info = committee.current(db)
        return ([item.text for item in attention(db, info, DEMO_TODAY, 30)],
                [step.title for step in month_steps(db, info.id, DEMO_TODAY)])
    finally:
        db.dispose()


def _done(value) -> Future:
    future: Future = Future()
    future.set_result(value)
    return future


def test_inicio_is_filled_by_the_second_process_before_the_window_opens_the_database(qtbot, runner, demo_file,
                                                                                      child_env):
    preview = first_page.spawn(["--db", str(demo_file)])
    assert preview is not None
    window = _shown_window(qtbot, runner)
    at_mark = {}

    def filled() -> None:
        home = window.pages["inicio"]
        at_mark.update(_what_is_shown(window), db=window.db, cards=[card.text.text() for card in home.cards],
                       steps=[row for row in home.steps.rows], checking=home.loading.isVisible(),
                       member=window.member_label.text())

    window.first_page_filled.connect(filled)
    with qtbot.waitSignal(window.loaded, timeout=60000) as signal:
        window.start(f"sqlite:///{demo_file}", preview=preview)
    cards, steps = _expected_cards(demo_file)
    assert cards  # the demo's month has something to say: an empty page would prove nothing
    assert at_mark["db"] is None  # shown from the second process: the window had not opened the database yet
    assert at_mark["home"] and not at_mark["notice"] and not at_mark["checking"] and at_mark["school"] == SCHOOL
    assert at_mark["cards"] == cards and len(at_mark["steps"]) == len(steps)
    assert "Rosa Quispe Huamán" in at_mark["member"]  # QALIWARMA_PIN was checked there
    assert "almacen" in at_mark["areas"] and "tesoreria" in at_mark["areas"]
    assert signal.args == [True] and window.db is not None and window.ctx.db is window.db
    assert _failed_tries(demo_file) == 0
    window.show_area("incidencias")  # the other areas work on the window's own database
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=30000)
    page = window.pages["incidencias"]
    assert window.current_area() == "incidencias"
    assert [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())] == ["18/11/2026", "10/11/2026"]


@pytest.mark.parametrize(("button", "area"), [("tesoreria", "tesoreria"), ("alimentos_recetas", "recetas")])
def test_an_area_asked_for_while_the_database_is_being_opened_is_shown_once_it_is(qtbot, runner, demo_file,
                                                                                  child_env, monkeypatch, button,
                                                                                  area):
    window, release = _held_opening(qtbot, runner, demo_file, monkeypatch)
    window.nav_buttons[button].click()  # the user does not wait for the database
    assert window.current_area() == "inicio" and window.db is None and not window.about_button.isVisible()
    with qtbot.waitSignal(window.loaded, timeout=30000) as signal:
        release.set()
    assert signal.args == [True]
    assert window.current_area() == area and window.pages[area].isVisible()
    assert window.about_button.isVisible()


def test_a_wrong_pin_read_by_the_second_process_counts_once_and_the_window_asks(qtbot, runner, demo_file,
                                                                               child_env, monkeypatch):
    monkeypatch.setenv("QALIWARMA_PIN", "9999")
    seen = {}

    def ask(self, loaded):  # what is on screen behind the question, and what the question says
        seen.update(_what_is_shown(self), warnings=list(loaded.warnings))
        qtbot.waitUntil(lambda: self.db is not None, timeout=30000)  # a user types meanwhile: the database opens
        return None  # «Salir»

    monkeypatch.setattr(MainWindow, "ask_sign_in", ask)
    preview = first_page.spawn(["--db", str(demo_file)])
    window = _shown_window(qtbot, runner)
    with qtbot.waitSignal(window.loaded, timeout=60000) as signal:
        window.start(f"sqlite:///{demo_file}", preview=preview)
    assert signal.args == [False]
    for thread in threading.enumerate():  # a check of the PIN started meanwhile has finished
        if thread.name == "qaliwarma-pin":
            thread.join(30)
    assert seen["notice"] and not seen["home"] and seen["areas"] == [] and SCHOOL not in seen["school"]
    assert any("PIN equivocado" in w for w in seen["warnings"])
    assert _failed_tries(demo_file) == 1  # one start, one wrong try: the window did not check it again


@pytest.mark.parametrize("answer", [None, b"", b"not a pickle", "other"], ids=["failed", "nothing", "garbage",
                                                                                 "not-a-first-page"])
def test_without_a_first_page_the_window_reads_everything_itself_and_asks_for_the_pin(
        qtbot, runner, demo_file, child_env, answer):
    """The second process may have counted QALIWARMA_PIN before it failed (helper-54: killed between the two, a
    wrong PIN counted twice): the window does not check it again, it asks."""
    from tests.ui.test_startup import _when_asked_to_sign_in

    if answer == "other":
        answer = pickle.dumps(({"committee": "x"}, DEMO_TODAY, [], [], None))
    window = _shown_window(qtbot, runner)
    marks, asked = [], []
    window.first_page_filled.connect(lambda: marks.append(window.db is not None))

    def answer_dialog(dialog) -> None:
        asked.append(_failed_tries(demo_file))
        dialog.member.setCurrentIndex(dialog.member.findData(PRESIDENT))
        dialog.pin.setText("1234")
        dialog.try_sign_in()

    _when_asked_to_sign_in(answer_dialog)
    with qtbot.waitSignal(window.loaded, timeout=60000) as signal:
        window.start(f"sqlite:///{demo_file}", preview=_done(answer))
    qtbot.waitUntil(lambda: bool(marks), timeout=30000)
    assert asked == [0]  # asked, and QALIWARMA_PIN was not tried on the way
    assert signal.args == [True] and marks == [True]  # filled by the window's own queries, on its own database
    assert [card.text.text() for card in window.pages["inicio"].cards] == _expected_cards(demo_file)[0]
    assert _failed_tries(demo_file) == 0


@pytest.mark.parametrize("refused", [False, True], ids=["signed-in", "wrong-pin"])
def test_when_only_inicio_failed_there_the_pin_it_checked_is_used_and_inicio_is_asked_again(
        qtbot, runner, demo_file, child_env, monkeypatch, refused):
    """helper-54: a broken journal entry made Inicio's queries fail in the second process after it had counted a
    wrong PIN; the window then checked it again (two tries a start: locked out at the third)."""
    from qaliwarma.domain.people import Signature

    page = first_page.first_page(f"sqlite:///{demo_file}")
    assert isinstance(page.loaded.signature, Signature)
    error = "PIN equivocado. Le quedan 4 intento(s) antes de que se bloquee." if refused else None
    if refused:
        page.loaded.signature = None
    data = pickle.dumps((page.loaded, page.day, None, None, error))  # Inicio's queries failed there
    monkeypatch.setenv("QALIWARMA_PIN", "9999")  # a PIN the window would count as a wrong try if it checked it
    seen = {}

    def ask(self, loaded):
        seen["warnings"] = list(loaded.warnings)
        return None  # «Salir»

    monkeypatch.setattr(MainWindow, "ask_sign_in", ask)
    window = _shown_window(qtbot, runner)
    with qtbot.waitSignal(window.loaded, timeout=60000) as signal:
        window.start(f"sqlite:///{demo_file}", preview=_done(data))
    assert _failed_tries(demo_file) == 0
    if refused:  # said, and asked
        assert signal.args == [False] and seen["warnings"] == [error]
        return
    assert signal.args == [True] and not seen  # not asked: the PIN the second process checked is used
    assert "Rosa Quispe Huamán" in window.member_label.text()
    qtbot.waitUntil(lambda: window.pages["inicio"].is_filled(), timeout=30000)
    assert [card.text.text() for card in window.pages["inicio"].cards] == _expected_cards(demo_file)[0]


def _answer_and_held_opening(demo_file, monkeypatch) -> tuple[bytes, threading.Event]:
    """The second process's answer for the demo committee (read in this process), and an Event that holds the
    window's own opening of the database until it is set."""
    from ui import startup

    page = first_page.first_page(f"sqlite:///{demo_file}")
    data = pickle.dumps((page.loaded, page.day, page.attention, page.steps, page.sign_in_error))
    release = threading.Event()
    real = startup.load

    def slow_load(*args, **kwargs):
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(startup, "load", slow_load)
    return data, release


def _held_opening(qtbot, runner, demo_file, monkeypatch, url: str | None = None):
    """A window showing Inicio from the second process's answer while its own opening of the database is held
    until the returned Event is set."""
    data, release = _answer_and_held_opening(demo_file, monkeypatch)
    window = _shown_window(qtbot, runner)
    with qtbot.waitSignal(window.first_page_filled, timeout=30000):
        window.start(url or f"sqlite:///{demo_file}", preview=_done(data))
    return window, release


def _asking_window(qtbot, runner, demo_file, monkeypatch, act, url: str | None = None):
    """As _held_opening, for a committee whose members sign in and no QALIWARMA_PIN: ``act(window, release,
    dialog)`` runs once the sign-in dialog is up, while the window's own opening is held until ``release`` is
    set. Returns the window and the values ``loaded`` gave."""
    from tests.ui.test_startup import _when_asked_to_sign_in

    monkeypatch.delenv("QALIWARMA_MEMBER")
    monkeypatch.delenv("QALIWARMA_PIN")
    data, release = _answer_and_held_opening(demo_file, monkeypatch)
    assert first_page.read(data).loaded.signature is None  # nobody signed in: the window asks
    window = _shown_window(qtbot, runner)
    signals: list[bool] = []
    window.loaded.connect(signals.append)
    _when_asked_to_sign_in(lambda dialog: act(window, release, dialog))
    window.start(url or f"sqlite:///{demo_file}", preview=_done(data))
    qtbot.waitUntil(lambda: bool(signals), timeout=60000)
    release.set()
    qtbot.wait(300)
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=30000)
    return window, signals


def test_enter_pressed_again_while_the_database_opens_is_one_try_not_five(qtbot, runner, demo_file, child_env,
                                                                         monkeypatch):
    """helper-55: one wrong PIN and Enter five times while the database was still opening queued five checks:
    the member was locked out for 15 minutes."""
    said = []

    def act(window, release, dialog) -> None:
        dialog.member.setCurrentIndex(dialog.member.findData(PRESIDENT))
        dialog.pin.setText("9999")
        for _n in range(5):
            dialog.try_sign_in()
        release.set()
        qtbot.waitUntil(lambda: "PIN equivocado" in dialog.message.text(), timeout=30000)
        qtbot.waitUntil(lambda: not runner.is_busy(), timeout=30000)
        said.append(dialog.message.text())
        dialog.reject()

    _asking_window(qtbot, runner, demo_file, monkeypatch, act)
    assert _failed_tries(demo_file) == 1 and "Le quedan 4 intento(s)" in said[0]


def test_leaving_the_sign_in_while_the_database_opens_tries_no_pin(qtbot, runner, demo_file, child_env,
                                                                   monkeypatch):
    """helper-55: «Salir» with a PIN waiting for the database froze the window for seconds, then counted it."""
    busy = []

    def act(window, release, dialog) -> None:
        dialog.member.setCurrentIndex(dialog.member.findData(PRESIDENT))
        dialog.pin.setText("9999")
        dialog.try_sign_in()
        busy.append(runner.is_busy())  # nothing waits on the worker: leaving does not wait for the database
        dialog.reject()

    window, signals = _asking_window(qtbot, runner, demo_file, monkeypatch, act)
    assert signals == [False] and busy == [False] and not window.isVisible()
    assert _failed_tries(demo_file) == 0


def test_a_database_changed_while_the_sign_in_is_up_closes_it_and_shows_nothing_more(qtbot, runner, demo_file,
                                                                                    db_file, child_env,
                                                                                    monkeypatch):
    """helper-55: the banner said so, then the PIN was checked against the other database and the areas, «Listo.»
    and «Acerca de» came back (loaded True after loaded False)."""
    def act(window, release, dialog) -> None:
        dialog.member.setCurrentIndex(dialog.member.findData(PRESIDENT))
        dialog.pin.setText("1234")
        dialog.try_sign_in()  # waits for the database, which turns out to be another one
        release.set()

    window, signals = _asking_window(qtbot, runner, demo_file, monkeypatch, act, url=f"sqlite:///{db_file}")
    assert signals == [False] and "La base de datos cambió" in window.banner.text.text()
    assert not [key for key, button in window.nav_buttons.items() if button.isVisible()]
    assert not window.about_button.isVisible() and window.isVisible() and window.signature is None


def test_the_upgrade_the_second_process_made_is_said_when_the_window_reads_the_rest_itself(
        qtbot, runner, demo_file, child_env, monkeypatch):
    """helper-55: a database upgraded by the second process, whose Inicio the window then read itself: the
    «se actualizó; hay una copia previa en …» note was lost."""
    page = first_page.first_page(f"sqlite:///{demo_file}")
    page.loaded.backup_path = "/copias/qaliwarma-antes-de-0017.sqlite3"
    data = pickle.dumps((page.loaded, page.day, None, None, None))
    window = _shown_window(qtbot, runner)
    with qtbot.waitSignal(window.loaded, timeout=60000) as signal:
        window.start(f"sqlite:///{demo_file}", preview=_done(data))
    assert signal.args == [True]
    assert "hay una copia previa en /copias/qaliwarma-antes-de-0017.sqlite3" in window.banner.text.text()


def test_a_second_process_that_does_not_answer_in_time_is_ended(demo_file, child_env, monkeypatch):
    """helper-55: stopped (kill -STOP), it kept the window on «Preparando los datos…» for good."""
    import sqlite3

    monkeypatch.setattr(first_page, "TIME_LIMIT", 2)
    lock = sqlite3.connect(demo_file, timeout=0)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        preview = first_page.spawn(["--db", str(demo_file)])
        assert preview.result(timeout=30) is None  # the window then reads everything itself
        assert preview.process.returncode is not None and preview.process.returncode != 0
    finally:
        lock.rollback()
        lock.close()


def test_inicio_clicked_while_the_database_is_being_opened_stays_and_is_the_last_click(qtbot, runner, demo_file,
                                                                                     child_env, monkeypatch):
    """helper-54: Ctrl+1 while opening ran Inicio's queries on no database («'NoneType' object has no attribute
    'session'», left in red on the page); Tesorería clicked before Inicio still opened afterwards."""
    window, release = _held_opening(qtbot, runner, demo_file, monkeypatch)
    errors = []
    runner.unhandled_error.connect(errors.append)
    home = window.pages["inicio"]
    cards = [card.text.text() for card in home.cards]
    window.nav_buttons["tesoreria"].click()
    window.nav_buttons["inicio"].click()
    window._go_to_nth(0)  # Ctrl+1
    assert window.current_area() == "inicio" and home.is_filled()
    with qtbot.waitSignal(window.loaded, timeout=30000):
        release.set()
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=30000)
    assert window.current_area() == "inicio" and not home.error.isVisible() and errors == []
    assert [card.text.text() for card in home.cards] == cards


def test_ir_a_almacen_clicked_while_the_database_is_being_opened_selects_its_lot(qtbot, runner, demo_file,
                                                                                child_env, monkeypatch, wait_idle):
    window, release = _held_opening(qtbot, runner, demo_file, monkeypatch)
    card = next(card for card in window.pages["inicio"].cards if card.item.area == "almacen" and card.item.lots)
    card.button.click()
    with qtbot.waitSignal(window.loaded, timeout=30000):
        release.set()
    wait_idle()
    store = window.pages["almacen"]
    qtbot.waitUntil(lambda: store.selected_code() == card.item.lots[0][0], timeout=30000)
    assert window.current_area() == "almacen"


def test_a_later_click_drops_the_lot_of_an_earlier_ir_a_almacen(qtbot, runner, demo_file, child_env, monkeypatch,
                                                                wait_idle):
    """helper-55: «Ir a Almacén», then Tesorería, then Almacén from the menu: the card's lot was still selected."""
    window, release = _held_opening(qtbot, runner, demo_file, monkeypatch)
    card = next(card for card in window.pages["inicio"].cards if card.item.area == "almacen" and card.item.lots)
    card.button.click()
    window.nav_buttons["tesoreria"].click()
    window.nav_buttons["almacen"].click()
    with qtbot.waitSignal(window.loaded, timeout=30000):
        release.set()
    wait_idle()
    store = window.pages["almacen"]
    qtbot.waitUntil(lambda: store.selected_code() is not None, timeout=30000)
    assert window.current_area() == "almacen" and store.selected_code() != card.item.lots[0][0]


def test_a_database_changed_between_the_two_openings_is_said_and_no_area_opens(qtbot, runner, demo_file, db_file,
                                                                             child_env, monkeypatch):
    """helper-54: the file moved away meanwhile: the window opened a new empty database under the old one's
    header, Inicio and «Firmó» (Menú: «No existe el comité n.º 1.»)."""
    window, release = _held_opening(qtbot, runner, demo_file, monkeypatch, url=f"sqlite:///{db_file}")
    with qtbot.waitSignal(window.loaded, timeout=60000) as signal:
        release.set()
    assert signal.args == [False]
    assert window.banner.isVisible() and "La base de datos cambió" in window.banner.text.text()
    assert not [key for key, button in window.nav_buttons.items() if button.isVisible()]
    window.show_area("menu")
    assert window.current_area() == "inicio" and "menu" not in window.pages.built()


def test_closing_the_window_ends_a_second_process_still_reading(demo_file, child_env, tmp_path):
    """helper-54: closed 0.25 s after starting, the second process went on and created the database after."""
    import sqlite3

    lock = sqlite3.connect(demo_file, timeout=0)
    lock.execute("BEGIN EXCLUSIVE")  # the second process waits for the database
    try:
        preview = first_page.spawn(["--db", str(demo_file)])
        assert preview.process.poll() is None
        first_page.stop(preview)
        assert preview.result(timeout=30) is None and preview.process.returncode != 0
    finally:
        lock.rollback()
        lock.close()


def test_the_second_process_runs_the_programs_code_not_the_current_folders(demo_file, child_env, tmp_path,
                                                                           monkeypatch):
    """helper-54: `python -m ui.app` searched the folder the program was started from first: a `ui` there ran in
    the second process's place, read QALIWARMA_PIN and could sign anyone in."""
    planted = tmp_path / "carpeta" / "ui"
    planted.mkdir(parents=True)
    ran = tmp_path / "ran"
    (planted / "__init__.py").write_text("")
    (planted / "app.py").write_text(f"open({str(ran)!r}, 'w').write('x')\n")
    monkeypatch.chdir(planted.parent)
    page = first_page.read(first_page.spawn(["--db", str(demo_file)]).result(timeout=120))
    assert not ran.exists()
    assert page is not None and page.loaded.committee.name == SCHOOL


def test_arguments_the_window_does_not_take_start_nothing(tmp_path):
    """helper-54: `--bogus` or `--lang fr` created the data folder (the second process's check read it first)."""
    folder = tmp_path / "datos"
    env = {**os.environ, "QALIWARMA_DATA_DIR": str(folder), "QT_QPA_PLATFORM": "offscreen"}
    for args in (["--bogus"], ["--lang", "fr"]):
        out = subprocess.run([sys.executable, "-m", "ui.app", *args], capture_output=True, text=True, env=env,
                             timeout=120)
        assert out.returncode == 2 and "uso:" in out.stderr
        assert not folder.exists()


def test_only_the_parts_of_a_first_page_are_read_from_the_second_process(tmp_path):
    made = tmp_path / "made-by-the-bytes"

    class Trap:
        def __reduce__(self):
            return (os.mkdir, (str(made),))

    assert first_page.read(pickle.dumps((Trap(), DEMO_TODAY, [], [], None))) is None
    assert not made.exists()


def test_a_first_page_is_read_without_sqlalchemy_nor_qt(demo_file, child_env):
    """What makes it worth a second process: the window shows its answer without importing what the second
    process imported for it (a value type moved back beside its service would import SQLAlchemy here)."""
    data = subprocess.run([sys.executable, "-m", "ui.app", first_page.FLAG, "--db", str(demo_file)],
                          capture_output=True, timeout=120).stdout
    check = ("import sys\nfrom ui.first_page import read\npage = read(sys.stdin.buffer.read())\n"
             "print(page.loaded.committee.name, len(page.attention), page.loaded.signature.name)\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'PySide6')))")
    out = subprocess.run([sys.executable, "-c", check], input=data, capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr.decode()[-2000:]
    name_line, modules_line = out.stdout.decode().splitlines()
    assert name_line == f"{SCHOOL} {len(_expected_cards(demo_file)[0])} Rosa Quispe Huamán"
    assert modules_line == "[]"


def test_the_installers_smoke_check_starts_the_second_process_as_the_window_does():
    """installer/smoke.py runs only the standard library, so it names the flag itself: the same one."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("smoke", Path(__file__).parents[2] / "installer" / "smoke.py")
    smoke = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(smoke)
    assert smoke.FIRST_PAGE_FLAG == first_page.FLAG
    assert first_page.command(["--db", "x"])[-3:] == [first_page.FLAG, "--db", "x"]

