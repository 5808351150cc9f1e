"""Fixtures for the end-to-end tests: the installed `qaliwarma` command on a private database."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXE = Path(sys.executable).with_name("qaliwarma")


def run(*args, db: Path | None = None, check_json: bool = False):
    env = {**os.environ, "QALIWARMA_DATA_DIR": str(db.parent if db else Path.cwd()),
           "QALIWARMA_DEMO_TODAY": "2026-11-26"}  # the same demo records whatever day the tests run
    cmd = [str(EXE)] + (["--db", str(db)] if db else []) + list(args)
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
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
