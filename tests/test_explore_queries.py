"""The explorer's queries: the user-facing named query agrees with /explore, the Python
side holds no clinical vocabulary, other datasets do not break the page, and hostile
labels come out escaped."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest

from kg.paths import QUERIES_DIR, ROOT
from tests.browse_support import LEGKG, builtin_app
from tests.conftest import make_app
from tests.test_explore import ACCEPTANCE, PAD_FINDINGS, explore


@pytest.fixture(scope="module")
def client():
    return builtin_app().test_client()


def named(client, findings: list[str]) -> list[dict]:
    params = {f"finding{i}": f for i, f in enumerate(findings, start=1)}
    response = client.get("/queries/explore-causes.json?" + urlencode(params))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["results"]["bindings"]


@pytest.mark.parametrize(("findings", "curie", "label"), ACCEPTANCE)
def test_named_query_ranks_the_same_cause_first(client, findings, curie, label):
    rows = named(client, findings)
    assert rows[0]["label"]["value"] == label
    assert int(rows[0]["matched"]["value"]) == len(findings)


@pytest.mark.parametrize(("findings", "curie", "label"), ACCEPTANCE)
def test_named_query_matches_what_the_explorer_matches(client, findings, curie, label):
    rows = named(client, findings)
    by_query = {r["label"]["value"]: int(r["matched"]["value"]) for r in rows}
    by_explorer = {c["label"]: len(c["matched"]) for c in explore(client, findings)["causes"]}
    assert by_query == by_explorer


def test_named_query_defaults_and_listing(client):
    rows = named(client, [])  # finding1 defaults to the urge to move, the rest unused
    assert [r["label"]["value"] for r in rows] == ["restless legs syndrome"]
    listed = client.get("/queries", headers={"Accept": "application/json"}).get_json()
    query = [q for q in listed["queries"] if q["name"] == "explore-causes"][0]
    assert [p["name"] for p in query["params"]] == [f"finding{i}" for i in range(1, 5)]
    page = client.get("/queries/explore-causes", headers={"Accept": "text/html"})
    assert page.status_code == 200


def test_named_query_runs_as_is_on_the_sparql_endpoint(client):
    text = (QUERIES_DIR / "explore-causes.rq").read_text()
    response = client.get(
        "/sparql?" + urlencode({"query": text}),
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200
    rows = response.get_json()["results"]["bindings"]
    assert rows[0]["label"]["value"] == "restless legs syndrome"  # the COALESCE defaults
    assert int(rows[0]["matched"]["value"]) == 3


def test_named_query_rejects_a_bad_finding(client):
    response = client.get("/queries/explore-causes.json?finding1=%3Cnope%3E")
    assert response.status_code == 400
    assert "finding1" in response.get_json()["error"]["detail"]


def code_strings(path: Path) -> list[str]:
    """Identifiers and string constants of a module, docstrings left out."""
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings:
                found.append(node.value)
        elif isinstance(node, ast.Name | ast.Attribute):
            found.append(getattr(node, "id", None) or node.attr)
    return found


def test_no_clinical_vocabulary_in_the_python():
    """Which relations explain a finding, and which advice conflicts, live in the queries."""
    words = re.compile(
        r"hasSymptom|mayPresentWith|worsenedBy|relievedBy|treatedBy|hasMechanism|subtypeOf"
        r"|partOf|causedBy|riskFactor|Condition|PeripheralArtery|LegElevation|RestlessLegs"
    )
    for source in (ROOT / "kg/explore.py", ROOT / "service/explore.py"):
        hits = [s for s in code_strings(source) if words.search(s)]
        assert hits == [], source
    assert "flask" not in (ROOT / "kg/explore.py").read_text()


def test_explore_queries_are_named_query_files():
    files = sorted(p.name for p in (QUERIES_DIR / "explore").glob("*.rq"))
    assert files == [
        "advice.rq",
        "conflicts.rq",
        "evidence.rq",
        "labels.rq",
        "options.rq",
        "paths.rq",
    ]


def test_other_datasets_do_not_break_the_explorer():
    client = make_app().test_client()  # the small test fixture graph
    response = client.get("/explore", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert client.get("/explore.json").get_json()["causes"] == []
    assert client.get("/explore.json?finding=legkg:Calf").status_code == 400


HOSTILE = """
@prefix legkg: <https://w3id.org/legkg/> .
@prefix legkggraph: <https://w3id.org/legkg/graph/> .
@prefix legkgsec: <https://w3id.org/legkg/section/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
legkggraph:ontology {
  legkg:hasSymptom rdfs:subPropertyOf legkg:mayPresentWith ;
    rdfs:label "<i>has</i> symptom" .
}
legkggraph:asserted {
  legkg:Evil a legkg:Condition ; rdfs:label "<script>alert(1)</script>" ;
    legkg:hasSymptom legkg:Bad .
  legkg:Bad a legkg:ClinicalFinding , legkg:Entity ; rdfs:label "<img src=x onerror=alert(2)>" .
  legkg:C1 a legkg:Claim ; rdf:subject legkg:Evil ; rdf:predicate legkg:hasSymptom ;
    rdf:object legkg:Bad ; legkg:quote "\\" onmouseover=\\"alert(3)" ;
    legkg:inSection legkgsec:s1 .
  legkgsec:s1 rdfs:label "<h1>section</h1>" ; legkg:sectionOrder 1 .
}
"""


def test_hostile_labels_and_quotes_are_escaped(tmp_path: Path):
    trig = tmp_path / "hostile.trig"
    trig.write_text(HOSTILE)
    client = make_app(TRIG_PATH=str(trig)).test_client()
    html = client.get("/explore?finding=legkg:Bad", headers={"Accept": "text/html"})
    body = html.get_data(as_text=True)
    assert html.status_code == 200 and 'id="cause-1"' in body
    for raw in ("<script>alert", "<img src=x", '" onmouseover="alert', "<h1>section", "<i>has"):
        assert raw not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_pad_json_is_shaped_as_documented(client):
    data = explore(client, PAD_FINDINGS)
    assert list(data)[-3:] == ["findings", "causes", "conflicts"]
    cause = data["causes"][0]
    assert {"curie", "label", "score", "matched", "unmatched", "paths", "advice"} <= set(cause)
    assert all(c["advice"] == [] for c in data["causes"][3:])


@pytest.mark.slow
def test_both_engines_rank_alike():
    """The explorer's queries avoid what rdflib evaluates badly (no property paths over
    rdfs:subPropertyOf); both engines give the same ranking."""
    from kg.build import ensure_built
    from kg.explore import Explorer
    from kg.store import open_store

    trig = ensure_built()
    engines = [Explorer.load(open_store(e, trig=trig)) for e in ("oxigraph", "rdflib")]
    for findings, *_ in ACCEPTANCE:
        iris = [f.replace("legkg:", LEGKG) for f in findings]
        ranked = [[(c.iri, c.score) for c in ex.explore(iris).causes] for ex in engines]
        assert ranked[0] == ranked[1]
