"""The desktop's own preferences (not records: nothing here is journaled), in an INI file beside the
database in the data folder, so that a copy of the folder carries them and tests stay private.

Keys: ``modo/supervisor`` (bool: show «Supervisión»), ``documentos/carpeta`` (where documents are saved).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings


def settings() -> QSettings:
    from qaliwarma.paths import data_dir

    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / "escritorio.ini"), QSettings.Format.IniFormat)


def flag(key: str, default: bool = False) -> bool:
    value = settings().value(key, default)
    return value in (True, "true", "1", 1) if not isinstance(value, bool) else value


def set_value(key: str, value) -> None:
    s = settings()
    s.setValue(key, value)
    s.sync()
