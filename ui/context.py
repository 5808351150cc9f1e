"""What a page of the main window receives: the services it needs, never the main window.

``AppContext`` holds the open database, the task runner (one database worker thread) and the
current committee, and carries two notifications: the committee changed, and records of some kind
changed (pages refresh what they show when told, not by polling).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from .tasks import TaskRunner

# Kinds of records for ``data_changed``: a page that shows stock listens for "stock", etc.
KINDS = ("menu", "stock", "service", "treasury", "incident", "period", "recipes", "committee", "supervision")


class AppContext(QObject):
    committee_changed = Signal(object)  # CommitteeInfo | None
    data_changed = Signal(str)  # one of KINDS
    lot_wanted = Signal(str, int)  # food code, lot id: a page points at a lot (Inicio's «Ir a Almacén»)

    def __init__(self, db, runner: TaskRunner, committee=None, *, user: str = "") -> None:
        super().__init__()
        self.db = db
        self.runner = runner
        self.committee = committee
        self.user = user or _system_user()

    def set_committee(self, info) -> None:
        self.committee = info
        self.committee_changed.emit(info)

    def changed(self, kind: str) -> None:
        """Tell every page that records of ``kind`` changed."""
        self.data_changed.emit(kind)

    def write(self, fn, on_done=None, **options):
        """Run an operation that records something on the worker, then tell the pages what it changed
        (``services.changes``: the areas of the journal entries it appended, not a guess), then call
        ``on_done`` with its result. ``options`` as for ``TaskRunner.run``."""
        from qaliwarma.services import changes

        db, cid = self.db, self.committee.id

        def done(changed) -> None:
            for area in sorted(changed.areas):
                self.changed(area)
            if on_done is not None:
                on_done(changed.result)

        return self.runner.run(lambda: changes.recording(db, cid, fn), done, **options)


def _system_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name on some Windows set-ups
        return "usuario"
