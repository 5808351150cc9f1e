"""Shipped data is found by one rule from a checkout, an installed wheel and the frozen bundle.

(installer/smoke.py checks the real wheel, frozen folder and .deb end to end in CI.)
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import qaliwarma.paths

REPO = Path(__file__).resolve().parents[2]


def _load_paths_from(package: Path):
    """qaliwarma/paths.py loaded from a copy placed in ``package`` (an installed or frozen layout)."""
    package.mkdir(parents=True, exist_ok=True)
    shutil.copy(qaliwarma.paths.__file__, package / "paths.py")
    spec = importlib.util.spec_from_file_location("copied_paths", package / "paths.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_checkout_finds_the_top_level_folders(monkeypatch):
    monkeypatch.delenv("QALIWARMA_RESOURCES", raising=False)
    monkeypatch.delenv("QALIWARMA_RECIPES", raising=False)
    assert qaliwarma.paths.resources_dir() == REPO / "resources"
    assert qaliwarma.paths.recipes_dir() == REPO / "recipes"
    assert qaliwarma.paths.food_table_file().is_file()


def test_installed_or_frozen_layout_uses_the_folders_inside_the_package(tmp_path, monkeypatch):
    monkeypatch.delenv("QALIWARMA_RESOURCES", raising=False)
    monkeypatch.delenv("QALIWARMA_RECIPES", raising=False)
    site = tmp_path / "site-packages"
    (site / "qaliwarma" / "resources" / "foods").mkdir(parents=True)
    (site / "qaliwarma" / "recipes" / "sierra").mkdir(parents=True)
    (site / "resources").mkdir()  # an unrelated folder beside the package must not be taken
    paths = _load_paths_from(site / "qaliwarma")
    assert paths.resources_dir() == site / "qaliwarma" / "resources"
    assert paths.recipes_dir() == site / "qaliwarma" / "recipes"
    assert paths.food_table_file() == site / "qaliwarma" / "resources" / "foods" / "tpca2017.xlsx"


def test_environment_overrides_win(tmp_path, monkeypatch):
    monkeypatch.setenv("QALIWARMA_RESOURCES", str(tmp_path / "r"))
    monkeypatch.setenv("QALIWARMA_RECIPES", str(tmp_path / "b"))
    assert qaliwarma.paths.resources_dir() == tmp_path / "r"
    assert qaliwarma.paths.recipes_dir() == tmp_path / "b"

