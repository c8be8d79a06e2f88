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
    """The W3C suite directory, or None when it is not available here."""
    candidates = []
    if os.environ.get(ENV_VAR):
        candidates.append(Path(os.environ[ENV_VAR]))
    candidates.append(REPO_ROOT.parent / "shared" / "w3c-sparql11")
    for path in candidates:
        if (path / ENTRY_MANIFESTS[0]).is_file():
            return path.resolve()
    return None
