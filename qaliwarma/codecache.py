"""The compiled methods of the program's dataclasses (and the code SQLAlchemy generates), kept beside its
bytecode like a ``.pyc``.

Python builds a dataclass's ``__init__``, ``__repr__``, ``__eq__``, ``__hash__`` (and, frozen, ``__setattr__``
and ``__delattr__``) by writing their source text and compiling it, every time the class is defined: about
1 ms per class here, some 100 ms of CPU for the hundred classes defined before the first page is filled (the
biggest single piece of start-up after SQLAlchemy's own import), and more on each page's first visit.
Python's ``.pyc`` files keep the compiled class *bodies* but not these methods.

:func:`install` gives the ``dataclasses`` module an ``exec`` of its own that looks the source text up in a
table of code objects compiled earlier (``marshal``, as ``.pyc`` files are) and compiles only what it has
not seen; the code is the same: compiled from the same text, with the same file name ``<string>`` and no
inherited ``__future__`` flags, exactly as ``exec(text)`` compiles it in ``dataclasses``. :func:`save`, run
when the program ends, writes the table if something new was compiled.

SQLAlchemy does the same while it is imported and while our models are mapped: its decorators write and
compile functions (``sqlalchemy.util.langhelpers``, with ``compile``) and each annotation of a mapped column is
evaluated from its text (``sqlalchemy.util.typing``, with ``eval``): some 600 compilations, about 20 ms of each
start. :func:`install` gives those two modules a ``compile`` and an ``eval`` that take the code from the same
table, compiled exactly as the builtins would have compiled it there (same text, file name, mode and inherited
``__future__`` flags); the builtins then run it as before.

The table lives where the program's bytecode lives (``qaliwarma/__pycache__/``), never in the user's
folders: whoever may change it could already change the program (its ``.pyc`` files). An installed copy
usually cannot write there (a per-user Windows install can, as it can write its own ``.pyc`` files); its
table is built with the application (:func:`build`, from ``installer/qaliwarma.spec``). A table that cannot be
read (damaged: its SHA-256 is checked first; another Python) is ignored and the methods are compiled as
without it.
"""

from __future__ import annotations

import builtins
import marshal
import os
import sys
import threading
from pathlib import Path

_MAGIC = b"QWDC2"  # this file's own format, then Python's bytecode version (_python_magic), the payload's SHA-256
_LIMIT = 4_000  # entries kept at most (about 3 MB): a table that grew past it keeps this run's only

# libraries the program imports only when needed that define dataclasses (argon2: on the first PIN check)
LIBRARIES_DEFINING_AT_RUN_TIME = ("argon2",)

_state: dict = {}
_lock = threading.Lock()


def cache_file() -> Path:
    """``qaliwarma/__pycache__/dataclasses.<python tag>.marshal``: beside the package's bytecode."""
    tag = sys.implementation.cache_tag or "python"
    return Path(__file__).resolve().parent / "__pycache__" / f"dataclasses.{tag}.marshal"


def _python_magic() -> bytes:
    from importlib.util import MAGIC_NUMBER

    return bytes(MAGIC_NUMBER)


def _read(path: Path) -> dict:
    """The table, or {} when it is absent, damaged, another format or another Python's. Its bytes are checked
    against the SHA-256 written with them before ``marshal`` reads them: a damaged table (one flipped bit) could
    otherwise stop every start, take gigabytes, or give a class a wrong method."""
    import hashlib

    try:
        data = path.read_bytes()
    except OSError:
        return {}
    head = len(_MAGIC) + len(_python_magic())
    if data[:head] != _MAGIC + _python_magic() or len(data) < head + 32:
        return {}
    digest, payload = data[head:head + 32], data[head + 32:]
    if hashlib.sha256(payload).digest() != digest:
        return {}
    try:
        table = marshal.loads(payload)
    except Exception:  # noqa: BLE001 - whatever a table that passed its checksum still gets wrong: not used
        return {}
    if not isinstance(table, dict) or not all(isinstance(k, str) and isinstance(v, type(_read.__code__))
                                              for k, v in table.items()):
        return {}
    return table


def _write(path: Path, table: dict) -> None:
    import hashlib

    payload = marshal.dumps(table)
    path.write_bytes(_MAGIC + _python_magic() + hashlib.sha256(payload).digest() + payload)


def _cached_exec(source, globals=None, locals=None, /):  # noqa: A002 - the signature of builtins.exec
    if isinstance(source, str):
        text = source  # as builtins.exec(text) compiles it there: file name "<string>", no __future__ flags
        source = _table_code(text, lambda: compile(text, "<string>", "exec", dont_inherit=True))
    return builtins.exec(source, globals, locals)


def _table_code(key: str, make):
    """The code the table holds (or this run compiled) for ``key``, else ``make()`` (kept as new)."""
    state = _state
    code = state["table"].get(key)
    if code is not None:
        state["used"].add(key)
        return code
    code = state["new"].get(key)
    if code is None:
        code = make()
        with _lock:
            state["new"][key] = code
            state["compiled"] += 1
    return code


def _future_mask() -> int:
    """The ``__future__`` flags a compilation inherits from the calling code (CPython's PyCF_MASK): every
    feature's flag but ``nested_scopes``, which Python 3 always has and never passes on."""
    import __future__

    mask = 0
    for name in __future__.all_feature_names:
        if name != "nested_scopes":
            mask |= getattr(__future__, name).compiler_flag
    return mask


_FUTURE_MASK = _future_mask()


def _cached_compile(source, filename, mode, flags=0, dont_inherit=False, optimize=-1, **options):
    """``compile`` as the calling module's builtin: its ``__future__`` flags are inherited unless told not to.
    Kept in the table only when it makes code from text with nothing but ``__future__`` flags (never an AST,
    never with other options); the key holds the optimisation level in effect (``-O``)."""
    if not dont_inherit:
        flags |= sys._getframe(1).f_code.co_flags & _FUTURE_MASK
    if options or flags & ~_FUTURE_MASK or not isinstance(source, str) or not isinstance(filename, str):
        return compile(source, filename, mode, flags, True, optimize, **options)
    level = sys.flags.optimize if optimize == -1 else optimize
    key = f"\0compile\0{filename}\0{mode}\0{flags}\0{level}\0{source}"
    return _table_code(key, lambda: compile(source, filename, mode, flags, True, optimize))


def _cached_eval(source, globals=None, locals=None, /):  # noqa: A002 - the signature of builtins.eval
    """``eval`` as the calling module's builtin: a text is compiled as "<string>" with the caller's ``__future__``
    flags, leading spaces and tabs dropped; without ``globals`` it runs in the caller's namespace."""
    caller = sys._getframe(1)
    if globals is None:
        globals, locals = caller.f_globals, caller.f_locals if locals is None else locals
    if isinstance(source, str):
        text, flags = source.lstrip(" \t"), caller.f_code.co_flags & _FUTURE_MASK
        key = f"\0eval\0{flags}\0{sys.flags.optimize}\0{text}"
        source = _table_code(key, lambda: compile(text, "<string>", "eval", flags, True))
    return builtins.eval(source, globals, locals)


# the library modules given the table's ``compile``/``eval`` (see the module's text), as they are imported
LIBRARY_NAMES = {"sqlalchemy.util.langhelpers": ("compile", _cached_compile),
                 "sqlalchemy.util.typing": ("eval", _cached_eval)}


def _give(module) -> None:
    name, function = LIBRARY_NAMES[module.__name__]
    setattr(module, name, function)  # found before the builtin by the module's own functions


class _LibraryFinder:
    """First on ``sys.meta_path``: each library module is found by the other finders as usual, and given its
    function as soon as it has run (before any other module calls it). It stays there, answering nothing for
    any other module: taking it out while the other thread imports Qt could make that thread skip a finder
    (``importlib`` walks the live list)."""

    def find_spec(self, fullname, path, target=None):
        if fullname not in LIBRARY_NAMES:
            return None
        for finder in list(sys.meta_path):
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if getattr(spec.loader, "exec_module", None) is None:
            return spec
        spec.loader = _GivingLoader(spec.loader)  # one loader may serve many modules: it is not changed
        return spec


class _GivingLoader:
    """The module's own loader runs it; then the module is given its function, and its own loader back."""

    def __init__(self, loader) -> None:
        self._loader = loader

    def __getattr__(self, name):
        loader = self.__dict__.get("_loader")  # absent while copy or pickle builds a new one
        if loader is None:
            raise AttributeError(name)
        return getattr(loader, name)

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module) -> None:
        module.__loader__ = self._loader
        if module.__spec__ is not None:
            module.__spec__.loader = self._loader
        self._loader.exec_module(module)
        _give(module)


def _give_libraries() -> None:
    waiting = False
    for name in LIBRARY_NAMES:
        module = sys.modules.get(name)
        if module is not None:
            _give(module)
        else:
            waiting = True
    if waiting and not any(isinstance(f, _LibraryFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _LibraryFinder())


def install(path: Path | None = None) -> bool:
    """Use the table from now on (once per process; later calls do nothing). False when the environment
    says not to (``QALIWARMA_CODE_CACHE=0``, for measuring without it)."""
    if _state:
        return True
    if os.environ.get("QALIWARMA_CODE_CACHE") == "0":
        return False
    import dataclasses

    path = path or cache_file()
    _state.update(path=path, table=_read(path), new={}, used=set(), compiled=0)
    dataclasses.exec = _cached_exec  # found before the builtin by the module's own functions
    _give_libraries()
    import atexit

    atexit.register(save)
    return True


def uninstall() -> None:
    """Back to Python's own ``exec`` (tests)."""
    import dataclasses

    if getattr(dataclasses, "exec", None) is _cached_exec:
        del dataclasses.exec
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _LibraryFinder)]
    for name, (attribute, function) in LIBRARY_NAMES.items():
        module = sys.modules.get(name)
        if module is not None and module.__dict__.get(attribute) is function:
            delattr(module, attribute)
    _state.clear()


def compiled_now() -> int:
    """How many methods this process compiled because the table did not have them."""
    return _state.get("compiled", 0)


def save() -> bool:
    """Write the table if this run compiled something new and bytecode may be written here (not with
    ``PYTHONDONTWRITEBYTECODE``); written whole to a temporary file, then put in place. True if written."""
    if not _state or not _state["new"] or sys.dont_write_bytecode:
        return False
    with _lock:
        table, new, used = _state["table"], dict(_state["new"]), set(_state["used"])
    kept = {**table, **new}
    if len(kept) > _LIMIT:  # older programs' methods pile up: keep what this run used
        kept = {**{k: table[k] for k in used if k in table}, **new}
    path: Path = _state["path"]
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(exist_ok=True)
        _write(tmp, kept)
        os.replace(tmp, path)
    except (OSError, ValueError):  # a folder this user may not write (an installed copy), or something marshal
        # cannot write: the program runs as before
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        return False
    _state["table"] = kept
    _state["new"] = {}
    return True


def build(path: Path) -> int:
    """Import every module of the application with the table recording, then write it to ``path``: the table
    an installed copy ships (``installer/qaliwarma.spec``). Returns the number of methods in it."""
    import importlib
    import pkgutil

    install(path)
    for name in LIBRARIES_DEFINING_AT_RUN_TIME:
        importlib.import_module(name)
    for package_name in ("qaliwarma", "ui"):
        package = importlib.import_module(package_name)
        for info in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            if ".migrations" in info.name:
                continue
            importlib.import_module(info.name)
    from sqlalchemy.orm import configure_mappers

    configure_mappers()  # whatever mapping the models on first use compiles is kept too (today: nothing new)
    dont_write, sys.dont_write_bytecode = sys.dont_write_bytecode, False
    try:
        save()
    finally:
        sys.dont_write_bytecode = dont_write
    return len(_read(path))


if __name__ == "__main__":  # python -m qaliwarma.codecache FILE: build the table (installer/qaliwarma.spec)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    count = build(Path(sys.argv[1]))
    print(f"{count} métodos compilados en {sys.argv[1]}")
