"""Shared test setup. Qt renders offscreen (no screen on the test machines): set before Qt is imported."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The demo committee's records run up to the day before "today": fix that day so every test sees the
# same demo month whatever date the suite runs on.
os.environ.setdefault("QALIWARMA_DEMO_TODAY", "2026-11-26")
# Members sign in (issue 13): the demo's members all have PIN 1234; commands and windows started by the
# tests sign as the demo's president unless a test names another member (tests/e2e/conftest.py picks
# the member whose role may record what each command records).
os.environ.setdefault("QALIWARMA_MEMBER", "41234567")
os.environ.setdefault("QALIWARMA_PIN", "1234")

# Property tests check what the code gives, never how fast it gives it: speed lives in bench/. With
# hypothesis's default 200 ms deadline the first example (the one that builds pint's unit registry, or
# any example while other suites load the machine) failed at random under CI's load.
from hypothesis import settings  # noqa: E402

settings.register_profile("qaliwarma", deadline=None)
settings.load_profile("qaliwarma")
