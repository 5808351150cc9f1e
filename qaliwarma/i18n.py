"""The language of everything the application says: gettext over one catalogue for the core, the command
line, the printed documents and the desktop interface (``resources/locale``, domain ``qaliwarma``).

Strings are written in Spanish (the source language) and wrapped in ``_()``. ``install("en")`` switches
to the English catalogue; without it, or for ``es``, the Spanish text is used as written. The CLI calls
``install(args.lang)``; the desktop app calls it from ``ui.i18n`` (which re-exports these functions), so
the core and the window always speak the same language.

``N_()`` marks a string for the catalogue without translating it (labels kept in tables and translated
where shown, with ``_(label)``).
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

LANGUAGES = ("es", "en")
_translation: gettext.NullTranslations = gettext.NullTranslations()
_lang = "es"


def install(lang: str | None = None) -> str:
    """Choose the language (``es`` or ``en``; ``QALIWARMA_LANG`` when not given); returns the one in use."""
    global _translation, _lang
    lang = (lang or os.environ.get("QALIWARMA_LANG") or "es").lower()[:2]
    if lang == "es":
        _translation, _lang = gettext.NullTranslations(), "es"
        return "es"
    from .paths import resources_dir

    localedir = Path(resources_dir()) / "locale"
    _translation = gettext.translation("qaliwarma", localedir=localedir, languages=[lang], fallback=True)
    _lang = lang
    return lang


def current() -> str:
    """The language in use: "es" or "en"."""
    return _lang


def _(text: str) -> str:
    return _translation.gettext(text)


def ngettext(one: str, many: str, n: int) -> str:
    return _translation.ngettext(one, many, n)


def N_(text: str) -> str:
    return text
