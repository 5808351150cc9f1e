"""Translation of the desktop application's strings: the core's gettext (``qaliwarma.i18n``), so that
the window, the services' messages and the PDFs it prints speak one language from one catalogue.

Strings are written in Spanish and wrapped in ``_()``. The English catalogue in
``resources/locale/en/LC_MESSAGES/qaliwarma.mo`` is used with ``--lang en`` or ``QALIWARMA_LANG=en``.
"""

from __future__ import annotations

from qaliwarma.i18n import N_, _, current, install, ngettext

__all__ = ["N_", "_", "current", "install", "ngettext"]
