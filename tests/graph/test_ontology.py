"""The ontology: its header, its vocabulary and the closed namespace agree."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.namespaces import DEFAULT_BASE, LEGKG, ONTOLOGY
from kg.ontology import load_ontology


def test_namespace_lists_exactly_the_ontology_terms():
    g = load_ontology()
    declared = {
        str(s)[len(DEFAULT_BASE) :]
        for s in g.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(DEFAULT_BASE) and s != ONTOLOGY
    }
    assert declared == set(LEGKG.__annotations__)


def test_header_has_version_licence_and_source():
    g = load_ontology()
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in g
    assert g.value(ONTOLOGY, OWL.versionIRI) is not None
    assert str(g.value(ONTOLOGY, DCTERMS.license)) == "https://creativecommons.org/licenses/by/4.0/"
    assert "Leg Hurts When I Lay Down" in str(g.value(ONTOLOGY, DCTERMS.source))
    assert g.value(ONTOLOGY, DCTERMS.title) is not None


def test_relations_have_label_definition_and_inverse():
    g = load_ontology()
    relations = set(g.transitive_subjects(RDFS.subPropertyOf, LEGKG.relatedTo)) - {LEGKG.relatedTo}
    assert len(relations) >= 40
    inverses = {a for a, b in g.subject_objects(OWL.inverseOf)} | {
        b for a, b in g.subject_objects(OWL.inverseOf)
    }
    for p in relations:
        assert g.value(p, RDFS.label) is not None, p
        assert g.value(p, SKOS.definition) is not None, p
        assert p in inverses or (p, RDF.type, OWL.SymmetricProperty) in g, p


def test_a_property_chain_is_declared():
    g = load_ontology()
    assert g.value(LEGKG.mayPresentWith, OWL.propertyChainAxiom) is not None


def test_the_base_is_configurable_at_build_time():
    from rdflib import URIRef as IRI

    from kg.build import build

    base = "https://example.org/kg/"
    result = build(base=base)
    assert sorted(str(k) for k in result.graphs) == sorted(
        base + "graph/" + name
        for name in ("ontology", "asserted", "inferred", "explanations", "xrefs")
    )
    onto = result.graphs[IRI(base + "graph/ontology")]
    asserted = result.graphs[IRI(base + "graph/asserted")]
    assert (IRI(base + "ontology"), RDF.type, OWL.Ontology) in onto
    pad = IRI(base + "PeripheralArteryDisease")
    assert str(asserted.value(pad, RDFS.label)) == "peripheral artery disease"
    assert (pad, IRI(base + "worsenedBy"), IRI(base + "LegElevation")) in asserted
    assert not any(DEFAULT_BASE in str(x) for t in asserted for x in t)
