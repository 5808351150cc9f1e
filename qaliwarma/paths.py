"""Where the application's data, resources and recipe bank live.

Shipped data (``resources/``, ``recipes/``) is found by one rule, whatever the application runs from:
the package's own folder first (``qaliwarma/resources``: an installed wheel carries them there, and the
frozen bundle puts them at the same place inside ``sys._MEIPASS``, where ``__file__`` points), then the
folder above the package (a source checkout or an editable install, where they sit at the top).
``QALIWARMA_RESOURCES`` / ``QALIWARMA_RECIPES`` override both (packagers, tests).
User data (the SQLite database, backups) lives in the platform's user data folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "QaliWarmaCAE"


def shipped_dir(name: str) -> Path:
    """``resources`` or ``recipes``: inside the package when installed or frozen, else the checkout's."""
    package = Path(__file__).resolve().parent
    inside = package / name
    return inside if inside.is_dir() else package.parent / name


def resources_dir() -> Path:
    override = os.environ.get("QALIWARMA_RESOURCES")
    return Path(override) if override else shipped_dir("resources")


def recipes_dir() -> Path:
    override = os.environ.get("QALIWARMA_RECIPES")
    return Path(override) if override else shipped_dir("recipes")


def is_frozen() -> bool:
    """True when running from the PyInstaller bundle (the installed application)."""
    return bool(getattr(sys, "frozen", False))


def food_table_file() -> Path:
    return resources_dir() / "foods" / "tpca2017.xlsx"


def data_dir() -> Path:
    """The user's data folder (created on first use)."""
    override = os.environ.get("QALIWARMA_DATA_DIR")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, appauthor=False)
    if not path.exists():  # created readable only by the user (issue 13); a folder given is left as it is
        path.mkdir(parents=True, mode=0o700)
        os.chmod(path, 0o700)
    return path


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'qaliwarma.sqlite3'}"


def database_url(explicit: str | None = None) -> str:
    """``--db`` first, then ``QALIWARMA_DB``, then the SQLite file in the data folder.

    A plain path means SQLite.
    """
    url = explicit or os.environ.get("QALIWARMA_DB") or default_database_url()
    if "://" not in url:
        url = f"sqlite:///{Path(url).expanduser().resolve()}"
    return url
