"""Moved to ``qaliwarma.services.month_end`` (issue 9: what a committee can do lives in the core). This alias
keeps old imports working while other branches move over; new code imports the service."""

import sys

from qaliwarma.services import month_end

sys.modules[__name__] = month_end
