"""Translation of the desktop application's strings (gettext; Spanish is the source language).

Strings are written in Spanish and wrapped in ``_()``. An English catalog in
``resources/locale/en/LC_MESSAGES/qaliwarma.mo`` is used when ``QALIWARMA_LANG=en``; without a catalog
the Spanish text is shown as written.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

_translation: gettext.NullTranslations = gettext.NullTranslations()


def install(lang: str | None = None) -> str:
    """Choose the language (``es`` or ``en``); returns the one in use."""
    global _translation
    lang = (lang or os.environ.get("QALIWARMA_LANG") or "es").lower()[:2]
    if lang == "es":
        _translation = gettext.NullTranslations()
        return "es"
    from qaliwarma.paths import resources_dir

    localedir = Path(resources_dir()) / "locale"
    _translation = gettext.translation("qaliwarma", localedir=localedir, languages=[lang], fallback=True)
    return lang


def _(text: str) -> str:
    return _translation.gettext(text)
