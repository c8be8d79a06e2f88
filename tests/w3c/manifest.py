"""Read the W3C SPARQL 1.1 manifests (``mf:``/``qt:`` vocabulary) with rdflib."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection

W3C_BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")

KINDS = {
    MF.QueryEvaluationTest: "eval",
    MF.CSVResultFormatTest: "eval",
    MF.PositiveSyntaxTest11: "positive-syntax",
    MF.PositiveSyntaxTest: "positive-syntax",
    MF.NegativeSyntaxTest11: "negative-syntax",
    MF.NegativeSyntaxTest: "negative-syntax",
}


@dataclass(frozen=True)
class GraphFile:
    """A data file and the IRI it is known by in the test's dataset."""

    name: str
    path: Path


@dataclass(frozen=True)
class W3CTest:
    """One manifest entry."""

    iri: str
    test_id: str
    name: str
    kind: str
    type_iri: str
    approval: str
    query: Path | None = None
    query_iri: str = ""
    data: tuple[GraphFile, ...] = ()
    graph_data: tuple[GraphFile, ...] = ()
    result: Path | None = None
    result_iri: str = ""

    @property
    def query_text(self) -> str:
        assert self.query is not None
        return self.query.read_text(encoding="utf-8")


def iri_to_path(iri: str, root: Path) -> Path:
    """The local file for a suite IRI (IRIs are rooted at :data:`W3C_BASE`)."""
    if not iri.startswith(W3C_BASE):
        raise ValueError(f"not a suite IRI: {iri}")
    return root / iri[len(W3C_BASE) :]


def path_to_iri(path: Path, root: Path) -> str:
    """The suite IRI of a local file."""
    return W3C_BASE + path.resolve().relative_to(root).as_posix()


def _parse_manifest(path: Path, root: Path) -> Graph:
    graph = Graph()
    graph.parse(path, format="turtle", publicID=path_to_iri(path, root))
    return graph


def _items(graph: Graph, subject: URIRef, predicate: URIRef) -> list:
    items: list = []
    for head in graph.objects(subject, predicate):
        items.extend(Collection(graph, head))
    return items


def _graph_file(graph: Graph, node: object, root: Path) -> GraphFile:
    if isinstance(node, BNode):  # newer form: [ qt:graph <file> ; rdfs:label "name" ]
        file_iri = str(graph.value(node, QT.graph))
        label = graph.value(node, RDFS.label)
        return GraphFile(str(label) if label else file_iri, iri_to_path(file_iri, root))
    return GraphFile(str(node), iri_to_path(str(node), root))


def _graph_files(graph: Graph, action: BNode, predicate: URIRef, root: Path) -> tuple:
    files = (_graph_file(graph, node, root) for node in graph.objects(action, predicate))
    return tuple(sorted(files, key=lambda g: g.name))


def _test_id(iri: str) -> str:
    rel = iri[len(W3C_BASE) :] if iri.startswith(W3C_BASE) else iri
    return rel.replace("/manifest#", "/")


def _entry(graph: Graph, node: URIRef, root: Path) -> W3CTest:
    type_iri = graph.value(node, RDF.type)
    approval = graph.value(node, DAWGT.approval)
    common: dict = {
        "iri": str(node),
        "test_id": _test_id(str(node)),
        "name": str(graph.value(node, MF.name) or ""),
        "kind": KINDS.get(type_iri, "unsupported"),
        "type_iri": str(type_iri),
        "approval": str(approval).rsplit("#", 1)[-1] if approval else "",
    }
    action = graph.value(node, MF.action)
    result = graph.value(node, MF.result)
    if result is not None:
        common.update(result=iri_to_path(str(result), root), result_iri=str(result))
    if not isinstance(action, BNode):  # syntax tests: the action is the query itself
        query_iri = str(action) if action is not None else ""
        query = iri_to_path(query_iri, root) if query_iri else None
        return W3CTest(**common, query=query, query_iri=query_iri)
    query_iri = str(graph.value(action, QT.query))
    return W3CTest(
        **common,
        query=iri_to_path(query_iri, root),
        query_iri=query_iri,
        data=_graph_files(graph, action, QT.data, root),
        graph_data=_graph_files(graph, action, QT.graphData, root),
    )


def _manifest_tests(path: Path, root: Path) -> list[W3CTest]:
    graph = _parse_manifest(path, root)
    manifest = URIRef(path_to_iri(path, root))
    tests: list[W3CTest] = []
    for include in _items(graph, manifest, MF.include):
        tests.extend(_manifest_tests(iri_to_path(str(include), root), root))
    for entry in _items(graph, manifest, MF.entries):
        tests.append(_entry(graph, entry, root))
    return tests


def load_tests(root: Path, entry_manifests: tuple[str, ...]) -> list[W3CTest]:
    """All tests reachable from the entry manifests, in manifest order, data files sorted."""
    tests: list[W3CTest] = []
    for name in entry_manifests:
        tests.extend(_manifest_tests(root / name, root))
    return tests
