"""Run core service calls off the GUI thread, one at a time, and deliver the outcome back to it.

Like Anki's ``QueryOp``: a page hands the runner a function (a service call on plain data), the runner
executes it on its single database worker thread and calls ``on_done(result)`` — or ``on_error(error)``
for a :class:`~qaliwarma.errors.QaliwarmaError` — on the GUI thread. A busy dialog appears only when
the work lasts more than half a second. No widget is touched from the worker; services return plain
dataclasses, so nothing attached to a database session crosses threads.

A task may carry a ``key``: when a newer task with the same key is submitted (search as you type), the
older one is skipped if it has not started and its result is dropped if it has.
"""

from __future__ import annotations

import gc
import itertools
import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from .i18n import _

log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 500


class _GuiThreadGarbageCollector(QObject):
    """Python's cyclic garbage collector, run only on the GUI thread.

    Left automatic, the collector runs on whichever thread happens to allocate when a threshold is
    crossed, and that can be the database thread: it then destroys Qt objects (a closed dialog, a
    page's old wrappers) away from the GUI thread, and the program crashes. So automatic collection is
    turned off and a timer on the GUI thread collects with the usual thresholds (the approach of
    calibre and Eric).
    """

    INTERVAL_MS = 500
    # Start-up creates some 400,000 objects (SQLAlchemy, the models, the services) that live as long as the
    # program; the window moves them out of the collector's sight with gc.freeze() once they are loaded. A
    # collection before that walks them all (15-20 ms on the first page's critical path) to free nothing, so
    # the first collections wait for the freeze, or for this long if it never comes (a database that failed
    # to open).
    START_GRACE_S = 3.0

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self._threshold = gc.get_threshold()
        gc.disable()
        self._since = time.monotonic()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(self.INTERVAL_MS)

    def check(self) -> None:
        counts = gc.get_count()
        if counts[0] <= self._threshold[0]:
            return
        if not gc.get_freeze_count() and time.monotonic() - self._since < self.START_GRACE_S:
            return  # still starting: see START_GRACE_S
        generation = 2 if counts[2] > self._threshold[2] else 1 if counts[1] > self._threshold[1] else 0
        gc.collect(generation)


_collector: _GuiThreadGarbageCollector | None = None


def _collect_garbage_on_gui_thread() -> None:
    global _collector
    app = QCoreApplication.instance()
    if _collector is None and app is not None:
        _collector = _GuiThreadGarbageCollector(app)


class UnexpectedError(Exception):
    """A failure that is not a domain error (a bug or a broken installation), worded for the user."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            _("Ocurrió un problema inesperado y la operación no se completó. Cierre y vuelva a abrir el "
              "programa; si se repite, comunique este detalle al soporte técnico:") + f"\n{detail}"
        )
        self.detail = detail


@dataclass(eq=False)
class Task:
    id: int
    fn: Callable[[], Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[Exception], None] | None
    key: str | None = None
    progress: str | None = None
    owner: QObject | None = None
    cancelled: bool = False
    dialog: QProgressDialog | None = field(default=None, repr=False)
    timer: QTimer | None = field(default=None, repr=False)


class _Worker(QObject):
    """Lives on the database thread: runs each submitted function in turn and reports the outcome."""

    finished = Signal(int, object, object)  # task id, result, error

    def __init__(self, is_stale: Callable[[int], bool]) -> None:
        super().__init__()
        self._is_stale = is_stale

    @Slot(int, object)
    def execute(self, task_id: int, fn: Callable[[], Any]) -> None:  # database thread: no widgets here
        if self._is_stale(task_id):
            self.finished.emit(task_id, None, None)
            return
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - delivered to the GUI thread, never lost
            from qaliwarma.errors import QaliwarmaError

            if not isinstance(exc, QaliwarmaError):
                log.error("Tarea fallida:\n%s", traceback.format_exc())
                exc = UnexpectedError(f"{type(exc).__name__}: {exc}")
            self.finished.emit(task_id, None, exc)
            return
        self.finished.emit(task_id, result, None)


class TaskRunner(QObject):
    """One database worker thread. ``run(fn, on_done, on_error=…, key=…, progress=…, owner=…)``.

    Call :meth:`shutdown` before dropping a runner (the application does it when it quits).
    """

    busy_changed = Signal(bool)
    #: an error nobody handled: (message). The main window shows it.
    unhandled_error = Signal(str)
    _submit = Signal(int, object)

    def __init__(self, parent: QObject | None = None, *, dialog_parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _collect_garbage_on_gui_thread()
        self._tasks: dict[int, Task] = {}
        self._closed = False
        self._latest: dict[str, int] = {}
        self._ids = itertools.count(1)
        self.dialog_parent = dialog_parent
        self._thread = QThread()
        self._thread.setObjectName("qaliwarma-base-de-datos")
        self._worker = _Worker(self._stale_id)
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.execute, Qt.ConnectionType.QueuedConnection)
        self._worker.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        self._thread.start()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)  # the thread must end before the application does

    # ------------------------------------------------------------------ API
    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        *,
        on_error: Callable[[Exception], None] | None = None,
        key: str | None = None,
        progress: str | None = None,
        owner: QObject | None = None,
    ) -> Task:
        """Queue ``fn`` on the worker. ``owner``: callbacks are skipped if it was destroyed meanwhile."""
        task = Task(next(self._ids), fn, on_done, on_error, key, progress, owner)
        if self._closed:  # shut down (the window closed): nothing runs, and no «Un momento» waits for it forever
            task.cancelled = True
            return task
        if key is not None:
            self._latest[key] = task.id
        was_idle = not self._tasks
        self._tasks[task.id] = task
        if progress:
            task.timer = QTimer(self)
            task.timer.setSingleShot(True)
            task.timer.timeout.connect(lambda t=task: self._show_progress(t))
            task.timer.start(PROGRESS_DELAY_MS)
        self._submit.emit(task.id, fn)
        if was_idle:
            self.busy_changed.emit(True)
        return task

    def is_busy(self) -> bool:
        return bool(self._tasks)

    def shutdown(self) -> None:
        """Skip what has not started, let the running call finish, stop the thread (at exit)."""
        self._closed = True
        for task in self._tasks.values():
            task.cancelled = True
            # a task that will never report back must not leave its «Un momento, por favor» on screen: a
            # parentless progress dialog outlived its runner and blocked every later window (found by a test)
            if task.timer is not None:
                task.timer.stop()
            if task.dialog is not None and shiboken6.isValid(task.dialog):
                task.dialog.close()
                task.dialog.deleteLater()
                task.dialog = None
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()

    # ------------------------------------------------------------------ internals
    def _stale(self, task: Task) -> bool:
        return task.cancelled or (task.key is not None and self._latest.get(task.key) != task.id)

    def _stale_id(self, task_id: int) -> bool:  # called on the worker: reads dicts, touches no widget
        task = self._tasks.get(task_id)
        return task is None or self._stale(task)

    def _show_progress(self, task: Task) -> None:
        if task.id not in self._tasks:
            return
        parent = self.dialog_parent if self.dialog_parent is not None and shiboken6.isValid(self.dialog_parent) else None
        dialog = QProgressDialog(task.progress or "", "", 0, 0, parent)
        dialog.setWindowTitle(_("Un momento, por favor"))
        dialog.setCancelButton(None)
        dialog.setMinimumDuration(0)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()
        task.dialog = dialog

    @Slot(int, object, object)
    def _finished(self, task_id: int, result: object, error: object) -> None:
        task = self._tasks.pop(task_id, None)
        if task is None:
            return
        if task.timer is not None:
            task.timer.stop()
            task.timer.deleteLater()
        if task.dialog is not None:
            task.dialog.close()
            task.dialog.deleteLater()
        try:
            alive = task.owner is None or shiboken6.isValid(task.owner)
            if alive and not self._stale(task):
                if error is not None:
                    if task.on_error is not None:
                        task.on_error(error)
                    else:
                        self.unhandled_error.emit(str(error))
                elif task.on_done is not None:
                    task.on_done(result)
        finally:
            if task.key is not None and self._latest.get(task.key) == task.id:
                del self._latest[task.key]
            if not self._tasks:
                self.busy_changed.emit(False)
