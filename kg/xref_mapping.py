"""RDF for cross-references: SKOS mapping triples plus SSSOM-style mapping metadata.

Each xrefs.tsv row gives the plain triple ``legkg:X skos:exactMatch HP:...`` (what SPARQL
queries follow) and one mapping node carrying who/why/where, in the SSSOM RDF shape: an
``owl:Axiom`` annotating that triple, with ``sssom:*`` properties. Node IRIs are hashes of
(subject, predicate, object), so rebuilding gives the same graph.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from rdflib import RDF, RDFS, XSD, Literal, Namespace, URIRef
from rdflib.namespace import OWL

from kg.curie import expand
from kg.namespaces import DEFAULT_BASE
from kg.xrefs import XrefRow

SSSOM = Namespace("https://w3id.org/sssom/")
MAPPING = Namespace(DEFAULT_BASE + "mapping/")

Triple = tuple[URIRef, URIRef, URIRef | Literal]


def mapping_iri(row: XrefRow) -> URIRef:
    """Stable IRI of a row's mapping node."""
    key = "\x1f".join((row.subject, row.predicate, row.object)).encode("utf-8")
    return MAPPING["M" + hashlib.sha1(key).hexdigest()[:12]]


def xref_triples(rows: Iterable[XrefRow], with_labels: bool = True) -> Iterator[Triple]:
    """All triples of the rows; ``with_labels`` also gives each target its rdfs:label as the
    terminology spells it, so browse pages can show external terms by name."""
    for row in rows:
        subject = URIRef(expand(f"legkg:{row.subject}"))
        predicate = URIRef(expand(row.predicate))
        target = URIRef(expand(row.object))
        yield subject, predicate, target
        if with_labels and row.object_label:
            yield target, RDFS.label, Literal(row.object_label)
        yield from _metadata(mapping_iri(row), subject, predicate, target, row)


def _metadata(
    node: URIRef, subject: URIRef, predicate: URIRef, target: URIRef, row: XrefRow
) -> Iterator[Triple]:
    yield node, RDF.type, OWL.Axiom
    yield node, RDF.type, SSSOM.Mapping
    yield node, OWL.annotatedSource, subject
    yield node, OWL.annotatedProperty, predicate
    yield node, OWL.annotatedTarget, target
    yield node, SSSOM.mapping_justification, URIRef(expand(row.justification))
    if row.object_label:
        yield node, SSSOM.object_label, Literal(row.object_label)
    if row.confidence:
        yield node, SSSOM.confidence, Literal(row.confidence, datatype=XSD.double)
    if row.source:
        yield node, SSSOM.object_source_version, Literal(row.source)
    if row.curator:
        yield node, SSSOM.author_label, Literal(row.curator)
    if row.comment:
        yield node, RDFS.comment, Literal(row.comment)
