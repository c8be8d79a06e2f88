"""Where legkg's committed inputs and build outputs live.

The ontology, shapes and queries sit at the repository top level (ODK layout), so
legkg is used from a checkout (`pip install -e .`).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
DATA_DIR = PACKAGE_DIR / "data"
ONTOLOGY_DIR = ROOT / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "legkg.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
QUERIES_DIR = ROOT / "queries"
CHECKS_DIR = QUERIES_DIR / "checks"


def build_dir() -> Path:
    """Default output folder of `legkg build` (LEGKG_BUILD_DIR overrides it)."""
    return Path(os.environ.get("LEGKG_BUILD_DIR", ROOT / "build"))


def shared_dir() -> Path:
    """The shared folder beside the checkout (LEGKG_SHARED_DIR overrides it)."""
    return Path(os.environ.get("LEGKG_SHARED_DIR", ROOT.parent / "shared"))
