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
import threading
from pathlib import Path

LANGUAGES = ("es", "en")
_translation: gettext.NullTranslations = gettext.NullTranslations()
_lang = "es"
_here = threading.local()  # a ``language(...)`` block: this thread only (the window keeps its language)


def install(lang: str | None = None) -> str:
    """Choose the language (``es`` or ``en``; ``QALIWARMA_LANG`` when not given); returns the one in use."""
    global _translation, _lang
    _lang, _translation = _load(lang)
    return _lang


def _load(lang: str | None) -> tuple[str, gettext.NullTranslations]:
    lang = (lang or os.environ.get("QALIWARMA_LANG") or "es").lower()[:2]
    if lang == "es":
        return "es", gettext.NullTranslations()
    from .paths import resources_dir

    localedir = Path(resources_dir()) / "locale"
    return lang, gettext.translation("qaliwarma", localedir=localedir, languages=[lang], fallback=True)


def _active() -> tuple[str, gettext.NullTranslations]:
    stack = getattr(_here, "stack", None)
    return stack[-1] if stack else (_lang, _translation)


def current() -> str:
    """The language in use (in this thread): "es" or "en"."""
    return _active()[0]


def _(text: str) -> str:
    return _active()[1].gettext(text)


def ngettext(one: str, many: str, n: int) -> str:
    return _active()[1].ngettext(one, many, n)


def N_(text: str) -> str:
    return text


# argparse's own words («usage:», «options:», its error messages) go through the gettext of its module;
# Python ships no Spanish catalogue, so the command-line help said «usage:» above Spanish text.
ARGPARSE_ES = {
    "usage: ": "uso: ",
    "positional arguments": "argumentos",
    "options": "opciones",
    "optional arguments": "opciones",
    "show this help message and exit": "mostrar esta ayuda y salir",
    "show program's version number and exit": "mostrar la versión del programa y salir",
    "the following arguments are required: %s": "faltan estos argumentos: %s",
    "unrecognized arguments: %s": "argumentos no reconocidos: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "opción no válida: %(value)r (elija entre %(choices)s)",
    "expected one argument": "se esperaba un valor",
    "expected at most one argument": "se esperaba a lo sumo un valor",
    "expected at least one argument": "se esperaba al menos un valor",
    "ignored explicit argument %r": "se ignoró el valor %r",
    "not allowed with argument %s": "no se permite junto con %s",
    "one of the arguments %s is required": "falta uno de estos argumentos: %s",
    "invalid %(type)s value: %(value)r": "valor no válido (%(type)s): %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "opción ambigua: %(option)s puede ser %(matches)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: error: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argumento %(argument_name)s: %(message)s",
    "unexpected option string: %s": "opción inesperada: %s",
    "can't open '%(filename)s': %(error)s": "no se puede abrir «%(filename)s»: %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "subcomando desconocido %(parser_name)r (elija entre "
                                                             "%(choices)s)",
    "expected %s argument": "se esperaba %s valor",
    "expected %s arguments": "se esperaban %s valores",
}


def localise_argparse() -> None:
    """Make argparse speak the language in use (call after :func:`install`; idempotent)."""
    import argparse

    def gettext_(text: str) -> str:
        return ARGPARSE_ES.get(text, text) if _lang == "es" else _translation.gettext(text)

    def ngettext_(one: str, many: str, n: int) -> str:
        return gettext_(one if n == 1 else many)

    argparse._ = gettext_  # type: ignore[attr-defined]
    argparse.ngettext = ngettext_  # type: ignore[attr-defined]


class language:  # noqa: N801 - used as ``with language("es"):`` and as a decorator
    """Speak ``lang`` inside a block (or a decorated function), in this thread only; then the language
    that was in use. A PDF built on the worker thread does not change what the window shows."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __enter__(self):
        if not hasattr(_here, "stack"):
            _here.stack = []
        _here.stack.append(_load(self.lang))
        return self

    def __exit__(self, *exc) -> None:
        _here.stack.pop()

    def __call__(self, function):
        import functools

        @functools.wraps(function)
        def wrapped(*args, **kwargs):
            with language(self.lang):
                return function(*args, **kwargs)

        return wrapped
