"""The table `make bench` ends with: measure, goal, figure, verdict (issue 17).

Each bench section calls :func:`record` with what it measured; :func:`print_table` prints them all at
the end, with the machine's load average (the figures of a loaded machine are slower; the ratios to the
floor measured in the same run are what compare across machines).
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    measure: str
    goal: str
    figure: str
    verdict: str  # "cumple", "NO CUMPLE", "no medido", "—" (no goal)


ROWS: list[Row] = []


def record(measure: str, goal: str, figure: str, ok: bool | None) -> None:
    """One line of the table. ``ok`` None: measured without a goal of its own."""
    ROWS.append(Row(measure, goal, figure, "—" if ok is None else "cumple" if ok else "NO CUMPLE"))


def not_measured(measure: str, goal: str, why: str) -> None:
    ROWS.append(Row(measure, goal, why, "no medido"))


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "?"
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f} ({os.cpu_count()} núcleos)"


def print_table() -> None:
    heads = ("medida", "meta", "cifra", "veredicto")
    widths = [max(len(h), *(len(getattr(r, f)) for r in ROWS)) if ROWS else len(h)
              for h, f in zip(heads, ("measure", "goal", "figure", "verdict"), strict=True)]
    line = "  ".join("-" * w for w in widths)
    print()
    print(f"Resumen (carga del equipo al terminar, 1/5/15 min: {load_average()})")
    print("  ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)))
    print(line)
    for r in ROWS:
        print("  ".join(v.ljust(w) for v, w in zip((r.measure, r.goal, r.figure, r.verdict), widths, strict=True)))
    failed = sum(r.verdict == "NO CUMPLE" for r in ROWS)
    print(line)
    print(f"{len(ROWS)} medidas; {failed} no cumplen su meta.")
