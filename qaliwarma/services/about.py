"""What the «Acerca de» window shows: which program, which data, which reference tables are in use.

Plain data; the window words it (and translates it).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from .. import __version__
from ..paths import data_dir, recipes_dir
from ..persistence.engine import Database, sqlite_file
from . import catalog, recipes, standards


@dataclass(frozen=True)
class AboutInfo:
    version: str
    installed_as: str  # "frozen" (the installed application), "package" (a wheel) or "checkout"
    program_folder: str
    data_folder: str
    database: str  # the SQLite file, or the server's URL without its password
    database_is_file: bool
    food_table: catalog.SourceInfo | None
    standard_name: str  # the default nutritional standard
    standard_source: str
    standards_available: int
    standards_own: int  # the committee's own copies among them
    recipe_bank_folder: str
    bank_by_region: tuple[tuple[str, int], ...]  # bank preparations per region
    own_recipes: int  # the committee's own preparations


def installed_as() -> tuple[str, str]:
    """How this copy of the application runs, and the folder its program files are in."""
    if getattr(sys, "frozen", False):
        return "frozen", str(Path(sys.executable).resolve().parent)
    package = Path(__file__).resolve().parents[1]
    if (package / "resources").is_dir():
        return "package", str(package)
    return "checkout", str(package.parent)


def about(db: Database, committee_id: int | None = None) -> AboutInfo:
    path = sqlite_file(db.url)
    standard = standards.get_standard(db)
    available = standards.list_standards(db, committee_id)
    bank = recipes.list_recipes(db, committee_id=committee_id)
    regions: dict[str, int] = {}
    for r in bank:
        if not r.committee_own:
            regions[r.region] = regions.get(r.region, 0) + 1
    how, folder = installed_as()
    return AboutInfo(
        version=__version__,
        installed_as=how,
        program_folder=folder,
        data_folder=str(data_dir()),
        database=str(path.resolve()) if path else make_url(db.url).render_as_string(hide_password=True),
        database_is_file=path is not None,
        food_table=catalog.active_source(db),
        standard_name=standard.name,
        standard_source=standard.source,
        standards_available=len(available),
        standards_own=sum(1 for s in available if s.committee_own),
        recipe_bank_folder=str(recipes_dir()),
        bank_by_region=tuple(sorted(regions.items())),
        own_recipes=sum(1 for r in bank if r.committee_own),
    )
