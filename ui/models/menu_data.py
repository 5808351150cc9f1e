"""Moved to ``qaliwarma.services.menu_views`` (issue 9: what a committee can do lives in the core). This alias
keeps old imports working while other branches move over; new code imports the service."""

import sys

from qaliwarma.services import menu_views

sys.modules[__name__] = menu_views
