"""SSSOM export, RDF mapping triples and the CURIE converter of the cross-references."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import OWL, SKOS

from kg.curie import PREFIX_MAP_FILE, build_extended_prefix_map, compress, converter, expand
from kg.paths import DATA_DIR
from kg.sssom_export import COLUMNS, LICENSE, MAPPING_SET_ID, write_sssom
from kg.xref_mapping import SSSOM, mapping_iri, xref_triples
from kg.xrefs import read_entity_labels, read_xrefs

ROWS = read_xrefs(DATA_DIR / "xrefs.tsv", "kg/data/xrefs.tsv")
LABELS = read_entity_labels(DATA_DIR / "entities.tsv")


@pytest.fixture(scope="module")
def sssom_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sssom") / "mappings.sssom.tsv"
    with path.open("w", encoding="utf-8") as out:
        assert write_sssom(ROWS, LABELS, out, mapping_set_version="test") == len(ROWS)
    return path


def test_sssom_validates_with_the_sssom_package(sssom_file: Path) -> None:
    parsers = pytest.importorskip("sssom.parsers", reason="sssom package not installed")
    from sssom.constants import SchemaValidationType
    from sssom.validators import validate

    msdf = parsers.parse_sssom_table(str(sssom_file))
    checks = [
        SchemaValidationType.JsonSchema,
        SchemaValidationType.PrefixMapCompleteness,
        SchemaValidationType.StrictCurieFormat,
    ]
    reports = validate(msdf, checks, fail_on_error=False)
    assert all(not report.results for report in reports.values()), reports
    assert len(msdf.df) == len(ROWS)
    assert msdf.metadata["mapping_set_id"] == MAPPING_SET_ID
    assert msdf.metadata["license"] == LICENSE


def test_sssom_round_trips(sssom_file: Path) -> None:
    lines = sssom_file.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")]
    table = [line.split("\t") for line in lines if not line.startswith("#")]
    assert tuple(table[0]) == COLUMNS
    assert f"# mapping_set_id: {MAPPING_SET_ID}" in header
    records = [dict(zip(COLUMNS, cells, strict=True)) for cells in table[1:]]
    assert len(records) == len(ROWS)
    curie_map = {
        line.split(":", 1)[0].strip("# "): line.split(": ", 1)[1]
        for line in header[1 : header.index(f"# mapping_set_id: {MAPPING_SET_ID}")]
    }
    for rec in records:
        subject = rec["subject_id"].removeprefix("legkg:")
        assert subject in LABELS and rec["subject_label"] == LABELS[subject]
        iri = expand(rec["object_id"])
        assert compress(iri) == rec["object_id"]
        prefix, local = rec["object_id"].split(":", 1)
        assert iri == curie_map[prefix] + local  # the header's map gives the same IRI


def test_canonical_iris() -> None:
    assert expand("HP:0004950") == "http://purl.obolibrary.org/obo/HP_0004950"
    assert expand("ICD10CM:G25.81") == "https://icd.codes/icd10cm/G25.81"
    assert expand("legkg:PeripheralArteryDisease") == (
        "https://w3id.org/legkg/PeripheralArteryDisease"
    )
    # other spellings of the same namespaces compress to the standard CURIE
    assert compress("http://id.nlm.nih.gov/mesh/D058729") == "MESH:D058729"
    assert compress("http://purl.bioontology.org/ontology/ICD10CM/I73.9") == "ICD10CM:I73.9"


def test_committed_prefix_map_matches_prefixmaps() -> None:
    pytest.importorskip("prefixmaps", reason="prefixmaps not installed")
    committed = json.loads(PREFIX_MAP_FILE.read_text(encoding="utf-8"))["records"]
    assert committed == build_extended_prefix_map()
    assert {"HP", "MESH", "ICD10CM", "UMLS", "SNOMEDCT"} <= set(converter().bimap)


def test_xref_triples_give_skos_links_and_mapping_nodes() -> None:
    graph = Graph()
    for triple in xref_triples(ROWS):
        graph.add(triple)
    pad = URIRef("https://w3id.org/legkg/PeripheralArteryDisease")
    hp = URIRef("http://purl.obolibrary.org/obo/HP_0004950")
    assert (pad, SKOS.exactMatch, hp) in graph
    node = mapping_iri(next(r for r in ROWS if r.object == "HP:0004950"))
    assert (node, RDF.type, OWL.Axiom) in graph
    assert (node, OWL.annotatedSource, pad) in graph
    assert (node, OWL.annotatedTarget, hp) in graph
    assert str(graph.value(node, SSSOM.object_label)) == "Peripheral arterial stenosis"
    assert len(set(graph.subjects(RDF.type, SSSOM.Mapping))) == len(ROWS)
    links = [t for t in graph if str(t[1]).startswith(str(SKOS))]
    assert len(links) == len(ROWS)


def test_cli_and_service_serve_the_same_mapping_set(sssom_file: Path, tmp_path: Path) -> None:
    from service import create_app

    out = tmp_path / "m.sssom.tsv"
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "mappings", "--out", str(out)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    client = create_app({"EXECUTOR": "inline"}).test_client()
    resp = client.get("/mappings.sssom.tsv")
    assert resp.status_code == 200
    assert resp.mimetype == "text/tab-separated-values"
    body = resp.get_data(as_text=True)
    assert body == out.read_text(encoding="utf-8")
    assert body.count("\n") == sssom_file.read_text(encoding="utf-8").count("\n")
    assert (
        "legkg:PeripheralArteryDisease\tperipheral artery disease\tskos:exactMatch\tHP:0004950"
        in body
    )
