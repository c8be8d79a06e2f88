"""A store built by ``legkg load``: index snapshots (fast start-up) and search over the
loaded ontologies' terms (the FTS5 label index) after legkg's own entities."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import index_snapshot as snapshot
from kg.load import main as load_main
from service import create_app

HPO_GRAPH = "http://purl.obolibrary.org/obo/hp.owl"
OBO = """format-version: 1.2
ontology: hp

[Term]
id: HP:0001250
name: Seizure
synonym: "Epileptic seizure" EXACT []

[Term]
id: HP:0020219
name: Motor seizure
is_a: HP:0001250 ! Seizure

[Term]
id: HP:0004950
name: Peripheral arterial stenosis
synonym: "PAD" RELATED []
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """legkg (``--builtin``) then a few HPO terms, as ``legkg load`` writes them."""
    folder = tmp_path_factory.mktemp("store")
    store = folder / "store"
    obo = folder / "hp-mini.obo"
    obo.write_text(OBO, encoding="utf-8")
    assert load_main(["--builtin", "--store", str(store)]) == 0
    assert load_main([str(obo), "--graph", HPO_GRAPH, "--store", str(store)]) == 0
    return store


@pytest.fixture(scope="module")
def client(store):
    return create_app({"STORE": str(store), "EXECUTOR": "inline", "TESTING": True}).test_client()


def test_a_load_of_another_graph_carries_the_snapshot_forward(store):
    version = store.resolve()
    assert snapshot.read(version / snapshot.SNAPSHOT_NAME, snapshot.version_key(version))
    first = sorted(store.parent.glob("store.versions/0*"))[0]  # legkg alone
    assert first != version
    assert snapshot.read(first / snapshot.SNAPSHOT_NAME, snapshot.version_key(first))


def test_the_server_replays_the_snapshot_it_was_given(client):
    state = client.application.extensions["legkg"]
    assert isinstance(state.index_store, snapshot.Replay)
    assert state.snapshot[1] == snapshot.version_key(state.store.path)


def test_a_snapshot_of_other_data_is_never_used(store, tmp_path):
    version = store.resolve()
    stale = tmp_path / "stale.json"
    stale.write_bytes((version / snapshot.SNAPSHOT_NAME).read_bytes())
    assert snapshot.read(stale, snapshot.version_key(version)) is not None
    assert snapshot.read(stale, "rocksdb:other-data") is None
    sentinel = object()
    assert snapshot.replayed(sentinel, (stale, "rocksdb:other-data")) is sentinel  # type: ignore[arg-type]


def test_replayed_and_queried_indexes_give_the_same_pages(store, client):
    """The same app without its snapshot (it queries the store) answers identically."""
    app = create_app({"STORE": str(store), "EXECUTOR": "inline", "TESTING": True})
    app.extensions["legkg"].cache.clear()
    app.extensions["legkg"].snapshot = None
    fresh = app.test_client()
    for url in ("/search.json?q=leg", "/entity/legkg:PeripheralArteryDisease.json",
                "/explore.json?finding=legkg:Numbness", "/classes.json"):  # fmt: skip
        assert fresh.get(url).get_json() == client.get(url).get_json(), url


def test_search_finds_a_loaded_hpo_term(client):
    body = client.get("/search.json?q=epileptic seizure").get_json()
    hpo = [r for r in body["results"] if r["curie"] == "HP:0001250"]
    assert hpo == [{"curie": "HP:0001250", "iri": "http://purl.obolibrary.org/obo/HP_0001250",
                    "label": "Seizure", "type": "HPO term", "url": "/entity/HP:0001250",
                    "matched": "Epileptic seizure"}]  # fmt: skip
    assert client.get(hpo[0]["url"] + ".json").get_json()["label"] == "Seizure"
    html = client.get("/search?q=seizure").get_data(as_text=True)
    assert 'href="/entity/HP:0020219"' in html and "HPO term" in html


def test_legkg_ranks_first_for_its_own_names(client):
    body = client.get("/search.json?q=PAD").get_json()
    curies = [r["curie"] for r in body["results"]]
    assert curies[0] == "legkg:PeripheralArteryDisease"
    assert "HP:0004950" in curies  # the HPO term with the synonym PAD comes after
    assert all(not c.startswith("legkg") for c in curies[curies.index("HP:0004950") :])
    assert len(curies) == len(set(curies))  # legkg's labels in the index are not repeated
