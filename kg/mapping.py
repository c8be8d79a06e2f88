"""Mapping curated records to RDF triples: entities, edges and their evidence claims.

Evidence pattern: every edge row becomes a ``legkg:Claim`` node that reifies the
triple (rdf:subject / rdf:predicate / rdf:object) and carries ``legkg:quote``,
``legkg:quoteStart`` and ``legkg:inSection``; the triple itself is asserted too, so
plain queries see the edge and provenance queries join through the claim.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, Node
from rdflib.namespace import DCTERMS, SKOS

from kg import namespaces as ns
from kg.curated import Curated, Edge, Entity
from kg.namespaces import LEGKG
from kg.source import Article

Triple = tuple[Node, Node, Node]


def entity_triples(e: Entity) -> Iterator[Triple]:
    iri = ns.entity(e.id)
    yield iri, RDF.type, OWL.NamedIndividual
    for cls in e.classes:
        yield iri, RDF.type, LEGKG[cls]
    yield iri, RDFS.label, Literal(e.label)
    yield iri, SKOS.definition, Literal(e.definition)
    for syn in e.synonyms:
        yield iri, SKOS.altLabel, Literal(syn)
    for acr in e.acronyms:
        yield iri, LEGKG.acronym, Literal(acr)
    if e.cause_number is not None:
        yield iri, LEGKG.causeNumber, Literal(e.cause_number, datatype=XSD.integer)


def edge_object(edge: Edge) -> Node:
    return Literal(edge.object) if edge.literal else ns.entity(edge.object)


def edge_triples(edge: Edge) -> Iterator[Triple]:
    s, p, o = ns.entity(edge.subject), LEGKG[edge.predicate], edge_object(edge)
    yield s, p, o
    c = ns.claim(edge.subject, edge.predicate, edge.object, edge.section, edge.quote)
    yield c, RDF.type, LEGKG.Claim
    yield c, RDF.subject, s
    yield c, RDF.predicate, p
    yield c, RDF.object, o
    yield c, LEGKG.quote, Literal(edge.quote)
    yield c, LEGKG.quoteStart, Literal(edge.quote_start, datatype=XSD.integer)
    yield c, LEGKG.inSection, ns.section(edge.section)


def article_triples(article: Article) -> Iterator[Triple]:
    yield ns.ARTICLE, RDF.type, LEGKG.Article
    yield ns.ARTICLE, DCTERMS.title, Literal(article.title)
    yield ns.ARTICLE, RDFS.label, Literal(article.title)
    for sec in article.sections.values():
        iri = ns.section(sec.id)
        yield iri, RDF.type, LEGKG.ArticleSection
        yield iri, RDFS.label, Literal(sec.label)
        yield iri, DCTERMS.title, Literal(sec.title)
        yield iri, LEGKG.sectionOrder, Literal(sec.order, datatype=XSD.integer)
        yield iri, LEGKG.text, Literal(sec.text(article.text))
        yield iri, LEGKG.partOfArticle, ns.ARTICLE
        if sec.parent:
            yield iri, LEGKG.parentSection, ns.section(sec.parent)


def asserted_graph(curated: Curated) -> Graph:
    """The asserted graph: sections, entities, edges and evidence claims."""
    g = Graph()
    for prefix, iri in ns.PREFIXES.items():
        g.bind(prefix, iri)
    if curated.article is not None:
        for t in article_triples(curated.article):
            g.add(t)
    for e in curated.entities.values():
        for t in entity_triples(e):
            g.add(t)
    for edge in curated.edges:
        for t in edge_triples(edge):
            g.add(t)
    return g
