"""OWL RL adds inverse, hierarchy and property-chain edges to the inferred graph only."""

from __future__ import annotations

from rdflib import RDF, Graph
from rdflib.compare import isomorphic

from kg import namespaces as ns
from kg.mapping import asserted_graph
from kg.namespaces import LEGKG

E = ns.entity


def test_inverse_edges_are_inferred(built):
    inferred = built.graphs[ns.GRAPH_INFERRED]
    assert (E("LegElevation"), LEGKG.worsens, E("PeripheralArteryDisease")) in inferred
    assert (
        E("LegElevation"),
        LEGKG.mayWorsen,
        E("PeripheralArteryDisease"),
    ) not in inferred  # asserted


def test_property_hierarchy_edges_are_inferred(built):
    inferred = built.graphs[ns.GRAPH_INFERRED]
    assert (E("PeripheralArteryDisease"), LEGKG.relatedTo, E("LegElevation")) in inferred
    # mayWorsen is a sub-property of worsens
    assert (E("LegElevation"), LEGKG.worsens, E("PeripheralArteryDisease")) in inferred


def test_class_hierarchy_and_defined_class_are_inferred(built):
    inferred = built.graphs[ns.GRAPH_INFERRED]
    assert (E("PeripheralArteryDisease"), RDF.type, LEGKG.Condition) in inferred
    assert (E("Diuretics"), RDF.type, LEGKG.RiskFactor) in inferred  # riskFactorFor some Thing


def test_property_chain_is_inferred(built):
    inferred = built.graphs[ns.GRAPH_INFERRED]
    asserted = built.graphs[ns.GRAPH_ASSERTED]
    chained = [
        (s, o)
        for s, m in asserted.subject_objects(LEGKG.hasMechanism)
        for o in asserted.objects(m, LEGKG.producesSymptom)
    ]
    assert chained, "the data states mechanisms that produce symptoms"
    for s, o in chained:
        assert (s, LEGKG.mayPresentWith, o) in inferred or (s, LEGKG.mayPresentWith, o) in asserted


def test_inferred_graph_holds_only_new_triples(built):
    asserted = built.graphs[ns.GRAPH_ASSERTED]
    ontology = built.graphs[ns.GRAPH_ONTOLOGY]
    inferred = built.graphs[ns.GRAPH_INFERRED]
    assert len(inferred) > 1000
    assert not [t for t in inferred if t in asserted or t in ontology]


def test_reasoning_leaves_the_asserted_graph_unchanged(built):
    fresh = asserted_graph(built.curated)
    assert isomorphic(fresh, built.graphs[ns.GRAPH_ASSERTED])


def test_every_inferred_edge_between_entities_is_explained(built):
    explanations = built.graphs[ns.GRAPH_EXPLANATIONS]
    inferred = built.graphs[ns.GRAPH_INFERRED]
    edges = [(s, p, o) for s, p, o in inferred if str(p).startswith(ns.DEFAULT_BASE)]
    explained = {
        (
            explanations.value(n, RDF.subject),
            explanations.value(n, RDF.predicate),
            explanations.value(n, RDF.object),
        )
        for n in explanations.subjects(RDF.type, LEGKG.Inference)
    }
    assert not [t for t in edges if t not in explained]


def test_inverse_explanation_points_to_the_asserted_claim(built):
    explanations = built.graphs[ns.GRAPH_EXPLANATIONS]
    target = (E("LegElevation"), LEGKG.worsens, E("PeripheralArteryDisease"))
    node = next(
        n
        for n in explanations.subjects(RDF.subject, target[0])
        if (n, RDF.predicate, target[1]) in explanations
        and (n, RDF.object, target[2]) in explanations
    )
    assert str(explanations.value(node, LEGKG.rule)) in {"prp-inv", "prp-spo1"}
    premises = list(explanations.objects(node, LEGKG.premise))
    asserted = built.graphs[ns.GRAPH_ASSERTED]
    claims = [p for p in premises if (p, RDF.type, LEGKG.Claim) in asserted]
    assert claims and all(asserted.value(c, LEGKG.quote) for c in claims)


def test_build_is_deterministic(tmp_path):
    from kg.build import build, write_release

    a, b = tmp_path / "a", tmp_path / "b"
    write_release(build(), a)
    write_release(build(), b)
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert {
        "legkg.trig",
        "ontology.owl",
        "ontology.ttl",
        "asserted.ttl",
        "asserted.jsonld",
        "inferred.ttl",
    } <= set(names)
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    Graph().parse(a / "asserted.jsonld", format="json-ld")
    Graph().parse(a / "ontology.owl", format="xml")
