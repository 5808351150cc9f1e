"""Preparations' names in the community's language (Quechua, Aymara, Asháninka…), for the door poster.

They are a committee setting kept in the journal only: each change is an entry (``comite.nombre_local``
with the preparation and its name, an empty name clears it; ``comite.lengua`` with the language's name),
and the current names are the last entry per preparation. So who named what, and when, is on record,
and no table can disagree with the journal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..errors import InvalidInput, NotFound
from ..i18n import _
from ..persistence.engine import Database
from ..persistence.journal import Journal
from ..persistence.models import Recipe

NAME_KIND = "comite.nombre_local"
LANGUAGE_KIND = "comite.lengua"
MAX_NAME = 80
MAX_LANGUAGE = 40


@dataclass(frozen=True)
class LocalName:
    recipe_id: str
    spanish: str  # the preparation's name
    name: str  # its name in the community's language


@dataclass(frozen=True)
class LocalNames:
    language: str  # e.g. «quechua»; "" when the committee has not said
    names: list[LocalName]

    def as_dict(self) -> dict[str, str]:
        return {n.recipe_id: n.name for n in self.names}


def _clean(text: str, limit: int, what: str) -> str:
    text = " ".join((text or "").split())
    if len(text) > limit:
        raise InvalidInput(_("{what} tiene {n} caracteres; el máximo es {limit}.").format(
            what=what, n=len(text), limit=limit))
    return text


def _recipe_name(s, committee_id: int, recipe_id: str) -> str:
    row = s.scalar(select(Recipe).where(Recipe.id == recipe_id))
    if row is None or (row.committee_id is not None and row.committee_id != committee_id):
        raise NotFound(_("No existe la preparación «{id}». Vea la lista con «qaliwarma recipes list».").format(
            id=recipe_id))
    return row.name


def _current(journal: Journal) -> tuple[str, dict[str, str]]:
    language = ""
    for e in journal.entries(LANGUAGE_KIND):
        language = e.payload.get("language", "")
    names: dict[str, str] = {}
    for e in journal.entries(NAME_KIND):
        rid, name = e.payload.get("recipe_id", ""), e.payload.get("name", "")
        if name:
            names[rid] = name
        else:
            names.pop(rid, None)
    return language, names


def list_local_names(db: Database, committee_id: int) -> LocalNames:
    """The committee's language and its preparations' local names, by Spanish name."""
    with db.session() as s:
        language, names = _current(Journal(s, committee_id))
        spanish = {rid: name for rid, name in s.execute(select(Recipe.id, Recipe.name).where(Recipe.id.in_(list(names))))}
    rows = [LocalName(rid, spanish[rid], name) for rid, name in names.items() if rid in spanish]
    return LocalNames(language, sorted(rows, key=lambda n: (n.spanish.lower(), n.recipe_id)))


def set_local_name(db: Database, committee_id: int, recipe_id: str, name: str, *, user: str,
                   language: str | None = None) -> LocalNames:
    """Give preparation ``recipe_id`` its name in the community's language (an empty name clears it);
    with ``language``, also say which language that is. Journaled; nothing is written when nothing changes."""
    name = _clean(name, MAX_NAME, _("El nombre en la lengua de la comunidad"))
    if language is not None:
        language = _clean(language, MAX_LANGUAGE, _("El nombre de la lengua")).lower()
    with db.session() as s:
        _recipe_name(s, committee_id, recipe_id)
        journal = Journal(s, committee_id, lock=True)
        current_language, names = _current(journal)
        if language is not None and language != current_language:
            journal.append(LANGUAGE_KIND, date.today(), {"language": language}, user=user)
        if names.get(recipe_id, "") != name:
            journal.append(NAME_KIND, date.today(), {"recipe_id": recipe_id, "name": name}, user=user)
    return list_local_names(db, committee_id)


def clear_local_name(db: Database, committee_id: int, recipe_id: str, *, user: str) -> LocalNames:
    """The preparation goes back to its Spanish name only on the poster."""
    return set_local_name(db, committee_id, recipe_id, "", user=user)


def set_language(db: Database, committee_id: int, language: str, *, user: str) -> LocalNames:
    """Say which language the local names are in («quechua», «aimara», «asháninka»…)."""
    language = _clean(language, MAX_LANGUAGE, _("El nombre de la lengua")).lower()
    with db.session() as s:
        journal = Journal(s, committee_id, lock=True)
        if _current(journal)[0] != language:
            journal.append(LANGUAGE_KIND, date.today(), {"language": language}, user=user)
    return list_local_names(db, committee_id)


def get_recipe_name(db: Database, committee_id: int, recipe_id: str) -> str:
    """The Spanish name of a preparation the committee can use (NotFound otherwise)."""
    with db.session() as s:
        return _recipe_name(s, committee_id, recipe_id)
