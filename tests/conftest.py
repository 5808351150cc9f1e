"""Shared test setup. Qt renders offscreen (no screen on the test machines): set before Qt is imported."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
