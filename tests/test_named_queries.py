"""Named queries: header parsing, parameter binding, /queries endpoints, repo queries."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.namespaces import PREFIXES
from kg.queries import Param, ParamError, load_registry, parse_named_query, to_term
from kg.sparql import inject_values
from tests.conftest import ROOT, TEST_QUERIES

LEGKG = "https://w3id.org/legkg/"


def test_header_is_parsed():
    q = parse_named_query(TEST_QUERIES / "conditions.rq")
    assert q.title == "Conditions of a kind"
    assert q.kind == "select"
    assert q.params == (Param("kind", "iri", "legkg:Condition", "the class to list"),)
    assert q.text[: q.values_at].rstrip().endswith("WHERE {")


def test_checks_subfolder_is_excluded():
    assert sorted(load_registry(TEST_QUERIES)) == ["conditions", "label"]


@pytest.mark.parametrize(
    ("param", "raw", "expected"),
    [
        (Param("x", "iri"), "legkg:Sciatica", ox.NamedNode(LEGKG + "Sciatica")),
        (Param("x", "iri"), f"<{LEGKG}A>", ox.NamedNode(LEGKG + "A")),
        (Param("x", "string"), 'a "b" }', ox.Literal('a "b" }')),
        (
            Param("x", "integer"),
            "7",
            ox.Literal("7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ),
        (
            Param("x", "boolean"),
            "TRUE",
            ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
        ),
    ],
)
def test_to_term(param, raw, expected):
    assert to_term(param, raw, PREFIXES) == expected


@pytest.mark.parametrize(
    ("param", "raw"),
    [
        (Param("n", "integer"), "7; DROP"),
        (Param("flag", "boolean"), "maybe"),
        (Param("kind", "iri"), "file:///etc/passwd"),
        (Param("kind", "iri"), "nope:x"),
        (Param("kind", "iri"), "http://a> } ; <http://b"),
    ],
)
def test_invalid_values_name_the_parameter(param, raw):
    with pytest.raises(ParamError) as info:
        to_term(param, raw, PREFIXES)
    assert info.value.name == param.name
    assert repr(param.name) in str(info.value)


def test_string_values_cannot_inject():
    text = "SELECT ?e WHERE { ?e ?p ?label }"
    bound = inject_values(text, text.index("{") + 1, {"label": ox.Literal('x" } ; DROP ALL #')})
    rows = list(ox.Store().query(bound))
    assert rows == []


def test_list_json(client):
    doc = json.loads(client.get("/queries", headers={"Accept": "application/json"}).data)
    assert [q["name"] for q in doc["queries"]] == ["conditions", "label"]
    assert doc["queries"][0]["params"][0]["default"] == "legkg:Condition"


def test_list_html(client):
    page = client.get("/queries", headers={"Accept": "text/html"}).data.decode()
    assert "Conditions of a kind" in page and "orphan" not in page


def test_run_with_default_and_parameter(client):
    r = client.get("/queries/conditions.csv")
    assert r.mimetype == "text/csv"
    assert r.data.decode().splitlines()[1:] == [
        f"{LEGKG}PeripheralArteryDisease,Peripheral artery disease",
        f"{LEGKG}RestlessLegsSyndrome,Restless legs syndrome",
        f"{LEGKG}Sciatica,Sciatica",
    ]
    r = client.get("/queries/conditions.json?kind=legkg:VascularCondition")
    doc = json.loads(r.data)
    assert [b["entity"]["value"] for b in doc["results"]["bindings"]] == [
        f"{LEGKG}PeripheralArteryDisease"
    ]


def test_run_by_accept_and_html(client):
    r = client.get("/queries/label?label=Sciatica", headers={"Accept": "text/csv"})
    assert r.data.decode() == f"entity\r\n{LEGKG}Sciatica\r\n"
    page = client.get("/queries/label?label=Sciatica", headers={"Accept": "text/html"})
    assert '<a href="/entity/legkg:Sciatica"' in page.data.decode()


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/queries/label.json", "label"),
        ("/queries/conditions.json?kind=bogus", "kind"),
        ("/queries/conditions.json?knd=legkg:X", "knd"),
    ],
)
def test_bad_parameters_are_400_naming_them(client, url, name):
    r = client.get(url)
    assert r.status_code == 400
    assert f"parameter '{name}'" in json.loads(r.data)["error"]["detail"]


def test_unknown_query_is_404(client):
    assert client.get("/queries/nope").status_code == 404


def test_repository_queries_parse_and_bind():
    """Every queries/*.rq of the repository has a valid header and parses with defaults."""
    registry = load_registry(ROOT / "queries")
    store = ox.Store()
    for query in registry.values():
        values = {p.name: p.default for p in query.params if p.default}
        missing = [p.name for p in query.params if not p.default]
        if missing:
            continue
        bound = query.bind(values, PREFIXES)
        text = query.text
        if bound:
            assert query.values_at is not None, f"{query.name}: no WHERE group for parameters"
            text = inject_values(text, query.values_at, bound)
        store.query(text)  # raises SyntaxError on a broken query
    assert all(Path(ROOT / "queries" / f"{n}.rq").exists() for n in registry)
