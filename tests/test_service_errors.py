"""One error shape for every API error; no traceback reaches a client; HTML is escaped."""

from __future__ import annotations

import json

from tests.conftest import HOSTILE, make_app


def test_error_shape_is_pinned(client):
    r = client.get("/sparql", query_string={"query": "SELECT"})
    assert r.status_code == 400
    assert r.mimetype == "application/json"
    doc = json.loads(r.data)
    assert list(doc) == ["error"]
    assert list(doc["error"]) == ["status", "title", "detail"]
    assert doc["error"]["status"] == 400
    assert doc["error"]["title"] == "Bad Request"
    assert isinstance(doc["error"]["detail"], str) and doc["error"]["detail"]


def test_same_shape_for_routing_errors(client):
    doc = json.loads(client.get("/no/such/page").data)
    assert doc == {
        "error": {
            "status": 404,
            "title": "Not Found",
            "detail": "There is no page at this address.",
        }
    }


def test_plain_text_errors_by_accept(client):
    r = client.get("/sparql", query_string={"query": "SELECT"}, headers={"Accept": "text/plain"})
    assert r.mimetype == "text/plain"
    assert r.data.decode().startswith("400 Bad Request: SPARQL syntax error")


def test_sparql_client_accept_gets_json_error(client):
    accept = "application/sparql-results+json"
    r = client.get("/sparql", query_string={"query": "SELECT"}, headers={"Accept": accept})
    assert r.mimetype == "application/json"


def test_unexpected_exception_is_generic_500_without_traceback(engine, caplog):
    app = make_app(engine)

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    r = app.test_client().get("/boom")
    assert r.status_code == 500
    body = r.data.decode()
    assert "secret internal detail" not in body and "Traceback" not in body
    assert json.loads(body)["error"]["title"] == "Internal Server Error"
    assert "secret internal detail" in caplog.text  # logged for the operator


def test_html_error_page_escapes_detail(client):
    query = "SELECT <script>alert(1)</script>"
    r = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/html"})
    assert r.status_code == 400
    assert r.mimetype == "text/html"
    assert "<script>alert(1)" not in r.data.decode()


def test_hostile_labels_are_escaped_everywhere(engine):
    client = make_app(engine, TRIG_PATH=str(HOSTILE)).test_client()
    q = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    page = client.get("/sparql", query_string={"query": q, "format": "html"}).data.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&#34; onmouseover=&#34;alert(1)" in page
    assert 'onmouseover="alert' not in page
    # the textarea holds the query escaped too
    hostile_query = "SELECT * WHERE { ?s ?p ?o } # </textarea><script>x()</script>"
    page = client.get("/sparql", query_string={"query": hostile_query, "format": "html"}).data
    assert b"</textarea><script>" not in page
    # and the example/other reflected parameters
    page = client.get("/sparql?example=%3Cscript%3E", headers={"Accept": "text/html"}).data
    assert b"<script>" not in page.replace(b'<script src="/static/query.js"></script>', b"")
