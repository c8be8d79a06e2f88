"""Browse pages over the built-in graph: content, not just status codes."""

from __future__ import annotations

import re

import pytest

from tests.browse_support import LEGKG, builtin_app, fixture_app, section_html, text_of, views

PAD = "/entity/legkg:PeripheralArteryDisease"
RLS = "/entity/legkg:RestlessLegsSyndrome"


@pytest.fixture(scope="module")
def app():
    return builtin_app()


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def edge_items(html: str) -> list[str]:
    """Visible text of each relationship (<li class="edge ...">) on a page."""
    parts = html.split('<li class="edge ')[1:]
    return [text_of(p.split("</li>\n</ul>")[0]) for p in parts]


def test_pad_worsens_with_leg_elevation_with_the_quote(client):
    html = client.get(PAD).get_data(as_text=True)
    text = text_of(html)
    assert "peripheral artery disease" in text and "PAD" in text
    assert "vascular condition" in text
    rels = text_of(section_html(html, "rels"))
    assert "peripheral artery disease worsens with" in rels  # the group heading
    items = [i for i in edge_items(html) if "— worsens with — leg elevation" in i]
    assert items, "PAD's page does not say it worsens with leg elevation"
    assert "asserted" in items[0]
    assert "intensifying when the legs are elevated or horizontal" in items[0]
    assert "7 Peripheral Artery Disease" in items[0]


def test_evidence_links_to_the_place_in_the_article(client, app):
    html = client.get(PAD).get_data(as_text=True)
    index = views(app).index
    claims = index.claims_of[(LEGKG + "PeripheralArteryDisease", LEGKG + "worsenedBy",
                              LEGKG + "LegElevation")]  # fmt: skip
    anchor = f"q-{claims[0].start}"
    assert f'href="/source#{anchor}"' in html
    source = client.get("/source").get_data(as_text=True)
    ids = re.findall(r' id="([^"]+)"', source)
    assert f"{anchor}" in ids
    assert len(ids) == len(set(ids)), "duplicate anchors on /source"
    targets = set(re.findall(r'href="/source#([^"]+)"', html))
    assert targets and targets <= set(ids), targets - set(ids)


def test_rls_urge_to_move_and_relief_by_movement(client):
    html = client.get(RLS).get_data(as_text=True)
    items = edge_items(html)
    assert any("urge to move" in i for i in items)
    relieved = [i for i in items if "— is relieved by —" in i]
    assert any("movement" in i or "walking" in i for i in relieved)
    assert any("typically relieved" in i for i in relieved)


def test_inferred_edge_is_marked_with_its_explanation(client, app):
    view = views(app)
    for iri in sorted(view.index.entities):
        page = view.entity(iri)
        inferred = [e for g in page.outgoing + page.incoming for e in g.edges if not e.asserted]
        if inferred:
            break
    else:
        pytest.fail("no inferred edge is shown on any entity page")
    edge = inferred[0]
    html = client.get(f"/entity/{page.entity.curie}").get_data(as_text=True)
    item = next(i for i in edge_items(html) if "inferred" in i and edge.object.label in i)
    assert "Inferred" in item and edge.rule in item
    assert edge.explanation and edge.explanation in item


def test_inferred_chain_edge_on_the_fixture_graph():
    client = fixture_app().test_client()
    html = client.get(PAD).get_data(as_text=True)
    item = next(i for i in edge_items(html) if "— may present with — leg pain" in i)
    assert "inferred" in item
    assert "prp-spo2" in item and "property chain 'has mechanism' then 'produces symptom'" in item
    assert "Ischemia, the inadequate blood supply, results in pain" in item  # premise quote
    # the inverse of an asserted edge is not repeated as "what points here"
    assert "leg elevation — worsens — peripheral artery disease" not in text_of(html)
    elevation = client.get("/entity/legkg:LegElevation").get_data(as_text=True)
    incoming = text_of(section_html(elevation, "incoming"))
    assert "peripheral artery disease — worsens with — leg elevation" in incoming


def test_relation_page_worsened_by(client):
    html = client.get("/relation/legkg:worsenedBy").get_data(as_text=True)
    text = text_of(html)
    assert "Relation: worsened by" in text
    assert "The subject gets worse with the object." in text
    assert "Inverse worsens" in text
    assert "peripheral artery disease — worsens with — leg elevation" in text
    assert "intensifying when the legs are elevated or horizontal" in text


def test_entity_page_has_picture_xrefs_and_editor_link(client):
    html = client.get(PAD).get_data(as_text=True)
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    picture = section_html(html, "picture")
    assert picture.count('<a href="/entity/legkg:') >= 10
    assert "<title>worsens with" in picture or "worsens with" in picture
    assert 'href="/sparql?query=' in html and "VALUES+%3Fentity" in html
    assert "What points here" in html


def test_class_page_and_tree(client):
    text = text_of(client.get("/class/legkg:VascularCondition").get_data(as_text=True))
    assert "Class: vascular condition" in text
    assert "entity › condition › vascular condition" in text
    assert "peripheral artery disease" in text
    tree = client.get("/classes").get_data(as_text=True)
    assert 'href="/class/legkg:Condition"' in tree
    body = client.get("/classes.json").get_json()
    entity = body["classes"][0]
    assert entity["cls"]["curie"] == "legkg:Entity" and entity["count"] > 100


def test_home_page(client, app):
    response = client.get("/")
    html = response.get_data(as_text=True)
    text = text_of(html)
    assert "Information from one article, not medical advice" in text
    assert '<form class="search"' in html
    causes = section_html(html, "causes")
    assert causes.count("<li>") == 9
    assert 'href="/entity/legkg:PeripheralArteryDisease"' in causes
    assert "entities, by type" in text
    body = client.get("/index.json").get_json()
    assert len(body["causes"]) == 9 and body["entity_count"] == len(views(app).index.entities)


def test_source_page_highlights_passages(client):
    html = client.get("/source").get_data(as_text=True)
    assert 'id="sec-c7"' in html and "<mark>" in html
    c7 = html[html.index('id="sec-c7"') : html.index('id="sec-c8"')]
    assert "<mark>intensifying when the legs are elevated or horizontal" in c7 or (
        "intensifying when the legs are elevated or horizontal" in text_of(c7)
    )
    assert 'href="/entity/legkg:PeripheralArteryDisease"' in c7
    body = client.get("/source.json").get_json()
    assert body["passages"] > 100 and body["sections"][0]["anchor"] == "sec-title"


def test_json_variants_and_link_headers(client):
    html = client.get(PAD)
    assert html.headers["Vary"] == "Accept"
    link = html.headers["Link"]
    assert f'<{PAD}.json>; rel="alternate"; type="application/json"' in link
    assert 'type="text/turtle"' in link
    by_suffix = client.get(PAD + ".json").get_json()
    by_accept = client.get(PAD, headers={"Accept": "application/json"}).get_json()
    assert by_suffix == by_accept
    assert by_suffix["entity"]["label"] == "peripheral artery disease"
    assert by_suffix["acronyms"] == ["PAD"]
    groups = {g["relation"]["curie"]: g for g in by_suffix["outgoing"]}
    labels = [e["object"]["label"] for e in groups["legkg:worsenedBy"]["edges"]]
    assert "leg elevation" in labels
    relation = client.get("/relation/legkg:worsenedBy.json").get_json()
    assert relation["inverse"]["curie"] == "legkg:worsens"
    assert client.get("/class/legkg:Condition.json").get_json()["cls"]["label"] == "condition"


def test_unknown_entity_404_with_suggestions(client):
    response = client.get("/entity/legkg:PeripheralArteryDiseas")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Did you mean" in html and 'href="/entity/legkg:PeripheralArteryDisease"' in html
    as_json = client.get("/entity/legkg:Nope", headers={"Accept": "application/json"})
    assert as_json.status_code == 404
    assert as_json.get_json()["error"]["status"] == 404
    assert client.get("/entity/nope:Nope.json").status_code == 404


def test_entity_iri_under_the_base_resolves(client):
    response = client.get("/PeripheralArteryDisease")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(PAD)
    assert client.get("/id/worsenedBy").headers["Location"].endswith("/relation/legkg:worsenedBy")
    assert client.get("/Condition").headers["Location"].endswith("/class/legkg:Condition")
    assert client.get("/section/c7").headers["Location"].endswith("/source#sec-c7")
    assert client.get("/NoSuchThing").status_code == 404


def test_every_entity_relation_and_class_page_renders(client, app):
    index = views(app).index
    pages = [(f"/entity/{e.curie}", e.label) for e in index.entities.values()]
    pages += [(f"/relation/{r.curie}", r.label) for r in index.relations.values()]
    pages += [(f"/class/{c.curie}", c.label) for c in index.classes.values()]
    failures, anchors = [], set()
    for url, label in pages:
        response = client.get(url)
        html = response.get_data(as_text=True)
        if response.status_code != 200 or label not in text_of(html):
            failures.append((url, response.status_code))
        anchors.update(re.findall(r'href="/source#([^"]+)"', html))
    assert not failures, failures[:10]
    source_ids = set(re.findall(r' id="([^"]+)"', client.get("/source").get_data(as_text=True)))
    assert anchors <= source_ids, sorted(anchors - source_ids)[:10]
    assert len(pages) > 300


def test_editor_query_runs_on_the_endpoint(client, app):
    query = views(app).editor_query(LEGKG + "PeripheralArteryDisease")
    response = client.get(
        "/sparql", query_string={"query": query}, headers={"Accept": "application/json"}
    )
    rows = response.get_json()["results"]["bindings"]
    assert any(r["otherLabel"]["value"] == "leg elevation" for r in rows)


def test_pad_cross_references_grouped_by_terminology_in_words(client):
    data = client.get(PAD + ".json").get_json()
    groups = {g["terminology"]: g["items"] for g in data["xrefs"]}
    assert {"HP", "DOID", "MONDO", "ICD10CM", "MESH", "UMLS"} <= set(groups)
    hp = groups["HP"][0]
    assert (hp["curie"], hp["label"], hp["kind"]) == (
        "HP:0004950",
        "Peripheral arterial stenosis",
        "exact match",
    )
    assert groups["ICD10CM"][0]["kind"] == "broader term"
    html = client.get(PAD).get_data(as_text=True)
    xrefs = section_html(html, "xrefs")
    assert 'href="http://purl.obolibrary.org/obo/HP_0004950"' in xrefs
    assert "(exact match)" in xrefs and "(broader term)" in xrefs
