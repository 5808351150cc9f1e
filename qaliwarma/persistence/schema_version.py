"""The schema revisions this version of the application knows, oldest first.

Kept as constants so start-up can decide whether to run Alembic without importing it.
tests/core/test_migrations.py checks these agree with the migration scripts.
"""

KNOWN_REVISIONS: tuple[str, ...] = ("0001_foundation", "0002_menu_planning", "0003_stock_service", "0004_treasury", "0005_supervision",
                                    "0006_flag_facts", "0007_journal_integrity", "0008_people", "0009_amazonian_schools",
                                    "0010_chain_identity", "0011_sup_journal_digest",
                                    "0012_sup_month_flags", "0013_sup_checkpoints", "0014_sup_history_rank",
                                    "0015_treasury_day_indexes", "0016_headings_in_journal",
                                    "0017_closed_month_files")
HEAD_REVISION: str = KNOWN_REVISIONS[-1]
