"""The table of dataclass methods (qaliwarma/codecache.py): classes built from it behave exactly as classes
Python builds itself, a second start compiles nothing, and a damaged or unwritable table changes nothing.

Each case runs in a fresh interpreter (a class is built once per process), and what a class does is compared
with the same class built by Python alone (QALIWARMA_CODE_CACHE=0), not with figures written here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# A module without ``from __future__ import annotations`` (the table must not lend it that flag), with what
# dataclasses generate: defaults, a default factory, a field left out of __init__, frozen, ordering, slots.
PROBE = r'''
import dataclasses, inspect, json, os, sys
from decimal import Decimal
from pathlib import Path
from qaliwarma import codecache

installed = codecache.install(Path(sys.argv[1]))

@dataclasses.dataclass(frozen=True, order=True)
class Line:
    code: str
    amount: Decimal = Decimal("0.00")
    tags: tuple = ()
    notes: list = dataclasses.field(default_factory=list, compare=False)
    total: int = dataclasses.field(default=0, init=False)

@dataclasses.dataclass
class Counter:
    name: str
    count: int = 0

a, b = Line("A7", Decimal("1.50")), Line("A7", Decimal("1.50"), notes=["x"])
try:
    a.code = "B"
    frozen = "changed"
except dataclasses.FrozenInstanceError as error:
    frozen = type(error).__name__
c = Counter("raciones")
c.count += 3
facts = {
    "installed": installed,
    "repr": [repr(a), repr(c)],
    "eq": a == b, "hash_eq": hash(a) == hash(b), "lt": Line("A1") < Line("A2"),
    "frozen": frozen,
    "signature": [str(inspect.signature(Line)), str(inspect.signature(Counter))],
    "annotations": repr(Line.__init__.__annotations__),
    "doc": Line.__doc__,
    "fields": [f.name for f in dataclasses.fields(Line)],
    "replace": repr(dataclasses.replace(a, amount=Decimal("2"))),
    "asdict": repr(dataclasses.asdict(c)),
    "counter_unhashable": Counter.__hash__ is None,
    "defaults_fresh": Line("Z").notes is not Line("Z").notes,
}
saved = codecache.save()
print(json.dumps({"facts": facts, "compiled": codecache.compiled_now() if installed else None, "saved": saved}))
'''


def _run(table: Path, *, cache: bool = True, dont_write: bool = False, code: str = PROBE) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "QALIWARMA_CODE_CACHE")}
    env["PYTHONPATH"] = str(ROOT)
    if not cache:
        env["QALIWARMA_CODE_CACHE"] = "0"
    if dont_write:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    out = subprocess.run([sys.executable, "-c", code, str(table)], capture_output=True, text=True, env=env,
                         cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def python_alone(tmp_path_factory) -> dict:
    """What the classes do when Python builds them without the table."""
    result = _run(tmp_path_factory.mktemp("alone") / "t.marshal", cache=False)
    assert result["facts"]["installed"] is False
    return result["facts"]


def _facts(result: dict) -> dict:
    return {k: v for k, v in result["facts"].items() if k != "installed"}


def test_classes_from_the_table_behave_as_pythons_own_and_a_second_start_compiles_nothing(tmp_path, python_alone):
    table = tmp_path / "dataclasses.marshal"
    first = _run(table)
    assert first["saved"] and table.exists()
    assert first["compiled"] > 0  # the first start compiles the methods and keeps them
    second = _run(table)
    assert second["compiled"] == 0 and second["saved"] is False  # all taken from the table
    expected = {k: v for k, v in python_alone.items() if k != "installed"}
    assert _facts(first) == expected
    assert _facts(second) == expected
    assert "'code': <class 'str'>" in expected["annotations"]  # real types: no __future__ flag lent


@pytest.mark.parametrize("damage", [b"", b"not a table at all", b"\xe3\x00\x00\x00garbage"])
def test_a_damaged_table_is_ignored_and_written_again(tmp_path, python_alone, damage):
    table = tmp_path / "dataclasses.marshal"
    table.write_bytes(damage)
    result = _run(table)
    assert _facts(result) == {k: v for k, v in python_alone.items() if k != "installed"}
    assert result["compiled"] > 0 and result["saved"]
    assert _run(table)["compiled"] == 0


def test_a_table_from_another_python_is_not_used(tmp_path):
    from importlib.util import MAGIC_NUMBER

    table = tmp_path / "dataclasses.marshal"
    _run(table)
    data = table.read_bytes()
    assert MAGIC_NUMBER in data[:16]
    table.write_bytes(data.replace(MAGIC_NUMBER, b"\x00\x00\r\n", 1))  # another bytecode version
    assert _run(table)["compiled"] > 0


def test_a_table_with_any_bit_flipped_is_not_used(tmp_path, python_alone):
    """A damaged table (a bad sector, a copy cut short) must not stop the start, take the machine's memory or
    give a class a wrong method: its SHA-256 is checked before it is read. Before, flipping one bit of a real
    table could make every start stop with a traceback, or build ``Line(1)`` with a wrong field."""
    import random

    table = tmp_path / "dataclasses.marshal"
    _run(table)
    data = bytearray(table.read_bytes())
    expected = {k: v for k, v in python_alone.items() if k != "installed"}
    rng = random.Random(17)
    for position in sorted(rng.sample(range(len(data)), 12)):
        damaged = bytearray(data)
        damaged[position] ^= 1 << rng.randrange(8)
        table.write_bytes(bytes(damaged))
        result = _run(table, dont_write=True)
        assert _facts(result) == expected, position
        assert result["compiled"] > 0, position  # compiled again, not taken from the damaged table


def test_nothing_is_written_where_bytecode_may_not_be(tmp_path):
    table = tmp_path / "dataclasses.marshal"
    result = _run(table, dont_write=True)  # PYTHONDONTWRITEBYTECODE, as for .pyc files
    assert result["saved"] is False and not table.exists()
    readonly = tmp_path / "installed"
    readonly.mkdir()
    readonly.chmod(0o500)
    try:
        if os.access(readonly, os.W_OK):  # running as root: a folder that is a file instead
            blocked = tmp_path / "a-file"
            blocked.write_text("x")
            target = blocked / "dataclasses.marshal"
        else:
            target = readonly / "dataclasses.marshal"
        result = _run(target)
        assert result["saved"] is False and result["facts"]["eq"] is True
    finally:
        readonly.chmod(0o700)


def test_the_table_built_for_an_installed_copy_covers_the_start_up(tmp_path):
    """installer/qaliwarma.spec builds the table with ``python -m qaliwarma.codecache FILE``; an installed copy
    cannot write its folder, so what its first page imports must all be in it."""
    table = tmp_path / "dataclasses.marshal"
    env = {k: v for k, v in os.environ.items() if k != "QALIWARMA_CODE_CACHE"}
    env.update(PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    built = subprocess.run([sys.executable, "-m", "qaliwarma.codecache", str(table)], capture_output=True,
                           text=True, env=env, cwd=ROOT, timeout=300)
    assert built.returncode == 0, built.stderr
    start_up = r'''
import json, sys
from pathlib import Path
from qaliwarma import codecache
codecache.install(Path(sys.argv[1]))
import ui.main_window, ui.pages.home, ui.startup
import argon2  # the first PIN check imports it: an installed copy must not compile its dataclasses either
from qaliwarma.services import setup, committee, people, store_views, month_steps, treasury, month_report
from sqlalchemy.orm import configure_mappers
configure_mappers()  # as the first query does: it must find in the table whatever it compiles
print(json.dumps({"facts": {}, "compiled": codecache.compiled_now(), "saved": None}))
'''
    assert _run(table, dont_write=True, code=start_up)["compiled"] == 0


# SQLAlchemy's own generated code (decorators, each mapped column's annotation evaluated): our models mapped with
# the table must come out as without it, and a second start must compile none of it again
SQLALCHEMY_PROBE = r'''
import json, re, sys
from pathlib import Path
from qaliwarma import codecache

installed = codecache.install(Path(sys.argv[1]))
from sqlalchemy import create_engine, inspect, select
from sqlalchemy.orm import Session, configure_mappers
from qaliwarma.persistence import models

configure_mappers()
tables = {t.name: [(c.name, repr(c.type), c.nullable, c.primary_key, re.sub(" at 0x[0-9a-f]+", "", repr(c.default)))
              for c in t.columns]
          for t in models.Base.metadata.sorted_tables}
relations = sorted((m.class_.__name__, r.key, r.mapper.class_.__name__, r.uselist, r.direction.name)
                   for m in models.Base.registry.mappers for r in m.relationships)
engine = create_engine("sqlite://")
models.Base.metadata.create_all(engine)
with Session(engine) as s:
    s.add(models.AppSetting(key="idioma", value="es"))
    s.commit()
    row = s.scalars(select(models.AppSetting).where(models.AppSetting.key == "idioma")).one()
    facts = {"installed": installed, "tables": tables, "relations": relations, "row": [row.key, row.value],
             "state": inspect(row).persistent, "sql": str(select(models.AppSetting.value).where(
                 models.AppSetting.key == "x"))}
saved = codecache.save()
print(json.dumps({"facts": facts, "compiled": codecache.compiled_now() if installed else None, "saved": saved}))
'''


def test_our_models_mapped_with_the_table_are_as_without_it_and_a_second_start_compiles_nothing(tmp_path):
    alone = _run(tmp_path / "alone.marshal", cache=False, code=SQLALCHEMY_PROBE)
    assert alone["facts"]["installed"] is False
    table = tmp_path / "dataclasses.marshal"
    first = _run(table, code=SQLALCHEMY_PROBE)
    second = _run(table, code=SQLALCHEMY_PROBE)
    assert first["compiled"] > 200  # SQLAlchemy's generated code and our columns' annotations, kept
    assert second["compiled"] == 0 and second["saved"] is False
    expected = _facts(alone)
    assert expected["row"] == ["idioma", "es"] and expected["state"] is True
    assert len(expected["tables"]) >= 30 and expected["relations"]
    assert _facts(first) == expected
    assert _facts(second) == expected


def test_a_loader_that_serves_many_modules_is_left_as_it_was(monkeypatch):
    """Some importers use one loader for many modules (Python's zipimporter serves every module of its zip
    archive): SQLAlchemy's module given the table's ``compile`` must not change how the modules after it load."""
    import importlib.machinery

    from qaliwarma import codecache

    sources = {"qw_probe_lib": "def make(text):\n    return compile(text, '<probe>', 'eval')\n",
               "qw_probe_after": "VALUE = 41 + 1\n"}

    class Shared:  # one loader for every module it finds, as a zipimporter
        def find_spec(self, name, path, target=None):
            return importlib.machinery.ModuleSpec(name, self) if name in sources else None

        def create_module(self, spec):
            return None

        def exec_module(self, module):
            exec(sources[module.__name__], module.__dict__)

    shared = Shared()
    monkeypatch.setattr(codecache, "LIBRARY_NAMES", {"qw_probe_lib": ("compile", codecache._cached_compile)})
    monkeypatch.setattr(codecache, "_state", {"table": {}, "new": {}, "used": set(), "compiled": 0})
    finder = codecache._LibraryFinder()
    monkeypatch.setattr(sys, "meta_path", [finder, shared, *sys.meta_path])
    try:
        import qw_probe_after
        import qw_probe_lib  # noqa: F401 - imported for the hook

        assert qw_probe_lib.compile is codecache._cached_compile and qw_probe_lib.__loader__ is shared
        assert eval(qw_probe_lib.make("6 * 7")) == 42 and codecache.compiled_now() == 1  # noqa: S307 - our text
        assert qw_probe_after.VALUE == 42 and "compile" not in vars(qw_probe_after)
        assert type(shared).exec_module is Shared.exec_module and "exec_module" not in vars(shared)
        assert finder.find_spec("qw_probe_after", None) is None  # it answers only for the library's module
    finally:
        for name in sources:
            sys.modules.pop(name, None)


def _outcome(function, *args):
    try:
        return ("value", function(*args))
    except Exception as error:  # noqa: BLE001 - compared, whatever it is
        return ("error", type(error).__name__)


def test_compile_and_eval_from_the_table_answer_as_the_builtins(monkeypatch):
    """What SQLAlchemy may ask, asked of the table's compile/eval and of the builtins: the same answer each
    time, asked twice (the second from the table); an AST or unknown options are never kept in the table."""
    import ast

    from qaliwarma import codecache

    monkeypatch.setattr(codecache, "_state", {"table": {}, "new": {}, "used": set(), "compiled": 0})
    space = {"x": 6}
    for _ in range(2):
        assert codecache._cached_eval("  x * 7", space) == eval("  x * 7", space) == 42  # noqa: S307 - our text
        assert codecache._cached_eval("x", None, {"x": 1}) == 1  # the caller's globals, the given locals
        for text in ("\nx", "\n  x", "\tx", "x y", "x\0"):  # newlines, blanks, mistakes: as the builtin
            assert _outcome(codecache._cached_eval, text, space) == _outcome(eval, text, space)
        made = codecache._cached_compile("def f(a):\n    return a + 1\n", "<gen f>", "exec")
        scope = {}
        exec(made, scope)  # noqa: S102 - our text
        assert scope["f"](41) == 42 and made.co_filename == "<gen f>"
    tree = codecache._cached_compile("x + 1", "<ast>", "eval", ast.PyCF_ONLY_AST)
    assert isinstance(tree, ast.Expression)
    # kept once each: "x * 7", "x" (also "\tx", its blank dropped), "\nx", and the function; the texts that do
    # not compile and the AST are not kept
    assert codecache.compiled_now() == 4 and len(codecache._state["new"]) == 4
    assert all(isinstance(code, type(test_compile_and_eval_from_the_table_answer_as_the_builtins.__code__))
               for code in codecache._state["new"].values())
