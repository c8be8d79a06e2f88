"""HermiT consistency of the ontology plus the curated individuals, via owlready2 (Java)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from rdflib import RDF, Graph

from kg.namespaces import LEGKG


def _owl_view(ontology: Graph, asserted: Graph) -> Graph:
    """Ontology + individuals and their edges; evidence and section nodes left out."""
    g = Graph()
    for t in ontology:
        g.add(t)
    skip = set(asserted.subjects(RDF.type, LEGKG.Claim)) | set(
        asserted.subjects(RDF.type, LEGKG.ArticleSection)
    )
    skip |= set(asserted.subjects(RDF.type, LEGKG.Article))
    for s, p, o in asserted:
        if s not in skip and o not in skip:
            g.add((s, p, o))
    return g


def hermit_consistency(ontology: Graph, asserted: Graph) -> str | None:
    """Run HermiT; return None when consistent, else a readable reason."""
    if shutil.which("java") is None:
        return "java is not installed: HermiT needs a Java runtime (default-jre-headless)"
    import owlready2  # imported late: it is slow to import and only checks need it

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "legkg-hermit.owl"
        _owl_view(ontology, asserted).serialize(path, format="xml")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return f"HermiT: the ontology with the curated individuals is inconsistent ({exc})"
        unsat = [c.iri for c in world.inconsistent_classes()]
        if unsat:
            return "HermiT: unsatisfiable classes: " + ", ".join(sorted(unsat))
    return None
