"""Pages of external terms (HPO, MAxO, UBERON... loaded with ``legkg load``).

The browse index covers legkg's own entities; a term of a loaded ontology gets a small
page read straight from the full store with one bound query: its label, definition,
synonyms, parents and children (with their labels).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.label_index import curie
from kg.store import Store

OBO = "http://purl.obolibrary.org/obo/"
_OBO_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9]*):(\w+)$")
_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX obo: <http://purl.obolibrary.org/obo/>
PREFIX oio: <http://www.geneontology.org/formats/oboInOwl#>
SELECT ?kind ?value ?other WHERE {
  { ?term rdfs:label ?value BIND("label" AS ?kind) }
  UNION { ?term obo:IAO_0000115 ?value BIND("definition" AS ?kind) }
  UNION { VALUES ?p { oio:hasExactSynonym oio:hasRelatedSynonym oio:hasBroadSynonym
                      oio:hasNarrowSynonym }
          ?term ?p ?value BIND("synonym" AS ?kind) }
  UNION { ?term rdfs:subClassOf ?other FILTER isIRI(?other)
          OPTIONAL { ?other rdfs:label ?value } BIND("parent" AS ?kind) }
  UNION { ?other rdfs:subClassOf ?term OPTIONAL { ?other rdfs:label ?value }
          BIND("child" AS ?kind) }
}
"""


@dataclass
class ExternalTerm:
    iri: str
    curie: str
    label: str = ""
    definition: str = ""
    synonyms: list[str] = field(default_factory=list)
    parents: list[tuple[str, str, str]] = field(default_factory=list)  # iri, curie, label
    children: list[tuple[str, str, str]] = field(default_factory=list)


def external_iri(short: str) -> str | None:
    """``HP:0001250`` -> its OBO PURL; an http(s) IRI unchanged; else None."""
    if short.startswith(("http://", "https://")):
        return short
    match = _OBO_CURIE.match(short)
    return f"{OBO}{match.group(1)}_{match.group(2)}" if match else None


def external_term(store: Store, iri: str) -> ExternalTerm | None:
    """The term's page data, or None when the store says nothing about it."""
    term = ExternalTerm(iri, curie(iri))
    # the IRI is written by pyoxigraph (validated, escaped), never pasted from input
    result = store.query(_QUERY.replace("?term", str(ox.NamedNode(iri))))
    for kind, value, other in result.rows or ():
        text = value.value if value is not None else ""
        if kind.value == "label":
            term.label = term.label or text
        elif kind.value == "definition":
            term.definition = term.definition or text
        elif kind.value == "synonym":
            term.synonyms.append(text)
        elif other is not None:
            link = (other.value, curie(other.value), text or curie(other.value))
            target = term.parents if kind.value == "parent" else term.children
            if link not in target:
                target.append(link)
    if not (term.label or term.parents or term.children):
        return None
    term.synonyms = sorted(set(term.synonyms), key=str.lower)
    term.children.sort(key=lambda c: c[2].lower())
    return term
