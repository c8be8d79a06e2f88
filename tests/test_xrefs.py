"""Cross-references: verified against the real terminology data, and the checker itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.curie import compress, expand, standardize
from kg.paths import DATA_DIR
from kg.terminologies import Terminologies, shared_dir
from kg.xrefs import COLUMNS, read_entity_labels, read_xrefs, run_xref_check, verify

SHARED = shared_dir()
pytestmark = pytest.mark.skipif(
    not (SHARED / "doid" / "HumanDO.tsv").is_file(),
    reason=f"offline ontologies not found at {SHARED} (../shared/ontologies beside the "
    "repository, or LEGKG_SHARED_DIR): cross-references cannot be verified",
)
XREFS = DATA_DIR / "xrefs.tsv"
HEADER = "\t".join(COLUMNS)


@pytest.fixture(scope="module")
def terms() -> Terminologies:
    return Terminologies()


@pytest.fixture(scope="module")
def rows():
    return read_xrefs(XREFS, "kg/data/xrefs.tsv")


def _objects(rows, subject: str) -> dict[str, str]:
    return {r.object: r.predicate for r in rows if r.subject == subject}


# --- the real data ---------------------------------------------------------------------


def test_real_xrefs_pass_the_check() -> None:
    assert run_xref_check(DATA_DIR) == []


def test_at_least_100_entities_have_a_verified_xref(rows) -> None:
    assert len({r.subject for r in rows}) >= 100


def test_every_subject_is_an_entity(rows) -> None:
    ids = set(read_entity_labels(DATA_DIR / "entities.tsv"))
    assert {r.subject for r in rows} <= ids


def test_every_object_expands_and_compresses_back(rows) -> None:
    for row in rows:
        assert compress(expand(row.object)) == row.object


# --- the checker, on seeded mistakes ----------------------------------------------------


def _write(tmp_path: Path, *lines: str) -> Path:
    (tmp_path / "entities.tsv").write_text(
        "id\tclass\tlabel\tsynonyms\tacronyms\tdefinition\tcause_number\n"
        "PeripheralArteryDisease\tVascularCondition\tperipheral artery disease\t\tPAD\tx\t7\n",
        encoding="utf-8",
    )
    (tmp_path / "xrefs.tsv").write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return tmp_path


def _row(obj: str, label: str, pred: str = "skos:exactMatch", source: str = "test") -> str:
    cells = ["PeripheralArteryDisease", pred, obj, label, "semapv:ManualMappingCuration"]
    return "\t".join([*cells, "0.9", source, "test", "seeded"])


def test_seeded_wrong_and_missing_ids_fail_and_are_named(tmp_path: Path, terms) -> None:
    # HP:0000819 exists (Diabetes mellitus) but is unrelated to the label given for it;
    # HP:9999999 does not exist at all.
    assert terms.lookup("HP:0000819").term.label == "Diabetes mellitus"
    assert not terms.lookup("HP:9999999").exists
    data = _write(
        tmp_path,
        _row("HP:0004950", "Peripheral artery disease"),
        _row("HP:0000819", "Peripheral arterial stenosis"),
        _row("HP:9999999", "Peripheral arterial stenosis"),
    )
    problems = run_xref_check(data)
    assert len(problems) == 2, problems
    wrong, missing = problems
    assert wrong.startswith(f"{data / 'xrefs.tsv'}:3: HP:0000819: ")
    assert "'Diabetes mellitus'" in wrong
    assert missing.startswith(f"{data / 'xrefs.tsv'}:4: HP:9999999: does not exist in hp.obo")


def test_obsolete_and_secondary_ids_fail(tmp_path: Path, terms) -> None:
    hp = terms.terminologies("HP")[0].terms.values()
    obsolete = next(t for t in hp if t.obsolete)
    alt = next(t for t in hp if t.primary)
    data = _write(tmp_path, _row(obsolete.curie, obsolete.label), _row(alt.curie, alt.label))
    problems = run_xref_check(data)
    assert "is obsolete" in problems[0] and obsolete.curie in problems[0]
    assert f"is a secondary id of {alt.primary}" in problems[1]


def test_umls_needs_an_open_voucher_mapped_the_same_way(tmp_path: Path, terms) -> None:
    # HP:0004950 lists UMLS:C0085096 as an xref; the CUI is accepted only alongside it.
    assert "HP:0004950" in terms.vouchers("UMLS:C0085096")
    vouched = _row("UMLS:C0085096", "", source="xref of HP:0004950 in hp.obo")
    assert (
        run_xref_check(_write(tmp_path, _row("HP:0004950", "Peripheral artery disease"), vouched))
        == []
    )
    alone = run_xref_check(_write(tmp_path, vouched))
    assert len(alone) == 1 and "none of which PeripheralArteryDisease is mapped" in alone[0]
    broad = run_xref_check(
        _write(
            tmp_path, _row("HP:0004950", "Peripheral artery disease", "skos:broadMatch"), vouched
        )
    )
    assert len(broad) == 1 and "UMLS:C0085096" in broad[0]
    unknown = run_xref_check(_write(tmp_path, _row("UMLS:C9999999", "")))
    assert "no open source" in unknown[0]


def test_form_errors_are_reported(tmp_path: Path) -> None:
    data = _write(
        tmp_path,
        _row("UMLS_CUI:C0085096", ""),
        _row("HP:0004950", "Peripheral artery disease", "skos:relatedMatch"),
        "Nobody\tskos:exactMatch\tHP:0004950\tPAD\tsemapv:Guess\t2\t\t\t",
    )
    text = "\n".join(run_xref_check(data))
    assert "write the standard CURIE UMLS:C0085096" in text
    assert "predicate 'skos:relatedMatch'" in text
    assert "subject 'Nobody' is not an id of entities.tsv" in text
    assert "justification 'semapv:Guess'" in text
    assert "confidence '2'" in text
    assert "source and curator are required" in text


def test_label_comparison_ignores_case_and_punctuation(tmp_path: Path, terms) -> None:
    # MeSH spells it "Arthritis, Rheumatoid"; "ARTHRITIS rheumatoid" is the same label.
    assert terms.lookup("MESH:D001172").term.label == "Arthritis, Rheumatoid"
    data = _write(tmp_path, _row("MESH:D001172", "ARTHRITIS rheumatoid"))
    assert verify(read_xrefs(data / "xrefs.tsv"), None, terms) == []


def test_standardize_uses_bioregistry_synonyms() -> None:
    assert standardize("UMLS_CUI:C0085096") == "UMLS:C0085096"
    assert standardize("SNOMEDCT_US_2025_09_01:399957001") == "SNOMEDCT:399957001"
    assert standardize("SCTID:399957001") == "SNOMEDCT:399957001"
    assert standardize("MSH:D058729") == standardize("mesh:D058729") == "MESH:D058729"
    assert standardize("NCI:C84496") == "NCIT:C84496"
    assert standardize("NOPE:1") is None


# --- specific, hand-verified mappings ---------------------------------------------------

# Each named disease of the article with every terminology that has it (checked by hand
# in the offline data; UMLS/SNOMED only where MONDO or HPO vouch for the same concept).
NAMED_DISEASES = {
    "PeripheralArteryDisease": {
        "HP",
        "DOID",
        "MONDO",
        "ICD10CM",
        "MESH",
        "NCIT",
        "UMLS",
        "SNOMEDCT",
    },
    "RestlessLegsSyndrome": {"HP", "DOID", "MONDO", "ICD10CM", "MESH", "NCIT", "UMLS", "SNOMEDCT"},
    "SpinalStenosis": {"HP", "DOID", "MONDO", "ICD10CM", "MESH", "NCIT", "UMLS", "SNOMEDCT"},
    "DeepVeinThrombosis": {"HP", "MONDO", "ICD10CM", "MESH", "NCIT", "UMLS", "SNOMEDCT"},
    "VaricoseVeins": {"HP", "DOID", "MONDO", "ICD10CM", "MESH", "NCIT", "UMLS", "SNOMEDCT"},
    "Diabetes": {"HP", "DOID", "MONDO", "ICD10CM", "MESH", "NCIT", "UMLS", "SNOMEDCT"},
    "RheumatoidArthritis": {"HP", "DOID", "MONDO", "ICD10CM", "MESH", "NCIT", "UMLS", "SNOMEDCT"},
    "CongestiveHeartFailure": {
        "HP",
        "DOID",
        "MONDO",
        "ICD10CM",
        "MESH",
        "NCIT",
        "UMLS",
        "SNOMEDCT",
    },
    "KidneyDisease": {"HP", "DOID", "MONDO", "ICD10CM", "MESH", "NCIT", "UMLS", "SNOMEDCT"},
    "CompartmentSyndrome": {"DOID", "MONDO", "ICD10CM", "MESH", "NCIT", "UMLS", "SNOMEDCT"},
    "TarsalTunnelSyndrome": {"DOID", "MONDO", "ICD10CM", "MESH", "NCIT", "UMLS", "SNOMEDCT"},
    "Sciatica": {"HP", "MONDO", "ICD10CM", "MESH", "UMLS", "SNOMEDCT"},
    "Atherosclerosis": {"HP", "DOID", "MONDO", "ICD10CM", "MESH", "NCIT", "UMLS", "SNOMEDCT"},
    "VenousInsufficiency": {"HP", "DOID", "MONDO", "ICD10CM", "MESH", "UMLS", "SNOMEDCT"},
    "Arthritis": {"HP", "DOID", "MONDO", "MESH", "NCIT", "UMLS", "SNOMEDCT"},
    "FluidRetention": {"HP", "ICD10CM", "MESH", "UMLS"},
    "FootDrop": {"HP", "ICD10CM"},
    "HerniatedDisc": {"HP", "MESH"},
    "IronDeficiency": {"HP", "MONDO", "DOID", "ICD10CM", "MESH", "NCIT", "UMLS", "SNOMEDCT"},
    "Dehydration": {"HP", "ICD10CM", "MESH", "UMLS", "SNOMEDCT"},
    "PeronealNerveCompression": {"DOID", "MONDO", "ICD10CM", "MESH", "NCIT", "UMLS", "SNOMEDCT"},
    "LumbarSpinalStenosis": {"HP", "MONDO", "ICD10CM", "NCIT", "UMLS", "SNOMEDCT"},
}


@pytest.mark.parametrize("entity", sorted(NAMED_DISEASES))
def test_named_diseases_have_every_terminology(rows, entity: str) -> None:
    prefixes = {obj.split(":")[0] for obj in _objects(rows, entity)}
    assert NAMED_DISEASES[entity] <= prefixes


def test_pad_maps_to_the_verified_ids(rows) -> None:
    pad = _objects(rows, "PeripheralArteryDisease")
    assert pad["HP:0004950"] == "skos:exactMatch"  # Peripheral arterial stenosis (syn. PAD)
    assert pad["DOID:0050830"] == "skos:exactMatch"
    assert pad["MONDO:0005386"] == "skos:exactMatch"
    assert pad["MESH:D058729"] == "skos:exactMatch"
    assert pad["NCIT:C84496"] == "skos:exactMatch"
    assert pad["UMLS:C1704436"] == "skos:exactMatch"
    assert pad["SNOMEDCT:399957001"] == "skos:exactMatch"
    assert pad["ICD10CM:I73.9"] == "skos:broadMatch"  # peripheral vascular disease, unspecified
    label = next(r.object_label for r in rows if r.object == "HP:0004950")
    assert label == "Peripheral arterial stenosis"


def test_other_hand_verified_ids(rows) -> None:
    assert _objects(rows, "RestlessLegsSyndrome")["ICD10CM:G25.81"] == "skos:exactMatch"
    assert _objects(rows, "RestlessLegsSyndrome")["HP:0012452"] == "skos:exactMatch"
    assert _objects(rows, "SpinalStenosis")["MONDO:0005965"] == "skos:exactMatch"
    assert _objects(rows, "TarsalTunnelSyndrome")["DOID:12526"] == "skos:exactMatch"
    assert _objects(rows, "SciaticNerve")["UBERON:0001322"] == "skos:exactMatch"
    assert _objects(rows, "Dopamine")["CHEBI:18243"] == "skos:exactMatch"
    assert _objects(rows, "CircadianPattern")["GO:0007623"] == "skos:exactMatch"
    assert _objects(rows, "PhysicalTherapy")["MAXO:0000011"] == "skos:exactMatch"
    # compression is one kind of peroneal neuropathy: the target is broader
    assert _objects(rows, "PeronealNerveCompression")["MONDO:0002910"] == "skos:broadMatch"


def test_every_umls_and_snomed_row_names_its_voucher(rows, terms) -> None:
    for row in rows:
        if row.object.split(":")[0] in ("UMLS", "SNOMEDCT"):
            voucher = row.source.split()[2]  # "xref of MONDO:... in ..."
            assert row.object in terms.lookup(voucher).term.xrefs
            assert _objects(rows, row.subject)[voucher] == row.predicate


def test_piriformis_syndrome_is_a_narrower_match_of_sciatic_nerve_compression(rows) -> None:
    # the article describes it (piriformis spasm compressing the sciatic nerve) without naming it
    sciatic = _objects(rows, "SciaticNerveCompression")
    for curie in ("MONDO:0043320", "MESH:D055958", "NCIT:C85012", "UMLS:C0458224"):
        assert sciatic[curie] == "skos:narrowMatch", curie
    assert sciatic["SNOMEDCT:129179000"] == "skos:narrowMatch"
