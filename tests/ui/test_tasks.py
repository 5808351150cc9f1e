"""The runner: service calls off the GUI thread, outcomes back on it, errors in Spanish."""

from __future__ import annotations

import threading
import time

from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from qaliwarma.errors import NotFound
from ui.tasks import TaskRunner, UnexpectedError


def test_work_runs_on_one_worker_and_results_come_back_on_the_gui_thread(qtbot, runner, wait_idle):
    gui = threading.get_ident()
    ran_on, delivered_on, results = [], [], []

    def work(n):
        ran_on.append(threading.get_ident())
        return n * 2

    for n in range(5):
        runner.run(lambda n=n: work(n), lambda r: (results.append(r), delivered_on.append(threading.get_ident())))
    wait_idle()
    assert results == [0, 2, 4, 6, 8]  # in order
    assert len(set(ran_on)) == 1 and ran_on[0] != gui
    assert set(delivered_on) == {gui}


def test_a_domain_error_reaches_on_error_with_its_message(qtbot, runner, wait_idle):
    errors = []
    runner.run(lambda: (_ for _ in ()).throw(NotFound("No existe el alimento «Z9».")), lambda r: None,
               on_error=errors.append)
    wait_idle()
    assert [str(e) for e in errors] == ["No existe el alimento «Z9»."]


def test_an_unexpected_failure_is_reported_in_plain_words(qtbot, runner, wait_idle):
    with qtbot.waitSignal(runner.unhandled_error) as signal:
        runner.run(lambda: 1 / 0)
    wait_idle()
    assert "problema inesperado" in signal.args[0]
    assert "ZeroDivisionError" in signal.args[0]
    errors = []
    runner.run(lambda: {}["x"], on_error=errors.append)
    wait_idle()
    assert isinstance(errors[0], UnexpectedError)


def test_only_the_latest_search_is_delivered(qtbot, runner, wait_idle):
    delivered, ran = [], []
    gate = threading.Event()
    runner.run(lambda: gate.wait(5))  # keeps the worker busy while the user types
    for text in ("l", "le", "len", "lenteja"):
        runner.run(lambda t=text: ran.append(t) or t, delivered.append, key="search")
    gate.set()
    wait_idle()
    assert delivered == ["lenteja"]
    assert ran == ["lenteja"]  # the stale ones were not even executed


def test_results_for_a_closed_page_are_dropped(qtbot, runner, wait_idle):
    owner = QWidget()
    delivered = []
    gate = threading.Event()
    runner.run(lambda: gate.wait(5) and "x", delivered.append, owner=owner)
    owner.deleteLater()
    QApplication.processEvents()
    qtbot.wait(10)
    gate.set()
    wait_idle()
    assert delivered == []


def test_progress_shows_only_for_slow_work(qtbot, wait_idle):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    runner = TaskRunner(dialog_parent=parent)
    try:
        runner.run(lambda: None, progress="Rápido…")
        qtbot.waitUntil(lambda: not runner.is_busy())
        qtbot.wait(600)
        assert not parent.findChildren(QProgressDialog)

        runner.run(lambda: time.sleep(2), progress="Guardando…")
        qtbot.waitUntil(lambda: any(d.isVisible() for d in parent.findChildren(QProgressDialog)), timeout=1900)
        dialog = next(d for d in parent.findChildren(QProgressDialog) if d.isVisible())
        assert dialog.labelText() == "Guardando…"
        qtbot.waitUntil(lambda: not runner.is_busy(), timeout=5000)
        qtbot.waitUntil(lambda: not any(d.isVisible() for d in parent.findChildren(QProgressDialog)))
    finally:
        runner.shutdown()


def test_a_runner_shut_down_mid_task_leaves_no_progress_dialog_blocking_the_screen(qtbot):
    """A window closed while its slow work runs: its «Un momento» must not stay on screen, modal, forever."""
    runner = TaskRunner()  # no dialog parent: the progress dialog is a window of its own
    release = threading.Event()
    runner.run(lambda: release.wait(5), progress="Calculando…")
    queued = runner.run(lambda: None, progress="En cola…")  # never starts: shut down first
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None, timeout=3000)
    release.set()
    runner.shutdown()
    late = runner.run(lambda: None, progress="Actualizando…")  # a page refreshing as its window closes
    qtbot.wait(900)  # past the progress delay
    assert queued.cancelled and late.cancelled
    assert QApplication.activeModalWidget() is None
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]


def test_garbage_is_collected_on_the_gui_thread_only(qtbot, runner):
    """Automatic collection could run on the database thread and destroy Qt objects there (a crash)."""
    import gc
    import weakref

    assert not gc.isenabled()

    class Cycle:
        pass

    a, b = Cycle(), Cycle()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b
    kept = [Cycle() for _ in range(3000)]  # allocations cross the first threshold
    qtbot.waitUntil(lambda: gone() is None, timeout=5000)
    assert len(kept) == 3000


def test_pages_hear_what_an_operation_recorded(ctx, wait_idle):
    """ctx.write tells the pages the areas the journal says the operation touched, then hands the result."""
    from datetime import date

    from qaliwarma.services import incidents

    heard, results = [], []
    ctx.data_changed.connect(heard.append)
    incident = incidents.Incident(date(2026, 11, 20), "entrega_tardia", "El camión llegó a las 11")
    ctx.write(lambda: incidents.record(ctx.db, ctx.committee.id, incident, user="prueba"), results.append)
    wait_idle()
    assert heard == ["incident"] and len(results) == 1
    ctx.write(lambda: incidents.record(ctx.db, ctx.committee.id, incident, user=""), results.append,
              on_error=lambda e: None)  # refused: nothing recorded, nothing to refresh
    wait_idle()
    assert heard == ["incident"] and len(results) == 1
