"""OWL RL reasoning at build time: what the reasoner adds, kept apart from what was asserted.

owlrl computes the closure of ontology + asserted data on a scratch graph; only the
new triples that say something about legkg's own terms go to the inferred graph, so
the asserted graph is never modified and ``GRAPH legkggraph:inferred`` lists exactly
what the reasoner added.
"""

from __future__ import annotations

import owlrl
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, Node, URIRef

from kg.namespaces import DEFAULT_BASE, LEGKG

Triple = tuple[Node, Node, Node]

# Vocabulary-level consequences every OWL RL closure adds; they say nothing about legkg.
_TRIVIAL_OBJECTS = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDF.Property}
_TRIVIAL_PREDICATES = {OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty}


class _OWLRL(owlrl.OWLRL_Semantics):
    """owlrl's OWL RL rules, with the equality rules run only once equality exists.

    Without any non-reflexive owl:sameAs, the eq-* rules can only add ``x owl:sameAs x``
    for every resource (eq-ref), which the filter below drops anyway; skipping them
    halves the reasoning time. As soon as a real owl:sameAs is present or derived
    (e.g. through a functional property), every later cycle runs them in full, and
    the closure cannot end before such a cycle.
    """

    _equality_needed = False

    def store_triple(self, t):
        if t[1] == OWL.sameAs and t[0] != t[2]:
            self._equality_needed = True
        super().store_triple(t)

    def _equality(self, triple, cycle_num):
        if self._equality_needed:
            super()._equality(triple, cycle_num)


def _has_equality(g: Graph) -> bool:
    return any(s != o for s, o in g.subject_objects(OWL.sameAs))


def _ours(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(DEFAULT_BASE)


def _keep(t: Triple) -> bool:
    s, p, o = t
    if isinstance(s, (BNode, Literal)) or isinstance(o, BNode):
        return False
    if p in _TRIVIAL_PREDICATES or o in _TRIVIAL_OBJECTS:
        return False
    if s == o and p in (RDFS.subClassOf, RDFS.subPropertyOf):
        return False
    if p == RDF.type and isinstance(o, URIRef) and str(o).startswith(str(OWL)):
        return False  # e.g. x a owl:Thing, owl:Class restatements
    if p == RDF.type and o == RDFS.Class:
        return False
    return _ours(s) and (_ours(p) or p in (RDF.type, RDFS.subClassOf, RDFS.subPropertyOf))


def _evidence_nodes(asserted: Graph) -> set[Node]:
    kinds = (LEGKG.Claim, LEGKG.ArticleSection, LEGKG.Article)
    return {s for k in kinds for s in asserted.subjects(RDF.type, k)}


def infer(ontology: Graph, asserted: Graph) -> Graph:
    """Return a new graph with the OWL RL consequences of ontology + asserted data.

    Evidence claims and article sections are left out of the reasoner's input: the
    ontology says nothing about them worth deriving, and they are most of the triples.
    """
    scratch = Graph()
    for t in ontology:
        scratch.add(t)
    skip = _evidence_nodes(asserted)
    for t in asserted:
        if t[0] not in skip and t[2] not in skip:
            scratch.add(t)
    before = set(scratch)
    _OWLRL._equality_needed = _has_equality(scratch)
    owlrl.DeductiveClosure(_OWLRL, axiomatic_triples=False).expand(scratch)
    inferred = Graph()
    for t in scratch:
        if t not in before and _keep(t):
            inferred.add(t)
    return inferred
