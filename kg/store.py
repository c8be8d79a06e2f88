"""Read-only SPARQL store facade with two engines: Oxigraph (default) and pure rdflib.

Both engines take and return pyoxigraph terms, so serialisers and callers see one term
model. Two loading modes:

* built-in legkg dataset (a TriG file): the default graph of a query is the union of all
  graphs. We materialise that union into the store's default graph, so ``FROM``,
  ``FROM NAMED`` and the protocol dataset keep their standard meaning on top of it.
* general mode (``--data FILE ...``): standard dataset semantics; quads keep their
  graphs, triples go to the default graph, the default graph is *not* the union.

Files are always parsed with pyoxigraph, which never fetches JSON-LD remote contexts.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
ENGINES = ("oxigraph", "rdflib")

_EXTENSIONS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".n3": ox.RdfFormat.N3,
}


class StoreError(Exception):
    """A query the engine refused: ``kind`` is ``syntax`` or ``evaluation``."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass
class Result:
    """Outcome of one query: ``kind`` is ``solutions``, ``boolean`` or ``graph``."""

    kind: str
    variables: list[str]
    rows: Iterator[list[Term | None]] | None = None
    boolean: bool | None = None
    triples: Iterator[ox.Triple] | None = None


def rdf_format(path: str | os.PathLike[str]) -> ox.RdfFormat:
    """RDF format of a data file from its extension (ValueError when unknown)."""
    suffix = Path(path).suffix.lower()
    if suffix not in _EXTENSIONS:
        raise ValueError(f"unknown RDF file extension {suffix!r} for {path}")
    return _EXTENSIONS[suffix]


def read_quads(path: str | os.PathLike[str]) -> Iterator[ox.Quad]:
    """Parse one file into quads, relative IRIs resolved against the file's URI."""
    base = Path(path).resolve().as_uri()
    return ox.parse(path=str(path), format=rdf_format(path), base_iri=base, rename_blank_nodes=True)


def _union_quads(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    default = ox.DefaultGraph()
    for quad in quads:
        yield quad
        if quad.graph_name != default:
            yield ox.Quad(quad.subject, quad.predicate, quad.object, default)


class OxigraphStore:
    """In-memory pyoxigraph store; the fast path."""

    engine = "oxigraph"

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self._store = ox.Store()
        self._store.bulk_extend(quads)

    def query(
        self,
        text: str,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        bindings: Mapping[str, Term] | None = None,
    ) -> Result:
        kwargs: dict[str, Any] = {}
        if default_graph_uris or named_graph_uris:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph_uris or ()]
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graph_uris or ()]
        if bindings:
            kwargs["substitutions"] = {ox.Variable(k): v for k, v in bindings.items()}
        try:
            answer = self._store.query(text, **kwargs)
        except SyntaxError as exc:
            raise StoreError("syntax", str(exc)) from None
        except (OSError, ValueError, TypeError) as exc:
            raise StoreError("evaluation", str(exc)) from None
        if isinstance(answer, ox.QueryBoolean):
            return Result("boolean", [], boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            names = [v.value for v in answer.variables]
            return Result("solutions", names, rows=_ox_rows(answer, len(names)))
        return Result("graph", [], triples=iter(answer))

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))


def _ox_rows(solutions: ox.QuerySolutions, width: int) -> Iterator[list[Term | None]]:
    indexes = range(width)
    for solution in solutions:
        yield [solution[i] for i in indexes]


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


Store = OxigraphStore | RdflibStore


def open_store(
    engine: str | None = None,
    trig: str | os.PathLike[str] | None = None,
    data: Sequence[str | os.PathLike[str]] | None = None,
) -> Store:
    """Open a read-only store.

    ``data`` selects general mode (standard dataset semantics); otherwise ``trig`` (or
    the built artefact from ``kg.build.ensure_built()``) is loaded in built-in mode.
    The engine defaults to ``$LEGKG_STORE_ENGINE`` or ``oxigraph``.
    """
    engine = engine or os.environ.get("LEGKG_STORE_ENGINE", "oxigraph")
    if engine not in ENGINES:
        raise ValueError(f"unknown store engine {engine!r}; choose one of {ENGINES}")
    if data:
        quads: Iterable[ox.Quad] = (q for path in data for q in read_quads(path))
    else:
        if trig is None:
            from kg.build import ensure_built

            trig = ensure_built()
        quads = _union_quads(read_quads(trig))
    cls = OxigraphStore if engine == "oxigraph" else RdflibStore
    return cls(quads)
