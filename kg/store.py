"""Read-only SPARQL store facade with two engines: Oxigraph (default) and pure rdflib.

Both engines take and return pyoxigraph terms, so serialisers and callers see one term
model. Two loading modes:

* built-in legkg dataset (a TriG file): the default graph of a query is the union of all
  graphs (taken at query time by Oxigraph; a copy in the default graph for rdflib), so
  ``FROM``, ``FROM NAMED`` and the protocol dataset keep their standard meaning.
* general mode (``--data FILE ...``): standard dataset semantics; quads keep their
  graphs, triples go to the default graph, the default graph is *not* the union.

Files are always parsed with pyoxigraph, which never fetches JSON-LD remote contexts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

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
    native: Any = None  # the engine's own solutions (pyoxigraph), for native serialisation


class Store(Protocol):
    """What every backend offers: in-memory, on-disk, rdflib and remote SPARQL."""

    engine: str

    def query(
        self,
        text: str,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        bindings: Mapping[str, Term] | None = None,
    ) -> Result: ...

    def graph_names(self) -> list[str]: ...


class StoreProxy:
    """A store that wraps another (scoping, replaying...); by default it passes through."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine

    def query(
        self,
        text: str,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        bindings: Mapping[str, Term] | None = None,
    ) -> Result:
        return self.store.query(text, default_graph_uris, named_graph_uris, bindings)

    def graph_names(self) -> list[str]:
        return self.store.graph_names()


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


def union_quads(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """Each quad, plus its copy in the default graph (built-in mode: the union)."""
    default = ox.DefaultGraph()
    for quad in quads:
        yield quad
        if quad.graph_name != default:
            yield ox.Quad(quad.subject, quad.predicate, quad.object, default)


class OxigraphStore:
    """In-memory pyoxigraph store; the fast path."""

    engine = "oxigraph"

    def __init__(self, quads: Iterable[ox.Quad], union_default: bool = False) -> None:
        self._store = ox.Store()
        self._store.bulk_extend(quads)
        self.union_default = union_default

    def query(
        self,
        text: str,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        bindings: Mapping[str, Term] | None = None,
    ) -> Result:
        kwargs = self._dataset(text, default_graph_uris, named_graph_uris)
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
            rows = _ox_rows(answer, len(names))
            return Result("solutions", names, rows=rows, native=answer)
        return Result("graph", [], triples=iter(answer))

    def _dataset(
        self, text: str, default: Sequence[str] | None, named: Sequence[str] | None
    ) -> dict[str, Any]:
        """Query options for the protocol dataset (none: the query's own or the store's).

        A built-in store (``union_default``) answers a query that names no dataset with
        the union of its graphs, taken at query time instead of stored as a second copy.
        """
        if not (default or named):
            if self.union_default and not has_dataset_clause(text):
                return {"use_default_graph_as_union": True}
            return {}
        return {
            "default_graph": [ox.NamedNode(g) for g in default or ()],
            "named_graphs": [ox.NamedNode(g) for g in named or ()],
        }

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))


_DATASET_CLAUSE = re.compile(r"(?<![\w:?$])FROM\s*(?:NAMED\b|<)", re.IGNORECASE)
_NOT_KEYWORDS = re.compile(
    r"#[^\n]*|<[^<>\"{}|^`\\\s]*>|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'"
    r"|\"(?:[^\"\\\n]|\\.)*\"",
    re.DOTALL,
)


def has_dataset_clause(text: str) -> bool:
    """True when the query names its own dataset (FROM / FROM NAMED), outside strings,
    IRIs and comments."""
    return bool(_DATASET_CLAUSE.search(_NOT_KEYWORDS.sub(_blank, text)))


def _blank(match: re.Match[str]) -> str:
    # keep an IRI's brackets so "FROM <g>" still matches; blank out strings and comments
    return "<>" if match.group(0).startswith("<") else " "


class DiskStore(OxigraphStore):
    """On-disk pyoxigraph store (``serve --store DIR``), opened read-only in each process.

    Every serving process opens its own read-only handle, so N workers share one copy of
    the data through the OS page cache instead of holding N copies in memory. A handle
    is never used across ``fork`` (RocksDB's locks and threads do not survive it): a
    process that inherited one opens its own and keeps the inherited one referenced, so
    its destructor never runs in the child. Loaded ontologies live in named graphs, so
    the default graph is their union, taken at query time (a bag: a triple in two graphs
    matches twice) unless the request or the query names a dataset.
    """

    union_default = True  # loaded ontologies sit in named graphs beside legkg's

    def __init__(self, path: str | os.PathLike[str]) -> None:
        # ``legkg load`` publishes versions by flipping a symlink: resolve it once, so a
        # worker and the query processes it forks later all read the same version
        self.path = str(Path(path).resolve())
        if not Path(self.path, "CURRENT").is_file():
            raise FileNotFoundError(f"{self.path} is not an Oxigraph store (see legkg load)")
        self._handle: ox.Store | None = None
        self._pid = 0
        self._inherited: list[ox.Store] = []
        self.graph_names()  # open now, so a bad store fails at start-up

    @property
    def _store(self) -> ox.Store:  # type: ignore[override]
        if self._pid != os.getpid():
            if self._handle is not None:
                self._inherited.append(self._handle)
            self._handle, self._pid = ox.Store.read_only(self.path), os.getpid()
        assert self._handle is not None
        return self._handle


def _ox_rows(solutions: ox.QuerySolutions, width: int) -> Iterator[list[Term | None]]:
    indexes = range(width)
    for solution in solutions:
        yield [solution[i] for i in indexes]


REMOTE_SCHEMES = ("sparql+http://", "sparql+https://")


def open_store(
    engine: str | None = None,
    trig: str | os.PathLike[str] | None = None,
    data: Sequence[str | os.PathLike[str]] | None = None,
    location: str | None = None,
    timeout: float = 10.0,
    update_endpoint: str | None = None,
) -> Store:
    """Open a read-only store.

    ``location`` selects a persistent backend: a directory is an on-disk Oxigraph store
    (built by ``legkg load``); ``sparql+http(s)://host/path`` is a remote SPARQL 1.1
    endpoint, queried with a socket time limit of about ``timeout`` seconds (and loaded
    through ``update_endpoint``).
    Otherwise ``data`` selects general mode (standard dataset semantics), else ``trig``
    (or the built artefact from ``kg.build.ensure_built()``) is loaded in built-in mode.
    The in-memory engine defaults to ``$LEGKG_STORE_ENGINE`` or ``oxigraph``.
    """
    if location:
        return _open_location(location, timeout, update_endpoint)
    engine = engine or os.environ.get("LEGKG_STORE_ENGINE", "oxigraph")
    if engine not in ENGINES:
        raise ValueError(f"unknown store engine {engine!r}; choose one of {ENGINES}")
    if data:
        quads: Iterable[ox.Quad] = (q for path in data for q in read_quads(path))
    else:
        if trig is None:
            from kg.build import ensure_built

            trig = ensure_built()
        return builtin_store(read_quads(trig), engine)
    if engine == "oxigraph":
        return OxigraphStore(quads)
    from kg.store_rdflib import RdflibStore  # rdflib's SPARQL modules load only when used

    return RdflibStore(quads)


def builtin_store(quads: Iterable[ox.Quad], engine: str = "oxigraph") -> Store:
    """legkg's own dataset: the default graph of a query is the union of its graphs."""
    if engine == "oxigraph":
        return OxigraphStore(quads, union_default=True)
    from kg.store_rdflib import RdflibStore

    return RdflibStore(union_quads(quads))


def _open_location(location: str, timeout: float, update: str | None) -> Store:
    if location.startswith(REMOTE_SCHEMES):
        from kg.store_remote import SparqlStore

        return SparqlStore.from_env(location.removeprefix("sparql+"), timeout, update)
    return DiskStore(location)
