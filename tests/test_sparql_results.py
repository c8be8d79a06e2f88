"""Exact W3C results serialisations over a hostile literal, and the row cap."""

from __future__ import annotations

import json

import pyoxigraph as ox

from kg.sparql import QueryJob, execute, looks_like_update, serialize_boolean, serialize_solutions
from kg.store import open_store
from tests.conftest import HOSTILE, MINI

NASTY = ox.Literal('a "quoted"\tvalue, with\nnewline & <tag>', language="en")
IRI = ox.NamedNode("http://example.org/x?a=1&b=2")
NUM = ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
ROWS = [[IRI, NASTY], [ox.BlankNode("b0"), None], [None, NUM]]


def test_json():
    doc = json.loads(serialize_solutions(["s", "o"], ROWS, "json"))
    assert doc["head"] == {"vars": ["s", "o"]}
    assert doc["results"]["bindings"] == [
        {
            "s": {"type": "uri", "value": "http://example.org/x?a=1&b=2"},
            "o": {"type": "literal", "value": NASTY.value, "xml:lang": "en"},
        },
        {"s": {"type": "bnode", "value": "b0"}},
        {"o": {"type": "literal", "value": "42", "datatype": NUM.datatype.value}},
    ]


def test_xml():
    text = serialize_solutions(["s", "o"], ROWS, "xml").decode()
    assert "<uri>http://example.org/x?a=1&amp;b=2</uri>" in text
    assert (
        '<literal xml:lang="en">a "quoted"\tvalue, with\nnewline &amp; &lt;tag&gt;</literal>'
        in text
    )
    assert "<bnode>b0</bnode>" in text
    assert text.count("<result>") == 3


def test_csv():
    text = serialize_solutions(["s", "o"], ROWS, "csv").decode()
    assert text == (
        "s,o\r\n"
        'http://example.org/x?a=1&b=2,"a ""quoted""\tvalue, with\nnewline & <tag>"\r\n'
        "_:b0,\r\n"
        ",42\r\n"
    )


def test_tsv():
    text = serialize_solutions(["s", "o"], ROWS, "tsv").decode()
    assert text.split("\n")[0] == "?s\t?o"
    assert text.split("\n")[1] == (
        '<http://example.org/x?a=1&b=2>\t"a \\"quoted\\"\\tvalue, with\\nnewline & <tag>"@en'
    )
    assert text.split("\n")[2:] == [
        "_:b0\t",
        '\t"42"^^<http://www.w3.org/2001/XMLSchema#integer>',
        "",
    ]


def test_boolean_formats():
    assert json.loads(serialize_boolean(False, "json")) == {"head": {}, "boolean": False}
    assert b"<boolean>true</boolean>" in serialize_boolean(True, "xml")
    assert serialize_boolean(True, "tsv") == b"?_askResult\r\ntrue\r\n"


def test_row_cap_applies_to_construct():
    for engine in ("oxigraph", "rdflib"):
        store = open_store(engine, trig=MINI)
        job = QueryJob("CONSTRUCT WHERE { ?s ?p ?o }", graph_format="ntriples", max_rows=4)
        outcome = execute(store, job)
        assert outcome.truncated and outcome.count == 4
        assert outcome.body.count(b" .\n") == 4


def test_hostile_fixture_loads_in_both_engines():
    for engine in ("oxigraph", "rdflib"):
        store = open_store(engine, trig=HOSTILE)
        q = "SELECT ?o WHERE { <https://w3id.org/legkg/Hostile> ?p ?o } ORDER BY ?o"
        values = sorted(row[0].value for row in store.query(q).rows)
        assert values[0].startswith("<script>alert('x')</script>")


def test_update_detection():
    assert looks_like_update("PREFIX a: <http://a/>\n# x\n  insert data { }")
    assert looks_like_update("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert not looks_like_update("SELECT ?insert WHERE { ?insert ?p ?o }")
    assert not looks_like_update("# LOAD <x>\nASK {}")
