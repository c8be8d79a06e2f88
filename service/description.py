"""SPARQL 1.1 Service Description with VoID statistics, built as triples, sent as Turtle."""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox

from kg.paths import QUERIES_DIR
from kg.store import Store

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
)


@cache
def _query(name: str) -> str:
    return (QUERIES_DIR / "service" / f"{name}.rq").read_text(encoding="utf-8")


def dataset_stats(store: Store) -> dict:
    """VoID numbers of the default graph, and triples per named graph."""
    row = next(store.query(_query("void-stats")).rows)
    classes = next(store.query(_query("void-classes")).rows)[0]
    stats = {
        k: int(t.value)
        for k, t in zip(
            ("triples", "distinctSubjects", "properties", "distinctObjects"), row, strict=True
        )
    }
    stats["classes"] = int(classes.value)
    rows = store.query(_query("void-graphs")).rows
    graphs = {g.value: int(n.value) for g, n in rows if g is not None}
    return {"default": stats, "graphs": graphs}


def service_description(endpoint: str, stats: dict, union_default: bool) -> bytes:
    """Turtle description of the endpoint and its dataset."""
    service = ox.NamedNode(endpoint)
    triples: list[ox.Triple] = []

    def add(s, p: str, o) -> None:
        triples.append(ox.Triple(s, ox.NamedNode(p), o))

    add(service, str(RDF_TYPE.value), ox.NamedNode(SD + "Service"))
    add(service, SD + "endpoint", service)
    add(service, SD + "supportedLanguage", ox.NamedNode(SD + "SPARQL11Query"))
    for name in RESULT_FORMATS:
        add(service, SD + "resultFormat", ox.NamedNode(FORMATS + name))
    if union_default:
        add(service, SD + "feature", ox.NamedNode(SD + "UnionDefaultGraph"))
    dataset, default = ox.BlankNode("dataset"), ox.BlankNode("default")
    add(service, SD + "defaultDataset", dataset)
    add(dataset, str(RDF_TYPE.value), ox.NamedNode(SD + "Dataset"))
    add(dataset, SD + "defaultGraph", default)
    add(default, str(RDF_TYPE.value), ox.NamedNode(SD + "Graph"))
    add(default, str(RDF_TYPE.value), ox.NamedNode(VOID + "Dataset"))
    for key, value in stats["default"].items():
        add(default, VOID + key, ox.Literal(str(value), datatype=_INTEGER))
    for index, (name, count) in enumerate(stats["graphs"].items()):
        named, graph = ox.BlankNode(f"ng{index}"), ox.BlankNode(f"g{index}")
        add(dataset, SD + "namedGraph", named)
        add(named, SD + "name", ox.NamedNode(name))
        add(named, SD + "graph", graph)
        add(graph, str(RDF_TYPE.value), ox.NamedNode(SD + "Graph"))
        add(graph, VOID + "triples", ox.Literal(str(count), datatype=_INTEGER))
    prefixes = {"sd": SD, "void": VOID, "formats": FORMATS}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
