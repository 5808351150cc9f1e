"""asyncio and importlib.metadata imported only when used (qaliwarma/deferred.py): the program's work on SQLite
never imports them, and whatever does use them gets exactly the real modules.

Each check runs in a fresh interpreter: the test process itself imported both long ago."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap


def _run(code: str, *, env: dict | None = None) -> dict:
    """Run ``code`` in a fresh interpreter after ``deferred.install()``; it prints one JSON line."""
    script = "from qaliwarma import deferred\ndeferred.install()\n" + textwrap.dedent(code)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _real(code: str) -> dict:
    """The same ``code`` without stand-ins: what the answers must be."""
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _demo_database(folder) -> dict:
    """The demo committee made by `qaliwarma init --demo` (its first run loads the food table with pandas, which
    does use importlib.metadata); the environment that names its folder."""
    import os

    env = {**os.environ, "QALIWARMA_DATA_DIR": str(folder), "QALIWARMA_DEMO_TODAY": "2026-11-26"}
    env.pop("QALIWARMA_DB", None)
    made = subprocess.run([sys.executable, "-c", CLI, "init", "--demo"], capture_output=True, text=True, env=env,
                          timeout=300)
    assert made.returncode == 0, made.stderr[-2000:]
    return env


CLI = "import sys; from qaliwarma.cli import main; sys.exit(main(sys.argv[1:]))"


def test_a_days_work_on_sqlite_never_imports_asyncio_nor_importlib_metadata(tmp_path):
    """A day's start on the demo committee's database: opened and checked, the month's steps read, the journal
    verified, all through the services on SQLite: neither module is imported (25 ms of every start,
    qaliwarma/deferred.py)."""
    env = _demo_database(tmp_path)
    code = f"""
        import json, sys, datetime
        from qaliwarma.services import setup, committee, integrity
        from qaliwarma.services.database import open_database
        from qaliwarma.services.month_steps import month_steps
        db = open_database("sqlite:///{(tmp_path / 'qaliwarma.sqlite3').as_posix()}")
        setup.initialise(db)
        info = committee.current(db)
        steps = month_steps(db, info.id, datetime.date(2026, 11, 26))
        checks = integrity.check_database(db)
        print(json.dumps({{"waiting": deferred.waiting(), "steps": len(steps), "ok": [c.ok for c in checks],
                           "loaded": sorted(m for m in ("asyncio", "importlib.metadata", "email", "ssl")
                                            if type(sys.modules.get(m)).__name__ == "module")}}))
    """
    got = _run(code, env=env)
    assert got["steps"] == 5 and got["ok"] == [True]  # the work itself was done
    assert got["waiting"] == ["asyncio", "importlib.metadata"]
    assert got["loaded"] == []


def test_what_code_reads_through_a_stand_in_is_what_the_real_module_gives():
    """asyncio runs coroutines, a package's version is read, a submodule imported on its own is the very
    module the package holds (imported once), from several threads at once: as without stand-ins."""
    code = """
        import json, sys, threading
        waiting_first = list(deferred.waiting()) if "deferred" in globals() else None
        import asyncio
        from importlib.metadata import version

        async def double(x):
            await asyncio.sleep(0)
            return 2 * x

        policies, errors = [], []
        def ask():
            try:
                policies.append(id(asyncio.get_event_loop_policy()))
            except Exception as error:
                errors.append(repr(error))
        threads = [threading.Thread(target=ask) for _ in range(8)]
        for t in threads: t.start()
        for t in threads: t.join()
        import asyncio.coroutines  # a submodule imported straight away (typing_extensions does this)
        print(json.dumps({"waiting_first": waiting_first, "run": asyncio.run(double(21)),
                          "version": version("sqlalchemy"), "one_policy": len(set(policies)) == 1,
                          "errors": errors, "same_submodule": sys.modules["asyncio.coroutines"] is asyncio.coroutines,
                          "iscoroutine": asyncio.iscoroutine(double(1).__await__.__self__),
                          "doc": (asyncio.__doc__ or "")[:20], "file": asyncio.__file__.endswith("__init__.py")}))
    """
    got, expected = _run(code), _real(code)
    assert got.pop("waiting_first") == ["asyncio", "importlib.metadata"]
    assert expected.pop("waiting_first") is None
    assert got == expected
    assert got["run"] == 42 and got["errors"] == [] and got["same_submodule"] is True


def test_a_submodule_imported_before_its_package_is_imported_once():
    """``import asyncio.coroutines`` with asyncio still a stand-in: Python asks the stand-in for its path, which
    imports asyncio (and asyncio.coroutines with it); the module is then not imported a second time."""
    got = _run("""
        import json, sys
        import asyncio.coroutines as first
        import asyncio
        print(json.dumps({"same": first is sys.modules["asyncio.coroutines"] is asyncio.coroutines,
                          "package_real": type(sys.modules["asyncio"]).__name__,
                          "coroutine_check": asyncio.coroutines.iscoroutine is asyncio.iscoroutine}))
    """)
    assert got == {"same": True, "package_real": "module", "coroutine_check": True}


def test_a_deprecated_coroutine_function_wrapped_by_typing_extensions_still_runs():
    """typing_extensions marks a deprecated coroutine function with asyncio.coroutines (Python 3.11): the
    import reaches a stand-in; the function still runs and still warns."""
    got = _run("""
        import json, warnings
        import typing_extensions

        @typing_extensions.deprecated("use another")
        async def old():
            return 7

        import asyncio
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = asyncio.run(old())
        print(json.dumps({"value": value, "warned": [str(w.message) for w in caught]}))
    """)
    assert got == {"value": 7, "warned": ["use another"]}


def test_finding_a_deferred_module_does_not_import_it():
    got = _run("""
        import json, importlib.util
        spec = importlib.util.find_spec("asyncio")
        print(json.dumps({"origin": spec.origin.replace("\\\\", "/").endswith("asyncio/__init__.py"),
                          "waiting": deferred.waiting()}))
    """)
    assert got == {"origin": True, "waiting": ["asyncio", "importlib.metadata"]}


def test_the_command_line_verifying_a_database_imports_neither(tmp_path):
    """`qaliwarma verify` on the demo committee's database, as a committee runs it, watched from outside with
    Python's own import log (-X importtime): asyncio and importlib.metadata are not in it."""
    env = _demo_database(tmp_path)
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", CLI, "verify"], capture_output=True, text=True,
                         env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    imported = {line.rsplit("|", 1)[1].strip() for line in out.stderr.splitlines() if line.startswith("import time:")}
    assert "sqlalchemy.orm" in imported and "qaliwarma.services.integrity" in imported  # the log is complete
    # a module imported with importlib.import_module is not in the log, but what it imports is (asyncio.events…)
    assert not [name for name in imported if name.startswith(("asyncio", "importlib.metadata"))]
