"""`make bench`: «Proponer menú» for the demo committee's month and for a school year of a selva school
(190 days × 2 meals × 3 levels), with the solver's relative gap. Targets: a month ≤ 1 s, a year ≤ 10 s."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from bench import yeardata
from qaliwarma.persistence.engine import open_database
from qaliwarma.services import committee, propose
from qaliwarma.services.demo import DEMO_MONTH, month_end
from qaliwarma.services.setup import initialise


def _line(label: str, result, wall: float) -> str:
    unmet = f", {len(result.unmet)} requisito(s) sin cumplir" if result.unmet else ""
    return (f"  propuesta de menú, {label}: {wall:.2f} s (brecha del optimizador {result.gap * 100:.2f} %; "
            f"{'óptima' if result.ok else 'la más cercana'}{unmet}; {len(result.entries)} preparaciones)")


def bench_propose(demo_db, tmp: Path, days: int = 190) -> None:
    info = committee.current(demo_db)
    start = time.perf_counter()
    month = propose.propose(demo_db, info, DEMO_MONTH, month_end(DEMO_MONTH), today=date.today())
    print(_line(f"un mes del comité de demostración ({len(month.entries)} = días × 2 comidas × 2 niveles)",
                month, time.perf_counter() - start))
    db = open_database(f"sqlite:///{tmp / 'propuesta-anio.sqlite3'}")
    try:
        initialise(db)
        school = yeardata.setup_school(db, days)
        school_days = propose.calendar_service.school_days(db, school.id, date(yeardata.YEAR, 1, 1),
                                                          date(yeardata.YEAR, 12, 31))
        start = time.perf_counter()
        year = propose.propose(db, school, school_days[0], school_days[-1], today=date(yeardata.YEAR, 1, 1))
        print(_line(f"un año escolar ({len(school_days)} días × 2 comidas × 3 niveles, un mes a la vez)", year,
                    time.perf_counter() - start))
    finally:
        db.dispose()


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as name:
        demo_db = open_database(f"sqlite:///{Path(name) / 'demo.sqlite3'}")
        initialise(demo_db, demo=True)
        bench_propose(demo_db, Path(name))
        demo_db.dispose()
