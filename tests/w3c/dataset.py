"""Put every data file the suite uses into one N-Quads file, each file as a named graph.

The graph name is the file's suite IRI (what ``GRAPH ?g`` results expect); a test's dataset is
then picked per request with the protocol's ``default-graph-uri`` / ``named-graph-uri``.
Blank-node labels are made unique per file so that graphs merged into one default graph
stay apart, as an RDF merge requires.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from tests.w3c.manifest import GraphFile, W3CTest

# A graph IRI that is never loaded: selecting it as default graph gives an empty default graph.
EMPTY_GRAPH = "urn:x-legkg:w3c:empty-graph"


def graph_files(tests: Iterable[W3CTest]) -> dict[str, Path]:
    """Graph name → file, for every qt:data / qt:graphData of the tests."""
    files: dict[str, Path] = {}
    for test in tests:
        for graph in (*test.data, *test.graph_data):
            files.setdefault(graph.name, graph.path)
    return files


def _file_quads(graph: GraphFile, index: int) -> Iterable[ox.Quad]:
    fmt = ox.RdfFormat.from_extension(graph.path.suffix[1:])
    if fmt is None:
        raise ValueError(f"unknown RDF format for {graph.path}")
    name = ox.NamedNode(graph.name)

    def rename(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> object:
        return ox.BlankNode(f"g{index}x{term.value}") if isinstance(term, ox.BlankNode) else term

    for quad in ox.parse(path=graph.path, format=fmt, base_iri=graph.name):
        yield ox.Quad(rename(quad.subject), quad.predicate, rename(quad.object), name)


def write_nquads(files: dict[str, Path], target: Path) -> Path:
    """Write all graphs to ``target`` (N-Quads) and return it."""
    with target.open("wb") as out:
        for index, (name, path) in enumerate(sorted(files.items())):
            ox.serialize(_file_quads(GraphFile(name, path), index), out, ox.RdfFormat.N_QUADS)
    return target
