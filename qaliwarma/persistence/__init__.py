"""SQLAlchemy models, the engine factory and unit of work, the journal, Alembic migrations."""
