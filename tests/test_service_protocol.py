"""SPARQL 1.1 Protocol behaviour of /sparql through the Flask test client (both engines)."""

from __future__ import annotations

import json

import pytest

LEGKG = "https://w3id.org/legkg/"
CONDITIONS = f"SELECT ?s WHERE {{ ?s a <{LEGKG}Condition> }} ORDER BY ?s"
CONDITION_IRIS = [
    f"{LEGKG}PeripheralArteryDisease",
    f"{LEGKG}RestlessLegsSyndrome",
    f"{LEGKG}Sciatica",
]
CONSTRUCT = f"CONSTRUCT {{ ?s a <{LEGKG}Condition> }} WHERE {{ ?s a <{LEGKG}Condition> }}"
FORM = "application/x-www-form-urlencoded"


def uris(response) -> list[str]:
    doc = json.loads(response.data)
    return [b["s"]["value"] for b in doc["results"]["bindings"]]


def error_of(response) -> dict:
    return json.loads(response.data)["error"]


# --- the three ways of sending a query ------------------------------------------


def test_get_query_returns_sparql_json(client):
    r = client.get("/sparql", query_string={"query": CONDITIONS})
    assert r.status_code == 200
    assert r.mimetype == "application/sparql-results+json"
    assert uris(r) == CONDITION_IRIS
    assert r.headers["Vary"] == "Accept"
    assert r.headers["X-Legkg-Truncated"] == "false"
    assert r.headers["X-Legkg-Row-Count"] == "3"


def test_post_form(client):
    r = client.post("/sparql", data={"query": CONDITIONS}, content_type=FORM)
    assert r.status_code == 200
    assert uris(r) == CONDITION_IRIS


def test_post_direct_query(client):
    r = client.post("/sparql", data=CONDITIONS.encode(), content_type="application/sparql-query")
    assert r.status_code == 200
    assert uris(r) == CONDITION_IRIS


def test_post_direct_with_utf8_charset(client):
    r = client.post(
        "/sparql", data=CONDITIONS.encode(), content_type="application/sparql-query; charset=UTF-8"
    )
    assert r.status_code == 200


# --- formats --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "mimetype", "start"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", b'{"head"'),
        ("application/sparql-results+xml", "application/sparql-results+xml", b"<?xml"),
        ("text/csv", "text/csv", b"s\r\nhttps://w3id.org/legkg/PeripheralArteryDisease\r\n"),
        ("text/tab-separated-values", "text/tab-separated-values", b"?s\n<https://w3id.org/"),
        ("application/json", "application/sparql-results+json", b'{"head"'),
    ],
)
def test_select_formats_by_accept(client, accept, mimetype, start):
    r = client.get("/sparql", query_string={"query": CONDITIONS}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.mimetype == mimetype
    assert r.data.startswith(start)


def test_select_xml_content(client):
    r = client.get("/sparql", query_string={"query": CONDITIONS, "format": "xml"})
    assert b"<uri>https://w3id.org/legkg/Sciatica</uri>" in r.data
    assert b'<variable name="s"/>' in r.data


@pytest.mark.parametrize(
    ("fmt", "mimetype", "needle"),
    [
        ("turtle", "text/turtle", b"legkg:Sciatica a legkg:Condition"),
        ("ntriples", "application/n-triples", f"<{LEGKG}Sciatica> <http".encode()),
        ("rdfxml", "application/rdf+xml", b"rdf:RDF"),
        ("jsonld", "application/ld+json", f'"@id":"{LEGKG}Sciatica"'.encode()),
    ],
)
def test_construct_formats_by_format_param(client, fmt, mimetype, needle):
    r = client.get("/sparql", query_string={"query": CONSTRUCT, "format": fmt})
    assert r.status_code == 200
    assert r.mimetype == mimetype
    assert needle in r.data


def test_construct_by_accept_turtle(client):
    r = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": "text/turtle"})
    assert r.mimetype == "text/turtle"
    assert r.headers["X-Legkg-Row-Count"] == "3"


def test_ask_json_and_csv(client):
    ask = f"ASK {{ <{LEGKG}Sciatica> a <{LEGKG}Condition> }}"
    r = client.get("/sparql", query_string={"query": ask})
    assert json.loads(r.data) == {"head": {}, "boolean": True}
    r = client.get("/sparql", query_string={"query": ask, "format": "csv"})
    assert r.data == b"_askResult\r\ntrue\r\n"


def test_describe(client):
    r = client.get(
        "/sparql", query_string={"query": f"DESCRIBE <{LEGKG}Sciatica>", "format": "ntriples"}
    )
    assert r.status_code == 200
    assert f"<{LEGKG}Sciatica>".encode() in r.data


def test_406_when_nothing_acceptable(client):
    r = client.get("/sparql", query_string={"query": CONDITIONS}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert r.headers["Vary"] == "Accept"
    r = client.get("/sparql", query_string={"query": CONSTRUCT, "format": "csv"})
    assert r.status_code == 406
    assert "graph" in error_of(r)["detail"]


def test_unknown_format_param_is_400(client):
    r = client.get("/sparql", query_string={"query": CONDITIONS, "format": "yaml"})
    assert r.status_code == 400
    assert "yaml" in error_of(r)["detail"]


# --- datasets -------------------------------------------------------------------


def test_builtin_default_graph_is_union_and_graph_selects(client):
    q = f"SELECT ?g WHERE {{ GRAPH ?g {{ <{LEGKG}Sciatica> a <{LEGKG}Condition> }} }}"
    doc = json.loads(client.get("/sparql", query_string={"query": q}).data)
    assert [b["g"]["value"] for b in doc["results"]["bindings"]] == [f"{LEGKG}graph/inferred"]


def test_protocol_dataset_overrides_from(client):
    q = f"SELECT ?s FROM <{LEGKG}graph/ontology> WHERE {{ ?s a <{LEGKG}Condition> }} ORDER BY ?s"
    assert uris(client.get("/sparql", query_string={"query": q})) == []
    r = client.get(
        "/sparql", query_string={"query": q, "default-graph-uri": f"{LEGKG}graph/inferred"}
    )
    assert uris(r) == CONDITION_IRIS


def test_unknown_graph_is_empty_and_never_fetched(client):
    r = client.get(
        "/sparql",
        query_string={
            "query": "SELECT ?s WHERE { ?s ?p ?o }",
            "default-graph-uri": "http://127.0.0.1:9/x",
        },
    )
    assert r.status_code == 200
    assert uris(r) == []


def test_named_graph_uri_limits_graph(client):
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = client.get(
        "/sparql", query_string={"query": q, "named-graph-uri": f"{LEGKG}graph/asserted"}
    )
    doc = json.loads(r.data)
    assert [b["g"]["value"] for b in doc["results"]["bindings"]] == [f"{LEGKG}graph/asserted"]


def test_bad_graph_iri_is_400(client):
    r = client.get("/sparql", query_string={"query": CONDITIONS, "default-graph-uri": "not an iri"})
    assert r.status_code == 400
    assert "default-graph-uri" in error_of(r)["detail"]


def test_general_mode_default_graph_is_not_union(general_client):
    q = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"
    assert uris(general_client.get("/sparql", query_string={"query": q})) == [
        "http://example.org/d1",
        "http://example.org/t0",
    ]
    q = "SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    doc = json.loads(general_client.get("/sparql", query_string={"query": q}).data)
    pairs = [(b["g"]["value"], b["s"]["value"]) for b in doc["results"]["bindings"]]
    assert pairs == [
        ("http://example.org/g1", "http://example.org/a"),
        ("http://example.org/g2", "http://example.org/b"),
    ]


# --- bad requests ---------------------------------------------------------------


def test_syntax_error_has_position(client):
    r = client.get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert r.status_code == 400
    err = error_of(r)
    assert err["title"] == "Bad Request"
    assert err["detail"].startswith("SPARQL syntax error")
    assert any(ch.isdigit() for ch in err["detail"])  # line/column of the parser


def test_two_query_parameters(client):
    r = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert r.status_code == 400
    assert "more than one query" in error_of(r)["detail"]


def test_query_in_url_and_body(client):
    r = client.post(
        "/sparql?query=ASK%7B%7D", data=b"ASK {}", content_type="application/sparql-query"
    )
    assert r.status_code == 400


@pytest.mark.parametrize("content_type", ["text/plain", "application/json"])
def test_wrong_content_type(client, content_type):
    r = client.post("/sparql", data=b"ASK {}", content_type=content_type)
    assert r.status_code == 415
    assert content_type in error_of(r)["detail"]


def test_missing_content_type(client):
    r = client.post("/sparql", data=b"ASK {}")
    assert r.status_code == 415
    assert "Content-Type" in error_of(r)["detail"]


def test_non_utf8_charset(client):
    r = client.post(
        "/sparql", data=b"ASK {}", content_type="application/sparql-query; charset=ISO-8859-1"
    )
    assert r.status_code == 415
    assert "ISO-8859-1" in error_of(r)["detail"]


def test_invalid_utf8_body(client):
    r = client.post("/sparql", data=b"ASK { \xff }", content_type="application/sparql-query")
    assert r.status_code == 400
    assert "UTF-8" in error_of(r)["detail"]


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_methods_not_allowed(client, method):
    r = client.open("/sparql", method=method, data=b"ASK {}")
    assert r.status_code == 405
    assert "GET" in r.headers["Allow"] and "POST" in r.headers["Allow"]
    assert error_of(r)["status"] == 405


def test_update_parameter_refused(client):
    r = client.post("/sparql", data={"update": "CLEAR ALL"}, content_type=FORM)
    assert r.status_code == 403
    assert "read-only" in error_of(r)["detail"]


def test_update_content_type_refused(client):
    r = client.post("/sparql", data=b"CLEAR ALL", content_type="application/sparql-update")
    assert r.status_code == 403


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "LOAD <http://example.org/data.ttl>",
        "PREFIX ex: <http://ex/>\n# comment\nCLEAR GRAPH ex:g",
        "DELETE WHERE { ?s ?p ?o }",
    ],
)
def test_update_in_query_refused(client, update):
    r = client.get("/sparql", query_string={"query": update})
    assert r.status_code == 403
    assert "read-only" in error_of(r)["detail"]


def test_request_size_limit(engine):
    from tests.conftest import make_app

    small = make_app(engine, MAX_CONTENT_LENGTH=100).test_client()
    r = small.post(
        "/sparql", data=b"#" * 200 + b"\nASK {}", content_type="application/sparql-query"
    )
    assert r.status_code == 413
    assert error_of(r)["status"] == 413


def test_url_length_limit(engine):
    from tests.conftest import make_app

    short = make_app(engine, MAX_URL_LENGTH=200).test_client()
    query = "ASK {} #" + "x" * 300
    for path in ("/sparql", "/search", "/entity/legkg:Sciatica"):
        r = short.get(path, query_string={"query": query}, headers={"Accept": "application/json"})
        assert r.status_code == 414
        assert error_of(r)["title"] == "URI Too Long"
        assert "POST" in error_of(r)["detail"]
    r = short.post("/sparql", data={"query": query})  # the way round it
    assert r.status_code == 200 and json.loads(r.data)["boolean"] is True


def test_row_cap_sets_truncation_header(client):
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.headers["X-Legkg-Truncated"] == "true"
    assert r.headers["X-Legkg-Row-Count"] == "20"
    assert len(json.loads(r.data)["results"]["bindings"]) == 20


# --- query page and service description ----------------------------------------


def test_get_without_query_gives_service_description(client):
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.mimetype == "text/turtle"
    text = r.data.decode()
    assert "sd:Service" in text and "sd:UnionDefaultGraph" in text
    assert "void:triples 27" in text
    assert f"<{LEGKG}graph/inferred>" in text
    assert client.get("/sparql").mimetype == "text/turtle"  # no Accept: not a browser


def test_get_without_query_gives_page_to_browsers(client):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = client.get("/sparql", headers={"Accept": accept})
    assert r.mimetype == "text/html"
    page = r.data.decode()
    assert "PREFIX legkg: &lt;https://w3id.org/legkg/&gt;" in page
    assert "Information from one article, not medical advice" in page


def test_html_results_link_to_entity_pages(client):
    r = client.get("/sparql", query_string={"query": CONDITIONS, "format": "html"})
    page = r.data.decode()
    assert '<a href="/entity/legkg:Sciatica"' in page
    assert 'id="row-count">3<' in page
    assert "format=csv" in page and 'id="permalink"' in page
