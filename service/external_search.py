"""Search results from the ontologies loaded beside legkg (HPO, MAxO, UBERON...).

The browse search (``kg.search``) ranks legkg's own entities in memory. A store built
by ``legkg load`` also has an SQLite FTS5 index of every label and synonym in it
(``kg.label_index``, 100k+ names); ``/search`` appends its matches after legkg's, as
results linking to the external-term pages (``/entity/HP:0001250``). Without such an
index (the built-in graph, a remote store) there are no external results.
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.label_index import index_path, search
from kg.store import DiskStore
from kg.views import Ref, SearchPage, SearchResult
from kg.views_index import BrowseIndex
from service.state import state

# how the search page names a term's ontology (by CURIE prefix); others: the prefix
ONTOLOGY_NAMES = {"HP": "HPO", "MAXO": "MAxO", "UBERON": "UBERON", "MONDO": "MONDO"}
CACHE_KEY = "label-index"


def label_index() -> Path | None:
    """The FTS5 index of the served store version, if it has one (looked up once)."""
    cache = state().cache
    if CACHE_KEY not in cache:
        store = state().store
        path = index_path(store.path) if isinstance(store, DiskStore) else None
        cache[CACHE_KEY] = path if path is not None and os.path.isfile(path) else None
    return cache[CACHE_KEY]


def with_external(page: SearchPage, index: BrowseIndex, limit: int = 20) -> SearchPage:
    """``page`` (legkg's matches) followed by up to ``limit`` external terms. legkg's own
    terms are skipped: the FTS index holds their names too, and the browse search has
    ranked them already (an HPO term legkg cross-references stays: it is external)."""
    path = label_index()
    if path is None or not page.query:
        return page
    extra = [
        SearchResult(_ref(hit), _type(hit["curie"]), hit["matched"])
        for hit in search(path, page.query, limit + len(page.results))
        if not _is_own(index, hit["iri"]) and _has_page(hit["curie"])
    ][:limit]
    if not extra:
        return page
    return SearchPage(page.query, "", [*page.results, *extra])


def _is_own(index: BrowseIndex, iri: str) -> bool:
    return iri in index.entities or iri in index.classes or iri in index.relations


def _has_page(curie: str) -> bool:
    """An OBO CURIE (``HP:0001250``) has an external-term page; a bare IRI (not routable
    as ``/entity/<CURIE>``) or a legkg term the browse index does not know has none."""
    prefix, colon, local = curie.partition(":")
    return bool(colon) and prefix.isalnum() and "/" not in local and prefix != "legkg"


def _ref(hit: dict[str, str]) -> Ref:
    # kind "entity": external terms have their page at /entity/<CURIE> too
    return Ref("entity", hit["iri"], hit["curie"], hit["label"])


def _type(curie: str) -> str:
    prefix = curie.split(":", 1)[0]
    return f"{ONTOLOGY_NAMES.get(prefix, prefix)} term"
