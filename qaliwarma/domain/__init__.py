"""Frozen dataclasses and pure functions. No I/O, no SQLAlchemy, no Qt."""
