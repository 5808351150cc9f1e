"""Two standard modules imported only when something really uses them: ``asyncio`` and ``importlib.metadata``.

SQLAlchemy imports both whenever it is imported: ``asyncio`` for its asynchronous engine, ``importlib.metadata``
for dialects that other packages plug in. The program uses neither (its engines are synchronous: SQLite, and
PostgreSQL through psycopg's synchronous driver), yet importing them (with ``ssl``, ``socket``, ``email``,
``zipfile``, ``csv``… that they import) cost about 25 ms of every start on the bench's machine, a twentieth of
the time to the first page.

:func:`install`, called first thing by ``qaliwarma`` and ``qaliwarma-gui``, puts a stand-in for each in
``sys.modules``. The first time anything is asked of a stand-in (an attribute, a name imported from it, one of
its submodules imported) the real module is imported, by whichever thread asks, and everything is then read
from the real module: what SQLAlchemy or any other code gets is exactly what it would have got, only later.
Python's import lock keeps two threads from importing the real module twice.

Two details make a stand-in indistinguishable to Python's import system:
- it carries the real module's ``__spec__`` (found without importing it), so ``import asyncio`` and
  ``importlib.util.find_spec`` answer as usual without waking it;
- a submodule imported straight away (``import asyncio.coroutines``, as ``typing_extensions`` does) first
  asks the stand-in for ``__path__``, which imports the real package, which itself imports that submodule;
  Python would then import it a second time. :class:`_AlreadyImported`, first on ``sys.meta_path``, hands
  Python the module already there instead.

Limits, found by a reviewer who tried to break it (none touches the program's own paths):
- ``unittest.mock.patch("importlib.metadata.version")`` on a stand-in patches the stand-in, which then reads
  the real module: the patch has no effect. In the test process both modules are imported before any stand-in
  could be made (pytest imports them), so the program's tests are not concerned.
- The first database error imports asyncio (SQLAlchemy asks whether it was a cancellation): correct, 25 ms late.
- ``importlib.util.find_spec("asyncio.events")`` before asyncio is imported answers with this module's loader
  (:class:`_Present`), not the file's; ``importlib.reload`` of a stand-in fails; a module that kept the
  stand-in's ``iscoroutine`` holds a forwarding function, not asyncio's own.
- Threads importing asyncio's submodules for the first time at once can fail as they do without stand-ins
  (Python 3.11); the program does no asynchronous work.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
import threading
import types

#: the modules deferred, and names read from them while other modules are being imported (given without waking
#: the module: each is a function that calls the real module's function of that name)
DEFERRED: dict[str, tuple[str, ...]] = {
    "asyncio": ("iscoroutine",),  # sqlalchemy.util.concurrency: iscoroutine = asyncio.iscoroutine
    "importlib.metadata": (),
}

_lock = threading.Lock()
_real: dict[str, types.ModuleType] = {}  # the real modules imported through a stand-in, by name
_finder: _AlreadyImported | None = None


class StandIn(types.ModuleType):
    """What ``sys.modules`` holds for a deferred module until it is first used."""

    def __getattr__(self, name: str):  # called only for what the stand-in itself lacks: nearly everything
        return getattr(real_module(self), name)

    def __dir__(self):
        return dir(real_module(self))

    def __repr__(self) -> str:
        return f"<module {self.__name__!r} (aún sin importar)>"


def real_module(stand_in: StandIn) -> types.ModuleType:
    """The real module ``stand_in`` stands for, imported now if it is not yet."""
    name = stand_in.__name__  # set by ModuleType itself: reading it wakes nothing
    module = _real.get(name)
    if module is not None:
        return module
    with _lock:  # only to take the stand-in out of sys.modules once; the import itself runs outside the lock
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
    module = importlib.import_module(name)  # Python's per-module import lock: two threads get the same module
    if isinstance(module, StandIn):  # someone put a stand-in back meanwhile: import it for real
        return real_module(module)
    _real[name] = module
    return module


class _AlreadyImported:
    """First on ``sys.meta_path``: a submodule of a deferred package that the real package imported while
    Python was about to import it (see the module's text) is handed over as it is, not imported again."""

    @staticmethod
    def find_spec(name: str, path=None, target=None):
        if target is not None:  # importlib.reload: not ours
            return None
        parent = name.rpartition(".")[0]
        module = sys.modules.get(name)
        if module is None or parent not in _real or isinstance(module, StandIn):
            return None
        spec = getattr(module, "__spec__", None)
        return importlib.machinery.ModuleSpec(name, _Present(module, spec), origin=getattr(spec, "origin", None))


class _Present:
    """The loader of a module already imported: gives it back, changes nothing (its own ``__spec__`` is put
    back, as Python sets the one it was handed)."""

    def __init__(self, module: types.ModuleType, spec) -> None:
        self.module, self.spec = module, spec

    def create_module(self, spec):
        return self.module

    def exec_module(self, module) -> None:
        if self.spec is not None:
            module.__spec__ = self.spec


def _forward(stand_in: StandIn, attr: str):
    def call(*args, **kwargs):
        return getattr(real_module(stand_in), attr)(*args, **kwargs)

    call.__name__ = call.__qualname__ = attr
    return call


def install() -> None:
    """Put the stand-ins in place: before anything imports the deferred modules (a module already imported is
    left as it is). Safe to call more than once."""
    global _finder
    with _lock:
        if _finder is None:
            _finder = _AlreadyImported()
            sys.meta_path.insert(0, _finder)
    for name, early in DEFERRED.items():
        if name in sys.modules:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None:  # not in this Python: leave the import to fail where it is made, as it would
            continue
        stand_in = StandIn(name)
        for attr in ("__doc__", "__package__", "__loader__"):  # None on a new module: read from the real one
            delattr(stand_in, attr)
        stand_in.__spec__ = spec  # `import asyncio` asks whether it is still being imported: it is not
        for attr in early:
            setattr(stand_in, attr, _forward(stand_in, attr))
        parent, _dot, child = name.rpartition(".")
        sys.modules[name] = stand_in
        if parent:  # `from importlib import metadata` reads the package's attribute
            setattr(importlib.import_module(parent), child, stand_in)


def waiting() -> list[str]:
    """The deferred modules not imported yet (their stand-in is still in sys.modules)."""
    return [name for name in DEFERRED if isinstance(sys.modules.get(name), StandIn)]
