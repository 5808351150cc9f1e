"""Opening, upgrading and protecting the database."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import text

from qaliwarma.errors import DatabaseError, DatabaseTooNew
from qaliwarma.persistence import engine as engine_module
from qaliwarma.persistence.engine import current_revision, open_database
from qaliwarma.persistence.schema_version import HEAD_REVISION


def test_sqlite_is_opened_safely(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'qw.sqlite3'}")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    db.dispose()


def test_new_database_is_migrated_to_head_on_both_backends(empty_db):
    assert current_revision(empty_db.engine) == HEAD_REVISION


def test_a_database_from_a_newer_app_is_refused_untouched(tmp_path):
    path = tmp_path / "qw.sqlite3"
    open_database(f"sqlite:///{path}").dispose()
    db = open_database(f"sqlite:///{path}")
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_futuro'"))
    db.dispose()
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="versión más nueva"):
        open_database(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_sqlite_is_copied_aside_before_an_upgrade(tmp_path, monkeypatch):
    path = tmp_path / "qw.sqlite3"
    open_database(f"sqlite:///{path}").dispose()
    # Pretend this version of the app brings a newer schema revision.
    monkeypatch.setattr(engine_module, "KNOWN_REVISIONS", (HEAD_REVISION, "0002_siguiente"))
    monkeypatch.setattr(engine_module, "HEAD_REVISION", "0002_siguiente")
    upgraded = []
    monkeypatch.setattr(engine_module, "upgrade", lambda eng: upgraded.append(eng))
    db = open_database(f"sqlite:///{path}")
    assert upgraded, "the upgrade ran"
    assert db.backup_path is not None and db.backup_path.exists()
    assert HEAD_REVISION in db.backup_path.name
    copy = open_database(f"sqlite:///{db.backup_path}", migrate=False)
    assert current_revision(copy.engine) == HEAD_REVISION
    copy.dispose()
    db.dispose()


def test_an_unreachable_server_gives_a_clear_message():
    with pytest.raises(DatabaseError, match="No se pudo abrir la base de datos"):
        open_database("postgresql+psycopg://nadie@127.0.0.1:1/none?connect_timeout=2")


def test_a_postgresql_address_as_libpq_writes_it_uses_the_installed_driver():
    """«postgresql://…» (psql's, the server administrator's) opens with psycopg 3 as «postgresql+psycopg://…»
    does; before, SQLAlchemy looked for psycopg2, which is not installed, and the command failed with a
    traceback instead of opening the database or saying why not."""
    from qaliwarma.persistence.engine import driver_url

    assert driver_url("postgresql://ana@servidor:5432/qaliwarma") == "postgresql+psycopg://ana@servidor:5432/qaliwarma"
    assert driver_url("postgres://ana@servidor/qaliwarma") == "postgresql+psycopg://ana@servidor/qaliwarma"
    for unchanged in ("postgresql+psycopg://ana@servidor/qaliwarma", "sqlite:////tmp/qw.sqlite3"):
        assert driver_url(unchanged) == unchanged
    with pytest.raises(DatabaseError, match="No se pudo abrir la base de datos"):
        open_database("postgresql://nadie@127.0.0.1:1/none?connect_timeout=2")


def test_a_failed_unit_of_work_leaves_nothing_behind(empty_db):
    from qaliwarma.persistence.models import AppSetting

    with pytest.raises(RuntimeError):
        with empty_db.session() as s:
            s.add(AppSetting(key="a", value="1"))
            s.flush()
            raise RuntimeError("a mitad de camino")
    with empty_db.session() as s:
        assert s.get(AppSetting, "a") is None


def test_the_core_never_imports_qt():
    code = (
        "import sys, pkgutil, importlib, qaliwarma\n"
        "for m in pkgutil.walk_packages(qaliwarma.__path__, 'qaliwarma.'):\n"
        "    if '.migrations' in m.name: continue\n"
        "    importlib.import_module(m.name)\n"
        "bad = [n for n in sys.modules if n.split('.')[0] in ('PySide6', 'shiboken6', 'ui')]\n"
        "print(','.join(bad)); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"core imported: {result.stdout} {result.stderr}"
