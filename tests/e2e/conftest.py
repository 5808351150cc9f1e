"""Fixtures for the end-to-end tests: the `qaliwarma` command on a private database.

``run`` calls the command line in-process (``qaliwarma.cli.main`` with the same arguments, environment,
stdout, stderr and exit code a user would see): starting a Python for every command added nothing but
about a second each. ``run(..., subprocess=True)`` starts the installed console script, for the tests
that are about the script itself (it is installed, it starts, Ctrl-C and pipes behave)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess as _subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

EXE = Path(sys.executable).with_name("qaliwarma")
DEMO_TODAY = "2026-11-26"  # the same demo records whatever day the tests run


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str
    doc: object = None


def _in_process(argv: list[str], env: dict[str, str]) -> Result:
    from qaliwarma import cli, i18n

    out, err = io.StringIO(), io.StringIO()
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(argv)
            except SystemExit as exit_:  # argparse: --help, bad usage
                code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 2)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        i18n.install("es")
    return Result(code, out.getvalue(), err.getvalue())


# The demo's members (PIN 1234, issue 13) and the member who signs each command by default: the one whose
# role may record what the command records (a test names another with env={"QALIWARMA_MEMBER": …}).
DEMO_PIN = "1234"
DEMO_MEMBERS = {"presidente": "41234567", "secretario": "42345678", "vocal": "43456789", "tesorero": "45678901"}
SIGNS = {"treasury": "tesorero", "receive": "secretario", "serve": "secretario", "stock": "secretario"}


def member_for(args) -> dict[str, str]:
    """QALIWARMA_MEMBER/PIN for the command in ``args``: the treasurer for money, the secretary for the
    store and rations, the president for the rest (closing a month, the calendar, the committee)."""
    command = next((str(a) for a in args if str(a) in SIGNS), "")
    return {"QALIWARMA_MEMBER": DEMO_MEMBERS[SIGNS.get(command, "presidente")], "QALIWARMA_PIN": DEMO_PIN}


def run(*args, db: Path | None = None, check_json: bool = False, subprocess: bool = False, env=None):
    env = {"QALIWARMA_DATA_DIR": str(db.parent if db else Path.cwd()), "QALIWARMA_DEMO_TODAY": DEMO_TODAY,
           **member_for(args), **(env or {})}
    argv = (["--db", str(db)] if db else []) + [str(a) for a in args]
    if subprocess:
        done = _subprocess.run([str(EXE), *argv], capture_output=True, text=True, env={**os.environ, **env},
                               timeout=120)
        result = Result(done.returncode, done.stdout, done.stderr)
    else:
        result = _in_process(argv, env)
    assert "Traceback" not in result.stderr, result.stderr
    if check_json:
        result.doc = json.loads(result.stdout)  # exactly one JSON document on stdout
    return result


@pytest.fixture(scope="session")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "plantilla.sqlite3"
    first = run("init", "--demo", db=path)
    assert first.returncode == 0, first.stderr
    return path


@pytest.fixture
def dbfile(template, tmp_path):
    target = tmp_path / "qw.sqlite3"
    shutil.copy(template, target)
    return target
