"""The hand-edited ontology: loading it and reading its vocabulary."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.namespaces import DEFAULT_BASE, LEGKG
from kg.paths import ONTOLOGY_FILE


@dataclass(frozen=True)
class Vocabulary:
    """The legkg classes and properties, by local name."""

    classes: frozenset[str]
    object_properties: frozenset[str]
    datatype_properties: frozenset[str]

    def is_class(self, name: str) -> bool:
        return name in self.classes

    def is_property(self, name: str) -> bool:
        return name in self.object_properties or name in self.datatype_properties


def load_ontology(path: Path = ONTOLOGY_FILE) -> Graph:
    """Parse the ontology Turtle file into a new graph."""
    return Graph().parse(path, format="turtle")


def _locals(graph: Graph, kind: URIRef) -> frozenset[str]:
    return frozenset(
        str(s)[len(DEFAULT_BASE) :]
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(DEFAULT_BASE)
    )


@cache
def vocabulary(path: Path = ONTOLOGY_FILE) -> Vocabulary:
    """Classes and properties the curated data may use (provenance terms excluded)."""
    g = load_ontology(path)
    hidden = {"Claim", "ArticleSection", "Article", "Inference"}
    entity_classes = {
        str(c)[len(DEFAULT_BASE) :] for c in g.transitive_subjects(RDFS.subClassOf, LEGKG.Entity)
    }
    return Vocabulary(
        classes=frozenset(_locals(g, OWL.Class) & entity_classes - hidden),
        object_properties=frozenset(
            p
            for p in _locals(g, OWL.ObjectProperty)
            if p not in {"inSection", "partOfArticle", "parentSection", "usesAxiom", "premise"}
        ),
        datatype_properties=frozenset({"articleDescription"}),
    )
