"""Fixtures for the graph pipeline tests: one real build of the committed data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import BuildResult, build
from kg.checks import to_oxigraph
from kg.paths import DATA_DIR


@pytest.fixture(scope="session")
def built() -> BuildResult:
    return build()


@pytest.fixture(scope="session")
def store(built: BuildResult) -> ox.Store:
    return to_oxigraph(built)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A scratch copy of kg/data that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target
