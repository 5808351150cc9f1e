"""PySide6 set up for this application.

PySide6 checks every module imported after it (for its optional ``from __feature__ import …``) by asking
``inspect.getsource`` whether the module's text mentions PySide6. That keeps the text of every imported
module, line by line, in ``linecache`` for the life of the program: about 25 MB of the window's memory
(six hundred modules: SQLAlchemy, the services, the pages), and the time to read and split them.
:func:`lighten_imports` keeps the same check (the file's text mentions PySide6) without keeping the text.
"""

from __future__ import annotations

import sys


def _standard_library() -> tuple[str, ...]:
    import sysconfig

    paths = sysconfig.get_paths()
    return tuple({paths["stdlib"], paths["platstdlib"]})


_STDLIB = _standard_library()


def _mentions_pyside(module) -> bool:
    """What PySide6 asks of a module (``"PySide6" in inspect.getsource(module)``), reading its file once
    without keeping it. A module without a source file does not use PySide6, as PySide6 itself decides; nor
    does Python's own library (not read). The file is read from the module's own namespace: a module still
    waiting to be imported (qaliwarma/deferred.py) is not woken by the question."""
    path = vars(module).get("__file__") if hasattr(module, "__dict__") else getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False
    if path.startswith(_STDLIB) and "site-packages" not in path:
        return False
    try:
        with open(path, "rb") as fh:
            return b"PySide6" in fh.read()
    except OSError:
        return False


def lighten_imports() -> bool:
    """Replace PySide6's module check (see the module's text). False when this PySide6 has none."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = _mentions_pyside
    return True
