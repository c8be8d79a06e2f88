"""Parse expected and actual SPARQL results into one model and compare them as W3C says.

SELECT results are solution multisets compared up to blank-node isomorphism (in sequence when
the query orders them); ASK results are booleans; CONSTRUCT/DESCRIBE results are graphs
compared by isomorphism (rdflib.compare). CSV results, which are lossy, are compared as
string tables, again up to blank-node relabelling.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from tests.w3c.matching import rows_match
from tests.w3c.terms import Term, bnode, from_oxigraph, literal, show

RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
RESULT_FORMATS = {
    ".srx": ox.QueryResultsFormat.XML,
    ".srj": ox.QueryResultsFormat.JSON,
    ".tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {".ttl": "turtle", ".nt": "nt", ".rdf": "xml"}
MEDIA_TYPES = {
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_MEDIA_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}

Row = dict[str, Term]


@dataclass
class Solutions:
    """A SELECT result (or a CSV table, whose cells are all plain strings or blank nodes)."""

    variables: tuple[str, ...]
    rows: list[Row]
    lossy: bool = False


@dataclass
class Boolean:
    value: bool


@dataclass
class GraphResult:
    graph: Graph


Result = Solutions | Boolean | GraphResult


class ResultError(Exception):
    """The server's answer could not be read as a SPARQL result."""


# ---------------------------------------------------------------- reading


def _from_query_results(results: ox.QueryBoolean | ox.QuerySolutions) -> Result:
    if isinstance(results, ox.QueryBoolean):
        return Boolean(bool(results))
    variables = tuple(v.value for v in results.variables)
    rows = []
    for solution in results:
        row = {}
        for var in variables:
            value = solution[var]
            if value is not None:
                row[var] = from_oxigraph(value)
        rows.append(row)
    return Solutions(variables, rows)


def _csv_cell(cell: str) -> Term | None:
    if cell == "":
        return None
    return bnode(cell[2:]) if cell.startswith("_:") else literal(cell)


def parse_csv(text: str) -> Solutions:
    """A CSV result as a table of strings; ``_:x`` cells are taken as blank nodes."""
    reader = csv.reader(io.StringIO(text, newline=""))
    table = list(reader)
    if not table:
        raise ResultError("empty CSV")
    variables = tuple(table[0])
    rows = []
    for cells in table[1:]:
        row = {v: t for v, c in zip(variables, cells, strict=False) if (t := _csv_cell(c))}
        rows.append(row)
    return Solutions(variables, rows, lossy=True)


def _rs_query(graph_store: ox.Store, sparql: str) -> list[ox.QuerySolution]:
    return list(graph_store.query(f"PREFIX rs: <{RS}> {sparql}"))


def _result_set_from_store(store: ox.Store) -> Result | None:
    """Read an ``rs:ResultSet`` description (the DAWG RDF result format)."""
    if not store.query(f"ASK {{ ?rs a <{RS}ResultSet> }}"):
        return None
    boolean = _rs_query(store, "SELECT ?b { ?rs rs:boolean ?b }")
    if boolean:
        return Boolean(boolean[0]["b"].value == "true")
    variables = tuple(
        sorted(s["v"].value for s in _rs_query(store, "SELECT ?v { ?rs rs:resultVariable ?v }"))
    )
    rows: dict[object, tuple[int, Row]] = {}
    query = (
        "SELECT ?s ?i ?var ?val { ?rs rs:solution ?s OPTIONAL { ?s rs:index ?i } "
        "OPTIONAL { ?s rs:binding [ rs:variable ?var ; rs:value ?val ] } }"
    )
    for sol in _rs_query(store, query):
        index = int(sol["i"].value) if sol["i"] is not None else 0
        _, row = rows.setdefault(sol["s"], (index, {}))
        if sol["var"] is not None:
            row[sol["var"].value] = from_oxigraph(sol["val"])
    ordered = sorted(rows.values(), key=lambda pair: pair[0])
    return Solutions(variables, [row for _, row in ordered])


def read_expected(path: Path, base_iri: str) -> Result:
    """Read an expected-results file (.srx, .srj, .tsv, .csv, or an RDF file)."""
    suffix = path.suffix
    if suffix in RESULT_FORMATS:
        return _from_query_results(ox.parse_query_results(path=path, format=RESULT_FORMATS[suffix]))
    if suffix == ".csv":
        return parse_csv(path.read_text(encoding="utf-8"))
    if suffix not in GRAPH_FORMATS:
        raise ValueError(f"unknown result file type {path}")
    store = ox.Store()
    store.load(path=path, format=ox.RdfFormat.from_extension(suffix[1:]), base_iri=base_iri)
    result_set = _result_set_from_store(store)
    if result_set is not None:
        return result_set
    graph = Graph()
    graph.parse(path, format=GRAPH_FORMATS[suffix], publicID=base_iri)
    return GraphResult(graph)


def read_response(body: bytes, content_type: str) -> Result:
    """Read a ``/sparql`` response body by its media type."""
    media = content_type.split(";")[0].strip().lower()
    try:
        if media in MEDIA_TYPES:
            return _from_query_results(ox.parse_query_results(body, MEDIA_TYPES[media]))
        if media == "text/csv":
            return parse_csv(body.decode("utf-8"))
        if media in GRAPH_MEDIA_TYPES:
            return GraphResult(Graph().parse(data=body, format=GRAPH_MEDIA_TYPES[media]))
    except (SyntaxError, ValueError, UnicodeDecodeError) as exc:
        raise ResultError(f"unreadable {media} response: {exc}") from exc
    raise ResultError(f"unexpected content type {content_type!r}")


# ---------------------------------------------------------------- comparing


def compare(expected: Result, actual: Result, ordered: bool) -> str | None:
    """None when the results match, else a human-readable explanation."""
    if type(expected) is not type(actual):
        return f"expected a {type(expected).__name__} result, got {type(actual).__name__}"
    if isinstance(expected, Boolean):
        assert isinstance(actual, Boolean)
        return None if expected.value == actual.value else f"expected {expected.value}"
    if isinstance(expected, GraphResult):
        assert isinstance(actual, GraphResult)
        return _compare_graphs(expected.graph, actual.graph)
    assert isinstance(expected, Solutions) and isinstance(actual, Solutions)
    return _compare_solutions(expected, actual, ordered)


def _compare_graphs(expected: Graph, actual: Graph) -> str | None:
    if isomorphic(expected, actual):
        return None
    _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    return (
        f"graphs differ; missing:\n{only_expected.serialize(format='nt')}"
        f"unexpected:\n{only_actual.serialize(format='nt')}"
    )


def _compare_solutions(expected: Solutions, actual: Solutions, ordered: bool) -> str | None:
    if _variables_differ(expected, actual):
        return f"variables {expected.variables} expected, got {actual.variables}"
    if rows_match(expected.rows, actual.rows, ordered):
        return None
    if ordered and rows_match(expected.rows, actual.rows, False):
        return "same solutions but in the wrong order:\n" + _table(expected, actual)
    return "solutions differ:\n" + _table(expected, actual)


def _variables_differ(expected: Solutions, actual: Solutions) -> bool:
    if not expected.variables or set(expected.variables) == set(actual.variables):
        return False
    return expected.lossy or not _only_unbound_differ(expected, actual)


def _only_unbound_differ(expected: Solutions, actual: Solutions) -> bool:
    """Variables that are never bound may legitimately be missing from a results header."""
    used = {v for row in expected.rows + actual.rows for v in row}
    return (set(expected.variables) ^ set(actual.variables)).isdisjoint(used)


def _row_text(row: Row, variables: tuple[str, ...]) -> str:
    return " ".join(f"?{v}={show(row.get(v))}" for v in variables)


def _table(expected: Solutions, actual: Solutions, limit: int = 25) -> str:
    variables = expected.variables or actual.variables
    exp = Counter(_row_text(r, variables) for r in expected.rows)
    act = Counter(_row_text(r, variables) for r in actual.rows)
    lines = [f"expected {len(expected.rows)} rows, got {len(actual.rows)}"]
    lines += [f"  - {row}" for row in list((exp - act).elements())[:limit]]
    lines += [f"  + {row}" for row in list((act - exp).elements())[:limit]]
    return "\n".join(lines)
