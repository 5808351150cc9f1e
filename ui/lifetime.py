"""Keep ``None``, ``True`` and ``False`` alive for as long as the process runs, as Python 3.12+ does.

Why: the «Fatal Python error: none_dealloc» (and «bool_dealloc») at exit. PySide6 6.12's wrappers
return ``None`` from every void Qt method (``setText``, ``show``, ``processEvents``…) and ``True`` from
``Signal.emit()`` without taking a new reference: they are built for Python 3.12+, where those three
objects are immortal and their count is never looked at. On CPython 3.11 each such call takes one
reference away. ``None`` starts with a few thousand; after enough calls (a long session, or the demo's
thousands of widget updates) its count reaches zero — usually while the interpreter is shutting down
and releasing its own references — and Python aborts. Measured: 100 calls to ``QLabel.setText`` lower
``sys.getrefcount(None)`` by 100; 100 ``emit()`` lower ``sys.getrefcount(True)`` by 100.

The cure in the interpreter is what 3.12 did: make those objects immortal. Here (3.11 only) their
count is raised once by 2**40 at start-up, so the lost references can never bring it to zero; nothing
else changes. On 3.12+ this does nothing. ``tests/ui/test_robustness.py`` checks that a long run of
such calls leaves the interpreter standing.
"""

from __future__ import annotations

import sys

MARGIN = 1 << 40


def keep_singletons_alive() -> bool:
    """Raise the reference count of None/True/False on CPython < 3.12 (once). True if it did."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if getattr(keep_singletons_alive, "done", False):
        return True
    import ctypes

    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += MARGIN  # ob_refcnt is the first field
    keep_singletons_alive.done = True  # type: ignore[attr-defined]
    return True
