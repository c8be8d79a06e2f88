"""The FTS5 label index for big stores, and pages of external (loaded) terms."""

from __future__ import annotations

import pyoxigraph as ox

from kg.external import external_iri, external_term
from kg.label_index import build_label_index, curie, search
from kg.store import DiskStore

OBO = "http://purl.obolibrary.org/obo/"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SUB = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
EXACT = ox.NamedNode("http://www.geneontology.org/formats/oboInOwl#hasExactSynonym")
HPO = ox.NamedNode(OBO + "hp.owl")


def _store(tmp_path) -> DiskStore:
    def hp(n: str) -> ox.NamedNode:
        return ox.NamedNode(f"{OBO}HP_{n}")

    quads = [
        (hp("0001250"), LABEL, ox.Literal("Seizure")),
        (hp("0001250"), EXACT, ox.Literal("Epileptic seizure")),
        (hp("0020219"), LABEL, ox.Literal("Motor seizure")),
        (hp("0020219"), SUB, hp("0001250")),
        (hp("0001251"), LABEL, ox.Literal("Ataxia")),
    ]
    writable = ox.Store(str(tmp_path / "store"))
    writable.extend(ox.Quad(s, p, o, HPO) for s, p, o in quads)
    writable.flush()
    del writable
    return DiskStore(tmp_path / "store")


def test_index_ranks_exact_labels_first_and_matches_prefixes(tmp_path):
    store = _store(tmp_path)
    assert build_label_index(store, tmp_path / "labels.sqlite") == 4  # 3 labels, 1 synonym
    hits = search(tmp_path / "labels.sqlite", "seizure")
    assert [h["curie"] for h in hits] == ["HP:0001250", "HP:0020219"]
    assert hits[0]["kind"] == "label"
    epileptic = search(tmp_path / "labels.sqlite", "epilep")
    assert epileptic == [{"iri": f"{OBO}HP_0001250", "curie": "HP:0001250", "label": "Seizure",
                          "matched": "Epileptic seizure", "kind": "synonym"}]  # fmt: skip
    assert search(tmp_path / "labels.sqlite", "  ") == []
    assert search(tmp_path / "labels.sqlite", '"; DROP TABLE names') == []


def test_external_term_page_data(tmp_path):
    store = _store(tmp_path)
    assert curie(f"{OBO}UBERON_0000981") == "UBERON:0000981"
    term = external_term(store, external_iri("HP:0001250") or "")
    assert term is not None and term.label == "Seizure"
    assert term.synonyms == ["Epileptic seizure"]
    assert term.children == [(f"{OBO}HP_0020219", "HP:0020219", "Motor seizure")]
    assert external_term(store, f"{OBO}HP_9999999") is None
    assert external_iri("not a curie") is None
