"""Why each inferred triple holds: the OWL RL rule, the axiom and the premises.

Explanations are found in rounds: round 0 knows the asserted data; a triple is
explained in round k only from premises known before it, so explanations never
loop (an inverse edge is never "explained" by the edge it explains). Premises that
were asserted point to their evidence claims; inferred ones to their own
explanation, so every inferred edge traces back to quotes of the article.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, Graph, Literal, Node, URIRef
from rdflib.collection import Collection

from kg.namespaces import DEFAULT_BASE, LEGKG

Triple = tuple[Node, Node, Node]
INFERENCE = DEFAULT_BASE + "inference/"


@dataclass(frozen=True)
class Explanation:
    triple: Triple
    rule: str
    text: str
    axiom: URIRef
    premises: tuple[Triple, ...]


def inference_iri(t: Triple) -> URIRef:
    key = "\x1f".join(str(x) for x in t).encode("utf-8")
    return URIRef(INFERENCE + "I" + hashlib.sha1(key).hexdigest()[:12])


class _Axioms:
    """The ontology's axioms, indexed for the rules below."""

    def __init__(self, onto: Graph) -> None:
        self.onto = onto
        self.inverse: dict[Node, set[Node]] = {}
        for a, b in onto.subject_objects(OWL.inverseOf):
            self.inverse.setdefault(a, set()).add(b)
            self.inverse.setdefault(b, set()).add(a)
        self.subprops = _index(onto, RDFS.subPropertyOf)
        self.subclasses = _index(onto, RDFS.subClassOf)
        self.domains = _index(onto, RDFS.domain)
        self.ranges = _index(onto, RDFS.range)
        self.chains = {
            p: list(Collection(onto, c)) for p, c in onto.subject_objects(OWL.propertyChainAxiom)
        }
        self.transitive = set(onto.subjects(RDF.type, OWL.TransitiveProperty))
        self.symmetric = set(onto.subjects(RDF.type, OWL.SymmetricProperty))
        self.svf = {}  # class -> property of an equivalent `p some Thing` restriction
        for cls, r in onto.subject_objects(OWL.equivalentClass):
            prop = onto.value(r, OWL.onProperty)
            if prop is not None:
                self.svf[cls] = prop

    def label(self, term: Node) -> str:
        lab = self.onto.value(term, RDFS.label)
        if lab is not None:
            return str(lab)
        return str(term).replace("#", "/").rsplit("/", 1)[-1]


def _sorted(nodes) -> list[Node]:
    """Candidates in a fixed order, so the chosen explanation never depends on hashing."""
    return sorted(nodes, key=str)


def _index(g: Graph, pred: URIRef) -> dict[Node, set[Node]]:
    """object -> subjects, e.g. super-property -> its direct sub-properties."""
    out: dict[Node, set[Node]] = {}
    for s, o in g.subject_objects(pred):
        out.setdefault(o, set()).add(s)
    return out


Rule = Callable[[_Axioms, Graph, Triple], Iterator[Explanation]]


def _inverse(ax: _Axioms, known: Graph, t: Triple):
    s, p, o = t
    for q in _sorted(ax.inverse.get(p, ())):
        if (o, q, s) in known:
            text = f"inverse of '{ax.label(q)}' (owl:inverseOf)"
            yield Explanation(t, "prp-inv", text, p, ((o, q, s),))


def _subproperty(ax: _Axioms, known: Graph, t: Triple):
    s, p, o = t
    for q in _sorted(ax.subprops.get(p, ())):
        if (s, q, o) in known:
            text = f"'{ax.label(q)}' is a sub-property of '{ax.label(p)}'"
            yield Explanation(t, "prp-spo1", text, q, ((s, q, o),))


def _chain(ax: _Axioms, known: Graph, t: Triple):
    s, p, o = t
    chain = ax.chains.get(p)
    if not chain or len(chain) != 2:
        return
    a, b = chain
    for m in _sorted(known.objects(s, a)):
        if (m, b, o) in known:
            text = f"property chain '{ax.label(a)}' then '{ax.label(b)}' implies '{ax.label(p)}'"
            yield Explanation(t, "prp-spo2", text, p, ((s, a, m), (m, b, o)))


def _transitive(ax: _Axioms, known: Graph, t: Triple):
    s, p, o = t
    if p not in ax.transitive:
        return
    for m in _sorted(known.objects(s, p)):
        if m != o and (m, p, o) in known:
            text = f"'{ax.label(p)}' is transitive"
            yield Explanation(t, "prp-trp", text, p, ((s, p, m), (m, p, o)))


def _symmetric(ax: _Axioms, known: Graph, t: Triple):
    s, p, o = t
    if p in ax.symmetric and (o, p, s) in known:
        yield Explanation(t, "prp-symp", f"'{ax.label(p)}' is symmetric", p, ((o, p, s),))


def _typing(ax: _Axioms, known: Graph, t: Triple):
    s, _, c = t
    for d in _sorted(ax.subclasses.get(c, ())):
        if (s, RDF.type, d) in known:
            text = f"'{ax.label(d)}' is a subclass of '{ax.label(c)}'"
            yield Explanation(t, "cax-sco", text, d, ((s, RDF.type, d),))
    for q in _sorted(ax.domains.get(c, ())):
        for x in _sorted(known.objects(s, q)):
            yield Explanation(t, "prp-dom", f"domain of '{ax.label(q)}'", q, ((s, q, x),))
    for q in _sorted(ax.ranges.get(c, ())):
        for x in _sorted(known.subjects(q, s)):
            yield Explanation(t, "prp-rng", f"range of '{ax.label(q)}'", q, ((x, q, s),))
    if c in ax.svf:
        q = ax.svf[c]
        for x in _sorted(known.objects(s, q)):
            text = f"'{ax.label(c)}' is defined as anything that is '{ax.label(q)}' something"
            yield Explanation(t, "cls-svf1", text, c, ((s, q, x),))


def _schema(ax: _Axioms, known: Graph, t: Triple):
    s, p, o = t
    for m in _sorted(known.objects(s, p)):
        if m != o and (m, p, o) in known:
            rule = "scm-sco" if p == RDFS.subClassOf else "scm-spo"
            yield Explanation(t, rule, f"'{ax.label(p)}' is transitive", p, ((s, p, m), (m, p, o)))


def _rules_for(p: Node) -> tuple[Rule, ...]:
    if p == RDF.type:
        return (_typing,)
    if p in (RDFS.subClassOf, RDFS.subPropertyOf):
        return (_schema,)
    return (_subproperty, _inverse, _chain, _transitive, _symmetric)


def explain(ontology: Graph, asserted: Graph, inferred: Graph) -> list[Explanation]:
    """One explanation per inferred triple that the rules can justify, in derivation order."""
    ax = _Axioms(ontology)
    known = Graph()
    for g in (ontology, asserted):
        for t in g:
            known.add(t)
    pending = sorted(inferred, key=lambda t: tuple(str(x) for x in t))
    found: list[Explanation] = []
    while pending:
        round_found = []
        for t in pending:
            exp = next((e for rule in _rules_for(t[1]) for e in rule(ax, known, t)), None)
            if exp is not None:
                round_found.append(exp)
        if not round_found:
            break
        for exp in round_found:
            known.add(exp.triple)
        done = {e.triple for e in round_found}
        pending = [t for t in pending if t not in done]
        found.extend(round_found)
    return found


def explanation_graph(
    explanations: list[Explanation], claims_of: Callable[[Triple], list[URIRef]]
) -> Graph:
    """RDF for the explanations: one legkg:Inference node per inferred triple."""
    g = Graph()
    explained = {e.triple for e in explanations}
    for e in explanations:
        node = inference_iri(e.triple)
        s, p, o = e.triple
        g.add((node, RDF.type, LEGKG.Inference))
        g.add((node, RDF.subject, s))
        g.add((node, RDF.predicate, p))
        g.add((node, RDF.object, o))
        g.add((node, LEGKG.rule, Literal(e.rule)))
        g.add((node, RDFS.comment, Literal(e.text)))
        g.add((node, LEGKG.usesAxiom, e.axiom))
        for premise in e.premises:
            refs = [inference_iri(premise)] if premise in explained else claims_of(premise)
            for ref in refs:
                g.add((node, LEGKG.premise, ref))
    return g
