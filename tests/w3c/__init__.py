"""W3C SPARQL 1.1 query test-suite harness for legkg's ``/sparql`` endpoint.

The suite itself (manifests, queries, data and expected results) lives outside the repository,
in ``../shared/w3c-sparql11`` relative to the repository root, or wherever ``LEGKG_W3C_DIR``
points. :func:`suite_dir` finds it; everything else in this package reads it.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
ENV_VAR = "LEGKG_W3C_DIR"
ENTRY_MANIFESTS = ("manifest-sparql11-query.ttl", "manifest-sparql11-results.ttl")


def suite_dir() -> Path | None:
    """The W3C suite directory (``$LEGKG_W3C_DIR`` if set), or None when it is not there."""
    configured = os.environ.get(ENV_VAR)
    path = Path(configured) if configured else REPO_ROOT.parent / "shared" / "w3c-sparql11"
    return path.resolve() if (path / ENTRY_MANIFESTS[0]).is_file() else None
