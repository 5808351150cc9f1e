"""What day it is for the application: the real date, or ``QALIWARMA_TODAY`` (yyyy-mm-dd) so that
tests, demos and training sessions can work "as of" a given day (which days are past, whether a
month may be closed)."""

from __future__ import annotations

import os
from datetime import date


def today() -> date:
    fixed = os.environ.get("QALIWARMA_TODAY")
    if fixed:
        try:
            return date.fromisoformat(fixed)
        except ValueError:
            pass
    return date.today()
