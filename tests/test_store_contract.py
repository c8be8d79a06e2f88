"""One contract for every store backend: in-memory, on-disk (read-only Oxigraph) and a
remote SPARQL 1.1 store (Virtuoso open source, started on loopback by the fixture).

Each backend holds legkg's build and must give the same answers as the in-memory
reference: triples per graph, competency queries, a named query with a parameter,
CONSTRUCT, ASK, GRAPH selection, the protocol dataset and the union default graph.

Where Virtuoso's semantics differ the contract says so: its default graph is the union
of *all* its graphs, system graphs included, so whole-dataset counts name legkg's graphs
with ``FROM``; per-graph counts ignore graphs outside legkg's namespace.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import ensure_built
from kg.paths import QUERIES_DIR
from kg.queries import load_registry, parse_named_query
from kg.sparql import ROWS, QueryJob, execute
from kg.store import DiskStore, Store, open_store
from tests import virtuoso
from tests.conftest import free_port

LEGKG = "https://w3id.org/legkg/"
GRAPHS = {name: f"{LEGKG}graph/{name}" for name in ("ontology", "asserted", "inferred")}
GRAPHS |= {name: f"{LEGKG}graph/{name}" for name in ("explanations", "xrefs")}
PREFIXES = f"PREFIX legkg: <{LEGKG}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
FROM_ALL = " ".join(f"FROM <{g}>" for g in GRAPHS.values())
BACKENDS = ("memory", "disk", "virtuoso")


@pytest.fixture(scope="module")
def trig() -> Path:
    return ensure_built()


@pytest.fixture(scope="module")
def reference(trig: Path) -> Store:
    return open_store("oxigraph", trig=trig)


def load_disk_store(trig: Path, folder: Path) -> DiskStore:
    """The build's quads into an on-disk store (what ``legkg load`` writes), read-only."""
    writable = ox.Store(str(folder))
    writable.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    writable.flush()
    del writable  # release RocksDB's lock before the read-only open
    return DiskStore(folder)


@pytest.fixture(scope="module")
def virtuoso_endpoint(trig: Path, tmp_path_factory) -> Iterator[str]:
    if not virtuoso.available():
        if os.environ.get("LEGKG_REQUIRE_VIRTUOSO"):
            pytest.fail(virtuoso.MISSING)
        pytest.skip(virtuoso.MISSING)
    folder = tmp_path_factory.mktemp("virtuoso")
    with virtuoso.running_virtuoso(trig, folder, free_port(), free_port()) as endpoint:
        yield endpoint


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request, trig: Path, tmp_path_factory) -> tuple[str, Store]:
    kind = request.param
    if kind == "memory":
        return kind, open_store("oxigraph", trig=trig)
    if kind == "disk":
        return kind, load_disk_store(trig, tmp_path_factory.mktemp("disk"))
    endpoint = request.getfixturevalue("virtuoso_endpoint")
    return kind, open_store(location="sparql+" + endpoint, timeout=30)


def rows(store: Store, text: str, **job) -> list[tuple[str, ...]]:
    """Rows as tuples of N-Triples strings (blank nodes as ``_:``, labels vary by store)."""
    out = execute(store, QueryJob(text=text, solutions_format=ROWS, **job))
    return [tuple(_show(t) for t in row) for row in out.rows or ()]


def _show(term: object) -> str:
    if term is None:
        return ""
    return "_:" if isinstance(term, ox.BlankNode) else str(term)


def scalar(store: Store, text: str, **job) -> int:
    return int(rows(store, text, **job)[0][0].split('"')[1])


def test_triples_per_graph(backend):
    _, store = backend
    found = rows(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    counts = {g[1:-1]: int(n.split('"')[1]) for g, n in found if g.startswith(f"<{LEGKG}")}
    assert counts == {
        GRAPHS["ontology"]: 639,
        GRAPHS["asserted"]: 7310,
        GRAPHS["inferred"]: 2758,
        GRAPHS["explanations"]: 21985,
        GRAPHS["xrefs"]: 5817,
    }


# Virtuoso 7.2 diverges on these named queries (documented, not papered over):
VIRTUOSO_GAPS = {
    # Not the aggregates: Virtuoso drops every row of a UNION in which one branch binds
    # the join variable with BIND (``{ ?c a C . BIND(?c AS ?from) } UNION { ?c :m ?from }``
    # then ``?from ?p ?o``: 0 rows; either branch alone: rows). Standard SPARQL, so the
    # query stays as it is (Oxigraph, rdflib and the reference agree).
    "explore-causes": "Virtuoso 7.2 bug: a UNION branch binding ?from by BIND joins to nothing",
}


@pytest.mark.parametrize("name", sorted(load_registry(QUERIES_DIR)))
def test_competency_and_named_queries_match_reference(backend, reference, name):
    kind, store = backend
    if kind == "virtuoso" and name in VIRTUOSO_GAPS:
        pytest.xfail(VIRTUOSO_GAPS[name])
    query = load_registry(QUERIES_DIR)[name]
    expected = _concat_sorted(rows(reference, query.text))
    got = _concat_sorted(rows(store, query.text))
    if kind == "virtuoso":
        # Virtuoso orders computed keys (ORDER BY LCASE(STR(?x))) by its own collation,
        # and GROUP_CONCAT gives a simple literal as SPARQL 1.1 says (Oxigraph keeps a
        # shared language tag): compare the rows as multisets of lexical forms
        assert sorted(map(_lexical, got)) == sorted(map(_lexical, expected))
        return
    ordered = "ORDER BY" in query.text.upper()
    assert (got if ordered else sorted(got)) == (expected if ordered else sorted(expected))


def _lexical(row: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(cell.rsplit("@", 1)[0] if cell.endswith(('"@en', "@en")) else cell for cell in row)


def _concat_sorted(found: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """GROUP_CONCAT's order is unspecified: sort the ", "-separated parts of each cell."""
    return [tuple(_sort_parts(cell) for cell in row) for row in found]


def _sort_parts(cell: str) -> str:
    if not cell.startswith('"'):
        return cell
    end = cell.rindex('"')
    return '"' + ", ".join(sorted(cell[1:end].split(", "))) + cell[end:]


def test_nine_etiologies(backend):
    text = load_registry(QUERIES_DIR)["cq01-nine-etiologies"].text
    numbers = [int(r[2].split('"')[1]) for r in rows(backend[1], text)]
    assert numbers == list(range(1, 10))


def test_named_query_with_a_parameter(backend):
    query = parse_named_query(QUERIES_DIR / "browse" / "entity-literals.rq")
    bound = query.bind({"entity": "legkg:Sciatica"}, {"legkg": LEGKG})
    found = rows(backend[1], query.text, bindings=bound, values_at=query.values_at)
    assert (f"<{LEGKG}Sciatica>", "<http://www.w3.org/2000/01/rdf-schema#label>", '"sciatica"') in {
        (s, p, o.lower()) for s, p, o in found
    }
    assert all(s == f"<{LEGKG}Sciatica>" for s, _, _ in found)


def test_construct(backend, reference):
    query = parse_named_query(QUERIES_DIR / "browse" / "entity-describe.rq")
    bound = query.bind({"entity": "legkg:Sciatica"}, {"legkg": LEGKG})
    job = {"bindings": bound, "values_at": query.values_at}
    got = execute(backend[1], QueryJob(text=query.text, graph_format=ROWS, **job))
    want = execute(reference, QueryJob(text=query.text, graph_format=ROWS, **job))
    assert got.kind == "graph"
    ground = {tuple(map(_show, r)) for r in got.rows or () if "_:" not in map(_show, r)}
    assert ground == {tuple(map(_show, r)) for r in want.rows or () if "_:" not in map(_show, r)}
    assert got.count == want.count


@pytest.mark.parametrize(
    ("pattern", "answer"),
    [
        ("legkg:RestlessLegsSyndrome legkg:hasSymptom ?x", True),
        ("legkg:RestlessLegsSyndrome legkg:hasSymptom legkg:RestlessLegsSyndrome", False),
    ],
)
def test_ask(backend, pattern, answer):
    out = execute(backend[1], QueryJob(text=f"{PREFIXES}ASK {{ {pattern} }}"))
    assert out.kind == "boolean" and out.boolean is answer


def test_graph_selection(backend):
    store = backend[1]
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPHS['ontology']}> {{ ?s ?p ?o }} }}"
    assert scalar(store, text) == 639
    from_clause = f"SELECT (COUNT(*) AS ?n) FROM <{GRAPHS['xrefs']}> WHERE {{ ?s ?p ?o }}"
    assert scalar(store, from_clause) == 5817


def test_protocol_dataset(backend):
    store = backend[1]
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert scalar(store, count, default_graphs=(GRAPHS["inferred"],)) == 2758
    per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    found = rows(store, per_graph, named_graphs=(GRAPHS["ontology"],))
    assert [g for g, _ in found] == [f"<{GRAPHS['ontology']}>"]


def test_union_default_graph(backend):
    """Built-in dataset: the default graph is the union of legkg's graphs."""
    kind, store = backend
    distinct = (
        "SELECT (COUNT(*) AS ?n) {} WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ ?s ?p ?o }} }}"
    )
    assert scalar(store, distinct.format(FROM_ALL)) == 38509
    if kind != "virtuoso":  # Virtuoso's default graph also holds its system graphs
        assert scalar(store, distinct.format("")) == 38509
    # an inferred-only edge and an asserted one, both seen without GRAPH
    inferred = f"{PREFIXES}ASK {{ ?x legkg:symptomOf legkg:RestlessLegsSyndrome }}"
    assert execute(store, QueryJob(text=inferred)).boolean is True


def test_pages_run_on_the_backend(backend, trig):
    """The app on this backend: /sparql, a named query and an entity page."""
    from service import create_app

    kind, store = backend
    config = {"EXECUTOR": "inline", "TESTING": True, "TRIG_PATH": str(trig)}
    if kind == "disk":
        config["STORE"] = store.path
    elif kind == "virtuoso":
        config["STORE"] = "sparql+" + store.endpoint
    client = create_app(config).test_client()
    resp = client.get("/sparql", query_string={"query": f"{PREFIXES}ASK {{ ?s ?p ?o }}"})
    assert resp.status_code == 200 and resp.json["boolean"] is True
    named = client.get("/queries/cq01-nine-etiologies.json")
    assert named.status_code == 200 and len(named.json["results"]["bindings"]) == 9
    page = client.get("/entity/legkg:Sciatica", headers={"Accept": "text/html"})
    assert page.status_code == 200 and b"Sciatica" in page.data


def test_remote_loading_replaces_a_graph(virtuoso_endpoint):
    """Loading over the update endpoint: a scratch graph, then MOVE over the old one."""
    from kg.store_remote import SparqlStore

    store = SparqlStore(virtuoso_endpoint, update_endpoint=virtuoso_endpoint, timeout=30)
    graph = "urn:legkg:test:loaded"
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    triples = [
        ox.Triple(ox.NamedNode(f"urn:legkg:test:{i}"), label, ox.Literal(f'term "{i}" é\n'))
        for i in range(2500)
    ]
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    try:
        assert store.replace_graph(graph, triples) == 2500
        assert scalar(store, count) == 2500
        assert store.replace_graph(graph, triples[:10]) == 10
        assert scalar(store, count) == 10
        one = f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ <urn:legkg:test:3> ?p ?o }} }}"
        assert next(store.query(one).rows or iter(()))[0] == triples[3].object
    finally:
        store.update(f"DROP SILENT GRAPH <{graph}>")
