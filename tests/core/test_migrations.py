"""The Alembic migrations and the SQLAlchemy models describe the same schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from qaliwarma.persistence.engine import MIGRATIONS_DIR, alembic_config
from qaliwarma.persistence.models import Base
from qaliwarma.persistence.schema_version import HEAD_REVISION, KNOWN_REVISIONS


def test_models_and_migrations_agree(empty_db):
    with empty_db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models differ from migrations: {diff}"


def test_revision_constants_match_the_scripts(empty_db):
    scripts = ScriptDirectory.from_config(alembic_config(empty_db.engine))
    assert scripts.get_current_head() == HEAD_REVISION
    chain = [rev.revision for rev in scripts.walk_revisions()][::-1]
    assert tuple(chain) == KNOWN_REVISIONS
    assert MIGRATIONS_DIR.joinpath("versions").is_dir()


def test_a_database_with_records_from_every_earlier_version_upgrades(tmp_path):
    """A committee's file written by an earlier version (rows in tables that point at the committee) opens
    with this one: the batch migrations that rebuild a referenced table must not trip over its keys."""
    from sqlalchemy import create_engine, inspect, text

    from qaliwarma.persistence import engine as engine_module

    scripts = ScriptDirectory.from_config(alembic_config(create_engine("sqlite://")))
    chain = [rev.revision for rev in scripts.walk_revisions()][::-1]
    for older in chain[:-1]:
        path = tmp_path / f"{older}.sqlite3"
        engine = create_engine(f"sqlite:///{path}")
        engine_module.upgrade(engine, older)
        with engine.begin() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            _fill(conn, inspect(conn), "committees", {})
            children = [t for t in inspect(conn).get_table_names()
                        if any(fk["referred_table"] == "committees" for fk in inspect(conn).get_foreign_keys(t))]
            for table in children[:3]:
                _fill(conn, inspect(conn), table, {"committee_id": 1})
        engine_module.upgrade(engine, "head")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM committees")).scalar() == 1, older
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == [], older
        engine.dispose()


def _fill(conn, inspector, table: str, given: dict) -> None:
    """One row with a plausible value in every column that needs one."""
    from datetime import date

    from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, text

    values = {}
    for column in inspector.get_columns(table):
        name, kind = column["name"], column["type"]
        if name in given:
            values[name] = given[name]
        elif column.get("autoincrement") is True or (name == "id" and isinstance(kind, Integer)):
            continue
        elif column["nullable"] or column.get("default") is not None:
            continue
        elif isinstance(kind, Boolean):
            values[name] = 0
        elif isinstance(kind, (Integer, Numeric)):
            values[name] = 1
        elif isinstance(kind, (Date, DateTime)):
            values[name] = date(2026, 3, 2).isoformat()
        else:
            values[name] = "0456789" if name == "codigo_modular" else "x"
    names = ", ".join(values)
    marks = ", ".join(f":{n}" for n in values)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), values)
