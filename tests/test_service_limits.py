"""Time limit (killable query process), and the SERVICE policy."""

from __future__ import annotations

import json
import time

import pytest

from service.errors import Forbidden
from service.federation import ServicePolicy
from tests.conftest import make_app

RUNAWAY = (
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(8)) + " }"
)


@pytest.fixture(scope="module")
def slow_client(engine):
    app = make_app(engine, EXECUTOR="process", QUERY_TIMEOUT=1.0)
    yield app.test_client()
    app.extensions["legkg"].executor.close()


def test_runaway_query_is_stopped_in_time_and_process_recovers(slow_client):
    start = time.monotonic()
    r = slow_client.get("/sparql", query_string={"query": RUNAWAY})
    elapsed = time.monotonic() - start
    assert r.status_code == 503
    err = json.loads(r.data)["error"]
    assert err["title"] == "Query Timeout"
    assert "time limit of 1 s" in err["detail"]
    assert elapsed < 1.0 + 2.0
    r = slow_client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert r.status_code == 200 and json.loads(r.data)["boolean"] is True


def test_process_executor_reports_failures(slow_client):
    r = slow_client.get("/sparql", query_string={"query": "SELECT ?x WHERE {"})
    assert r.status_code == 400


POLICY_CASES = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:8000/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <file:///etc/passwd> { ?s ?p ?o } }",
    "SELECT * WHERE { ?x ?y ?z OPTIONAL { SERVICE ?ep { ?s ?p ?o } } }",
]


@pytest.mark.parametrize("query", POLICY_CASES)
def test_service_refused_by_default(client, query):
    r = client.get("/sparql", query_string={"query": query})
    assert r.status_code == 403
    assert "SERVICE" in json.loads(r.data)["error"]["detail"]


def test_word_service_in_a_literal_is_fine(client):
    r = client.get("/sparql", query_string={"query": 'ASK { FILTER("SERVICE" != "x") }'})
    assert r.status_code == 200


def test_allow_list_rules():
    policy = ServicePolicy(["http://127.0.0.1:8001/sparql", "https://example.org/sparql"])
    policy.check("SELECT * { SERVICE <http://127.0.0.1:8001/sparql> { ?s ?p ?o } }")
    for endpoint in (
        "http://127.0.0.1:8002/sparql",  # other port
        "http://127.0.0.1:8001/other",  # other path
        "https://example.org.evil.test/sparql",  # prefix trick
        "http://169.254.169.254/latest/meta-data",  # link-local, not listed
        "http://10.0.0.1/sparql",  # private, not listed
    ):
        with pytest.raises(Forbidden):
            policy.check(f"SELECT * {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}")


def test_allow_listed_name_resolving_to_loopback_is_refused():
    policy = ServicePolicy(["http://localhost.localdomain.invalid/sparql"])
    with pytest.raises(Forbidden):
        policy.check(
            "SELECT * { SERVICE <http://localhost.localdomain.invalid/sparql> { ?s ?p ?o } }"
        )


def test_allow_list_needs_http():
    with pytest.raises(ValueError):
        ServicePolicy(["file:///tmp/"])
