"""Label and synonym search at scale: an SQLite FTS5 index built beside the on-disk store.

The browse search (``kg.search``) keeps every name in memory and scans them per query:
right for legkg's few hundred entities, not for the 100k+ labels and synonyms of HPO,
MAxO and UBERON. This index is built once per store version (by ``legkg load`` or
``python -m kg.label_index STORE``), lives inside the version folder (so it always
matches the data it was built from) and is shared by every worker through the page
cache. Matching is by word prefixes, case- and accent-insensitive (unicode61); an exact
name ranks first, then labels before synonyms, shorter names, then BM25.

    build_label_index(store, path)     # store: a DiskStore, an ox.Store or a folder
    search(path, "seizur", limit=20)   # [{"iri", "curie", "label", "matched", "kind"}]
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

INDEX_NAME = "legkg-labels.sqlite"
OBO = "http://purl.obolibrary.org/obo/"
OIO = "http://www.geneontology.org/formats/oboInOwl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
NAME_PREDICATES = {
    "http://www.w3.org/2000/01/rdf-schema#label": "label",
    SKOS + "prefLabel": "label",
    SKOS + "altLabel": "synonym",
    OIO + "hasExactSynonym": "synonym",
    OIO + "hasRelatedSynonym": "synonym",
    OIO + "hasBroadSynonym": "synonym",
    OIO + "hasNarrowSynonym": "synonym",
    "https://w3id.org/legkg/acronym": "acronym",
}
_WORD = re.compile(r"\w+", re.UNICODE)
_OBO_ID = re.compile(r"^([A-Za-z][A-Za-z0-9]*)_(\w+)$")


def index_path(store_dir: str | os.PathLike[str]) -> Path:
    """Where the index of a store lives: inside the current version's folder."""
    return Path(store_dir).resolve() / INDEX_NAME


def curie(iri: str) -> str:
    """``HP:0001234`` for an OBO PURL, ``legkg:X`` for legkg, else the IRI."""
    if iri.startswith(OBO):
        match = _OBO_ID.match(iri[len(OBO) :])
        if match:
            return f"{match.group(1)}:{match.group(2)}"
    if iri.startswith("https://w3id.org/legkg/"):
        return "legkg:" + iri.rsplit("/", 1)[-1]
    return iri


def _names(store: ox.Store) -> Iterator[tuple[str, str, str]]:
    """(iri, name, kind) for every IRI subject with a label, synonym or acronym."""
    for predicate, kind in NAME_PREDICATES.items():
        for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
            if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
                yield quad.subject.value, quad.object.value, kind


def _open_ox(store: Any) -> ox.Store:
    if isinstance(store, ox.Store):
        return store
    if hasattr(store, "_store"):  # kg.store.DiskStore / OxigraphStore
        return store._store
    return ox.Store.read_only(str(Path(store).resolve()))


def build_label_index(store: Any, path: str | os.PathLike[str]) -> int:
    """Write the index of ``store``'s names to ``path`` (atomically); the name count."""
    target = Path(path)
    scratch = target.with_name(target.name + f".{os.getpid()}.tmp")
    scratch.unlink(missing_ok=True)
    db = sqlite3.connect(scratch)
    try:
        db.execute(
            "CREATE VIRTUAL TABLE names USING fts5(name, label UNINDEXED, kind UNINDEXED,"
            " iri UNINDEXED, tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
        )
        rows = list(dict.fromkeys(_names(_open_ox(store))))  # drop graph duplicates
        labels: dict[str, str] = {}
        for iri, name, kind in rows:
            if kind == "label":
                labels.setdefault(iri, name)
        db.executemany(
            "INSERT INTO names VALUES (?, ?, ?, ?)",
            ((name, labels.get(iri, name), kind, iri) for iri, name, kind in rows),
        )
        db.execute("INSERT INTO names(names) VALUES ('optimize')")
        db.commit()
    finally:
        db.close()
    os.replace(scratch, target)
    return len(rows)


_KIND_RANK = "CASE kind WHEN 'label' THEN 0 WHEN 'acronym' THEN 1 ELSE 2 END"
_SEARCH = f"""
SELECT iri, label, name, kind FROM names WHERE names MATCH ?
ORDER BY (lower(name) = ?) DESC, {_KIND_RANK}, length(name), bm25(names) LIMIT ?
"""


def search(path: str | os.PathLike[str], q: str, limit: int = 20) -> list[dict[str, str]]:
    """Best match per entity for the words of ``q`` (each a prefix), best first."""
    words = _WORD.findall(q.lower())[:12]
    if not words:
        return []
    match = " AND ".join(f'"{w}"*' for w in words)
    db = _connection(str(path))
    hits: dict[str, dict[str, str]] = {}
    for iri, label, name, kind in db.execute(_SEARCH, (match, q.strip().lower(), limit * 4)):
        if iri not in hits:
            hits[iri] = {"iri": iri, "curie": curie(iri), "label": label, "matched": name,
                         "kind": kind}  # fmt: skip
        if len(hits) == limit:
            break
    return list(hits.values())


_CONNECTIONS: dict[tuple[int, str], sqlite3.Connection] = {}


def _connection(path: str) -> sqlite3.Connection:
    """One read-only connection per process and index (never shared across fork)."""
    key = (os.getpid(), path)
    if key not in _CONNECTIONS:
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        _CONNECTIONS[key] = sqlite3.connect(uri, uri=True, check_same_thread=False)
    return _CONNECTIONS[key]


def main(argv: list[str]) -> int:
    """``python -m kg.label_index STORE``: (re)build the index of a store's current version."""
    if len(argv) != 1:
        print("usage: python -m kg.label_index STORE_DIR", file=sys.stderr)
        return 2
    count = build_label_index(argv[0], index_path(argv[0]))
    print(f"indexed {count:,} names into {index_path(argv[0])}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
