"""The build pipeline: curated rows -> asserted graph -> OWL RL -> release files.

parse (kg.curated) -> map (kg.mapping) -> reason (kg.reason, kg.explain) -> write.
The build is offline and deterministic: blank nodes get canonical labels and every
serialiser sees the triples in the same order, so equal inputs give equal bytes.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Graph, Node, URIRef
from rdflib.compare import to_canonical_graph

from kg import namespaces as ns
from kg.curated import Curated, read_curated
from kg.explain import explain, explanation_graph
from kg.index_snapshot import snapshot_trig, trig_snapshot_path
from kg.mapping import asserted_graph
from kg.namespaces import LEGKG
from kg.ontology import load_ontology
from kg.paths import DATA_DIR, ONTOLOGY_FILE, build_dir
from kg.reason import infer
from kg.sssom_export import render_sssom
from kg.store_rdflib import to_oxigraph

TRIG_NAME = "legkg.trig"


@dataclass
class BuildResult:
    curated: Curated
    graphs: dict[URIRef, Graph]
    data_dir: Path
    timings: dict[str, float] = field(default_factory=dict)


def _copy(source) -> Graph:
    g = Graph()
    for t in source:
        g.add(t)
    return g


def _claims_index(asserted: Graph) -> dict[tuple, list[URIRef]]:
    index: dict[tuple, list[URIRef]] = {}
    for c in asserted.subjects(RDF.type, LEGKG.Claim):
        key = (
            asserted.value(c, RDF.subject),
            asserted.value(c, RDF.predicate),
            asserted.value(c, RDF.object),
        )
        index.setdefault(key, []).append(c)
    for claims in index.values():
        claims.sort()
    return index


def xref_graph(data_dir: Path) -> Graph:
    """The verified cross-references (kg/data/xrefs.tsv) with their mapping metadata."""
    from kg.xref_mapping import xref_triples
    from kg.xrefs import read_xrefs

    g = Graph()
    path = data_dir / "xrefs.tsv"
    if path.exists():
        for t in xref_triples(read_xrefs(path)):
            g.add(t)
    return g


def _rebase(g: Graph, base: str) -> Graph:
    """Move every legkg IRI under another base (the configurable ontology base)."""
    if base == ns.DEFAULT_BASE:
        return g

    def move(n: Node) -> Node:
        if isinstance(n, URIRef) and str(n).startswith(ns.DEFAULT_BASE):
            return URIRef(base + str(n)[len(ns.DEFAULT_BASE) :])
        return n

    out = Graph()
    for s, p, o in g:
        out.add((move(s), move(p), move(o)))
    return out


def build(
    data_dir: Path = DATA_DIR, ontology_file: Path = ONTOLOGY_FILE, base: str = ns.DEFAULT_BASE
) -> BuildResult:
    """Run the whole pipeline in memory."""
    t0 = time.perf_counter()
    curated = read_curated(data_dir)
    ontology = _copy(to_canonical_graph(load_ontology(ontology_file)))
    asserted = asserted_graph(curated)
    t1 = time.perf_counter()
    inferred = infer(ontology, asserted)
    t2 = time.perf_counter()
    claims = _claims_index(asserted)
    explanations = explanation_graph(
        explain(ontology, asserted, inferred), lambda t: claims.get(t, [])
    )
    t3 = time.perf_counter()
    graphs = {
        ns.GRAPH_ONTOLOGY: ontology,
        ns.GRAPH_ASSERTED: asserted,
        ns.GRAPH_INFERRED: inferred,
        ns.GRAPH_EXPLANATIONS: explanations,
        ns.GRAPH_XREFS: xref_graph(data_dir),
    }
    if base != ns.DEFAULT_BASE:
        graphs = {
            URIRef(base + str(k)[len(ns.DEFAULT_BASE) :]): _rebase(g, base)
            for k, g in graphs.items()
        }
    timings = {"parse_map": t1 - t0, "reason": t2 - t1, "explain": t3 - t2}
    return BuildResult(curated, graphs, data_dir, timings)


def _named(graphs: dict[URIRef, Graph], suffix: str) -> URIRef:
    return next(k for k in graphs if str(k).endswith("/graph/" + suffix))


def _sorted_triples(g: Graph) -> list[ox.Triple]:
    """The graph's triples as Oxigraph terms, in one fixed order (for byte-stable files)."""
    triples = [ox.Triple(*(to_oxigraph(x) for x in t)) for t in g]
    triples.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return triples


_FILES = {
    "ontology.ttl": ("ontology", ox.RdfFormat.TURTLE),
    "ontology.owl": ("ontology", ox.RdfFormat.RDF_XML),
    "asserted.ttl": ("asserted", ox.RdfFormat.TURTLE),
    "asserted.jsonld": ("asserted", ox.RdfFormat.JSON_LD),
    "inferred.ttl": ("inferred", ox.RdfFormat.TURTLE),
    "explanations.ttl": ("explanations", ox.RdfFormat.TURTLE),
}


def write_release(result: BuildResult, out: Path) -> list[Path]:
    """Write the release files into ``out`` and return their paths.

    Oxigraph's serialisers write triples in the order given; sorting them first makes
    the output byte-identical for the same input, and is far faster than rdflib's.
    """
    out.mkdir(parents=True, exist_ok=True)
    graphs = result.graphs
    triples = {name: _sorted_triples(g) for name, g in graphs.items()}
    prefixes = dict(ns.PREFIXES)
    written = []
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(str(name)))
             for name in sorted(graphs) for t in triples[name]]  # fmt: skip
    trig = out / TRIG_NAME
    ox.serialize(quads, str(trig), ox.RdfFormat.TRIG, prefixes=prefixes)
    written.append(trig)
    if snapshot_trig(trig, quads):  # answers of the serve-time index queries (fast start)
        written.append(trig_snapshot_path(trig))
    for filename, (suffix, fmt) in _FILES.items():
        path = out / filename
        ox.serialize(triples[_named(graphs, suffix)], str(path), fmt, prefixes=prefixes)
        written.append(path)
    if (result.data_dir / "xrefs.tsv").exists():  # data sets without mappings have no SSSOM file
        sssom = out / "mappings.sssom.tsv"
        sssom.write_text(render_sssom(result.data_dir), encoding="utf-8")
        written.append(sssom)
    stats = out / "stats.json"
    counts = {str(k): len(v) for k, v in sorted(graphs.items())}
    stats.write_text(json.dumps(counts, indent=2) + "\n", encoding="utf-8")
    written.append(stats)
    return written


def ensure_built(out: Path | None = None) -> Path:
    """Path of the built TriG dataset, building it first when missing or stale."""
    out = out or build_dir()
    trig = out / TRIG_NAME
    inputs = [ONTOLOGY_FILE, *DATA_DIR.glob("*.tsv"), *Path(__file__).parent.glob("*.py")]
    if not trig.exists() or trig.stat().st_mtime < max(p.stat().st_mtime for p in inputs):
        write_release(build(), out)
    return trig
