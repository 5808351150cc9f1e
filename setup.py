"""Packaging lives in pyproject.toml; this file adds only what pyproject.toml cannot say.

The wheel must carry the shipped data (the food table, the recipe bank, fonts, translations…). In the
checkout ``resources/`` and ``recipes/`` stay at the top of the repository, where everyone edits them;
in the wheel they are mapped into the package as ``qaliwarma/resources`` and ``qaliwarma/recipes``
(``package_dir``), so an installed application finds them beside its code, and the frozen bundle puts
them at the same place (qaliwarma/paths.py: one rule for the three). Every folder of the two trees is
listed with all its files, so new resource files are shipped without touching this file (and setuptools
does not warn about data folders it was not told about). pyproject.toml cannot add mapped packages to a
``packages.find`` result, hence this file.
"""

from pathlib import Path

from setuptools import find_namespace_packages, setup

SHIPPED = ("resources", "recipes")
HERE = Path(__file__).resolve().parent


def shipped_packages() -> dict[str, list[str]]:
    """``qaliwarma.resources.fonts`` → ``["*"]`` for every folder of the shipped trees."""
    found = {}
    for name in SHIPPED:
        for folder in [HERE / name, *sorted(p for p in (HERE / name).rglob("*") if p.is_dir())]:
            if folder.name != "__pycache__":
                found[".".join(["qaliwarma", *folder.relative_to(HERE).parts])] = ["*"]
    return found


setup(
    packages=[*find_namespace_packages(include=["qaliwarma", "qaliwarma.*", "ui", "ui.*"]), *shipped_packages()],
    package_dir={f"qaliwarma.{name}": name for name in SHIPPED},
    package_data={
        "qaliwarma.persistence": ["migrations/*.py", "migrations/*.mako", "migrations/versions/*.py"],
        **shipped_packages(),
    },
)
