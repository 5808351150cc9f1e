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

# Libraries the program imports that never mention PySide6 (checked for the installed versions by
# tests/ui/test_startup.py): PySide6's answer for each of their modules is known without reading it. Before
# the first page alone, SQLAlchemy's 108 modules were read (5.9 MB; some 10 ms of every start, and that much
# more from the disk on the first start of a day). PIL is not here: its ImageQt mentions PySide6.
WITHOUT_QT = frozenset({
    "sqlalchemy", "alembic", "mako", "psycopg", "argon2", "_argon2_cffi_bindings", "typing_extensions",
    "pandas", "numpy", "openpyxl", "et_xmlfile", "dateutil", "reportlab", "pint", "babel", "platformdirs",
    "highspy",
})


def _mentions_pyside(module) -> bool:
    """What PySide6 asks of a module (``"PySide6" in inspect.getsource(module)``), reading its file once
    without keeping it. A module without a source file does not use PySide6, as PySide6 itself decides; nor
    does Python's own library (not read). The file is read from the module's own namespace: a module still
    waiting to be imported (qaliwarma/deferred.py) is not woken by the question. A module of a library in
    ``WITHOUT_QT`` is not read either."""
    names = vars(module) if hasattr(module, "__dict__") else None
    path = names.get("__file__") if names is not None else getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False
    name = names.get("__name__") if names is not None else None
    if isinstance(name, str) and name.partition(".")[0] in WITHOUT_QT:
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
