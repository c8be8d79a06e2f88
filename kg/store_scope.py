"""legkg's own graphs as a store: what the browse and explorer indexes read.

On a big persistent or remote store the default graph also holds the external
ontologies (HPO, MAxO, UBERON...: hundreds of thousands of triples); the per-process
browse and explorer indexes are about legkg's entities only, so they query legkg's
graphs and stay small and quick to build. ``/sparql`` and named queries still see
everything. Search over the external terms uses the label index (``kg.label_index``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kg.store import DiskStore, Result, Store, StoreProxy, Term, has_dataset_clause

LEGKG_GRAPHS = "https://w3id.org/legkg/graph/"


class GraphScope(StoreProxy):
    """A store whose default graph (and named graphs) are only ``graphs``."""

    def __init__(self, store: Store, graphs: Sequence[str]) -> None:
        super().__init__(store)
        self.graphs = list(graphs)

    def query(
        self,
        text: str,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        bindings: Mapping[str, Term] | None = None,
    ) -> Result:
        if not (default_graph_uris or named_graph_uris or has_dataset_clause(text)):
            default_graph_uris = named_graph_uris = self.graphs
        return super().query(text, default_graph_uris, named_graph_uris, bindings)

    def graph_names(self) -> list[str]:
        return list(self.graphs)


def own_graphs(store: Store) -> Store:
    """``store`` limited to legkg's graphs when it is persistent or remote (it may hold
    external ontologies); the in-memory store unchanged (it holds only what was given).

    The scope is sent as the query dataset rather than copied into memory: reading
    40k quads back out of RocksDB took longer (3-7 s here) than querying in place.
    """
    if not isinstance(store, DiskStore) and store.engine != "sparql":
        return store
    graphs = [g for g in store.graph_names() if g.startswith(LEGKG_GRAPHS)]
    return GraphScope(store, graphs) if graphs else store
