"""The pure-rdflib engine of the store facade (``--engine rdflib``), and term conversion.

Slow beside Oxigraph but dependency-light; it takes and returns pyoxigraph terms like
the other backends, so serialisers and callers see one term model.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pyoxigraph as ox

from kg.store import XSD_STRING, Result, StoreError, Term


class RdflibStore:
    """Pure rdflib Dataset; slow but dependency-light, kept behind a setting."""

    engine = "rdflib"

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        import rdflib
        import rdflib.plugins.sparql as rsparql

        rsparql.SPARQL_LOAD_GRAPHS = False  # FROM never fetches anything
        rsparql.SPARQL_DEFAULT_GRAPH_UNION = False  # the default graph is the default graph
        self._ds = rdflib.Dataset(default_union=False)
        for quad in quads:
            graph = quad.graph_name
            ctx = (
                self._ds.default_graph
                if isinstance(graph, ox.DefaultGraph)
                else self._ds.graph(to_rdflib(graph))
            )
            ctx.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))

    def query(
        self,
        text: str,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        bindings: Mapping[str, Term] | None = None,
    ) -> Result:
        from rdflib.plugins.sparql.evaluate import evalQuery

        parsed = _prepare(text)
        graph = self._ds
        if default_graph_uris or named_graph_uris:
            parsed = _without_dataset_clause(parsed)
            graph = self._view(default_graph_uris or (), named_graph_uris or ())
        init = {k: to_rdflib(v) for k, v in (bindings or {}).items()}
        try:
            res = evalQuery(graph, parsed, init)
        except Exception as exc:  # rdflib raises many types while evaluating
            raise StoreError("evaluation", f"{type(exc).__name__}: {exc}") from None
        return _rdflib_result(res)

    def _view(self, default: Sequence[str], named: Sequence[str]) -> Any:
        import rdflib

        view = rdflib.Dataset(default_union=False)
        for name in default:
            for triple in self._ds.graph(rdflib.URIRef(name)):
                view.default_graph.add(triple)
        for name in named:
            target = view.graph(rdflib.URIRef(name))
            for triple in self._ds.graph(rdflib.URIRef(name)):
                target.add(triple)
        return view

    def graph_names(self) -> list[str]:
        import rdflib
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        names = (g.identifier for g in self._ds.graphs() if len(g))
        return sorted(
            str(n) for n in names if isinstance(n, rdflib.URIRef) and n != DATASET_DEFAULT_GRAPH_ID
        )


@functools.lru_cache(maxsize=256)
def _prepare(text: str) -> Any:
    """Parse once per distinct text (named queries are reused); errors become StoreError."""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        return translateQuery(parseQuery(text))
    except Exception as exc:  # pyparsing errors and rdflib algebra errors
        raise StoreError("syntax", str(exc)) from None


def _without_dataset_clause(parsed: Any) -> Any:
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.plugins.sparql.sparql import Query

    algebra = CompValue(parsed.algebra.name, **dict(parsed.algebra))
    algebra["datasetClause"] = None
    return Query(parsed.prologue, algebra)


def _rdflib_result(res: Mapping[str, Any]) -> Result:
    kind = res["type_"]
    if kind == "ASK":
        return Result("boolean", [], boolean=bool(res["askAnswer"]))
    if kind in ("CONSTRUCT", "DESCRIBE"):
        graph = res["graph"]
        return Result("graph", [], triples=(ox.Triple(*map(to_oxigraph, t)) for t in graph))
    names = [str(v) for v in res["vars_"]]
    rows = ([to_oxigraph(b.get(v)) for v in res["vars_"]] for b in res["bindings"])
    return Result("solutions", names, rows=rows)


def to_rdflib(term: Any) -> Any:
    """pyoxigraph term -> rdflib term (xsd:string literals become plain literals)."""
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return rdflib.Literal(term.value, datatype=None if dt == XSD_STRING else dt)
    raise TypeError(f"unsupported term {term!r}")


def to_oxigraph(term: Any) -> Term | None:
    """rdflib term -> pyoxigraph term (None stays None)."""
    import rdflib

    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        try:
            return ox.BlankNode(str(term))
        except ValueError:
            return ox.BlankNode()
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")
