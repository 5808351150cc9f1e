"""Shared test setup. Qt renders offscreen (no screen on the test machines): set before Qt is imported."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The demo committee's records run up to the day before "today": fix that day so every test sees the
# same demo month whatever date the suite runs on.
os.environ.setdefault("QALIWARMA_DEMO_TODAY", "2026-11-26")
