"""Search ranking over the built-in graph, and the search endpoints' shapes."""

from __future__ import annotations

import pytest

from kg.search import SearchIndex, normalize, within
from tests.browse_support import LEGKG, builtin_app, views


@pytest.fixture(scope="module")
def app():
    return builtin_app()


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("PAD", "PeripheralArteryDisease"),
        ("pad", "PeripheralArteryDisease"),
        ("peripheral artery", "PeripheralArteryDisease"),
        ("Peripheral Artery Disease", "PeripheralArteryDisease"),
        ("rls", "RestlessLegsSyndrome"),
        ("restles legs", "RestlessLegsSyndrome"),
        ("restless-legs", "RestlessLegsSyndrome"),
        ("fluid retention", "FluidRetention"),
        ("edema", "FluidRetention"),
        ("sciatica", "Sciatica"),
        ("sciatca", "Sciatica"),
        ("DVT", "DeepVeinThrombosis"),
        ("abi", "AnkleBrachialIndex"),
        ("leg elevation", "LegElevation"),
    ],
)
def test_expected_entity_ranks_first(app, query, expected):
    page = views(app).search(query)
    assert page.results, f"no results for {query!r}"
    assert page.results[0].entity.iri == LEGKG + expected, [r.entity.label for r in page.results]


def test_ranking_tiers_on_a_tiny_index():
    index = SearchIndex(
        [
            ("a", "sciatica", "label"),
            ("b", "sciatic nerve", "label"),
            ("c", "nerve pain in sciatica", "label"),
            ("d", "something", "label"),
            ("d", "SCI", "acronym"),
        ]
    )
    assert [h.key for h in index.search("sciatica")] == ["a", "c", "b"]  # b: one edit away
    assert [h.key for h in index.search("sci")][0] == "d"  # exact acronym first
    assert [h.key for h in index.search("sciatic")] == ["b", "a", "c"]  # exact word prefix
    assert {h.key for h in index.search("sciatik")[:2]} == {"a", "b"}  # one typo
    assert index.search("   ") == []


def test_normalize_and_distance():
    assert normalize("  Ankle–Brachial   INDEX (ABI) ") == "ankle brachial index abi"
    assert normalize("Édema") == "edema"
    assert within("restles", "restless", 1)
    assert not within("sciatica", "scoliosis", 2)


def test_search_json_shape(client):
    response = client.get("/search.json?q=PAD")
    body = response.get_json()
    assert body["query"] == "PAD"
    first = body["results"][0]
    assert set(first) == {"curie", "iri", "label", "type", "url", "matched"}
    assert first["curie"] == "legkg:PeripheralArteryDisease"
    assert first["label"] == "peripheral artery disease"
    assert first["matched"] == "PAD"
    assert first["url"].endswith("/entity/legkg:PeripheralArteryDisease")
    assert "vascular condition" in first["type"]


def test_search_accept_json_and_html(client):
    as_json = client.get("/search?q=sciatica", headers={"Accept": "application/json"})
    assert as_json.get_json()["results"][0]["label"] == "sciatica"
    html = client.get("/search?q=sciatica").get_data(as_text=True)
    assert 'href="/entity/legkg:Sciatica"' in html
    link = client.get("/search?q=sciatica").headers["Link"]
    assert '</search.json?q=sciatica>; rel="alternate"' in link


@pytest.mark.parametrize("query", ["", "   ", "x" * 201])
def test_empty_or_overlong_query_is_a_clear_400_for_json(client, query):
    response = client.get("/search.json", query_string={"q": query})
    assert response.status_code == 400
    detail = response.get_json()["error"]["detail"]
    assert "Type a name" in detail or "longer than 200" in detail


def test_empty_query_html_explains(client):
    html = client.get("/search?q=").get_data(as_text=True)
    assert "Type a name, a synonym or an acronym" in html
    assert client.get("/search", query_string={"q": "y" * 300}).status_code == 400


def test_no_match_says_so(client):
    body = client.get("/search?q=zzzzqqqq").get_data(as_text=True)
    assert "Nothing matches" in body


def test_suggest_autocomplete(client):
    body = client.get("/search/suggest?q=periph").get_json()
    labels = [s["label"] for s in body["suggestions"]]
    assert labels[0] == "peripheral artery disease"
    assert all(s["url"].startswith("/entity/") for s in body["suggestions"])
    assert client.get("/search/suggest?q=").get_json()["suggestions"] == []
