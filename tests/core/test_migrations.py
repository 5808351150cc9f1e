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
