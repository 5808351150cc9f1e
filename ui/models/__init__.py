"""Table models over lists of plain rows (the core's dataclasses)."""
