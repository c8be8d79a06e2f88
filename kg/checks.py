"""Quality checks of the built graph: SHACL, violation queries, HermiT and evidence.

Each check returns readable problem lines; an empty list means it passed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from kg import namespaces as ns
from kg.build import BuildResult
from kg.paths import CHECKS_DIR, SHAPES_FILE


@dataclass
class CheckReport:
    """Problems per check, in the order the checks ran."""

    results: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(self.results.values())

    def render(self) -> str:
        lines = []
        for name, problems in self.results.items():
            status = "ok" if not problems else f"FAILED ({len(problems)})"
            lines.append(f"{name}: {status}")
            lines.extend(f"  - {p}" for p in problems)
        return "\n".join(lines)


def to_oxigraph(result: BuildResult) -> ox.Store:
    """Load the build's named graphs into an in-memory Oxigraph store."""
    store = ox.Store()
    for name, g in result.graphs.items():
        data = g.serialize(format="nt", encoding="utf-8")
        store.bulk_load(data, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(name)))
    return store


def _term(t: object) -> str:
    if isinstance(t, ox.NamedNode):
        return (
            "legkg:" + t.value[len(ns.DEFAULT_BASE) :]
            if t.value.startswith(ns.DEFAULT_BASE)
            else t.value
        )
    return str(getattr(t, "value", t))


def violation_queries(store: ox.Store, checks_dir: Path = CHECKS_DIR) -> list[str]:
    """Run every *-violation.rq; each returned row is a problem."""
    problems = []
    for path in sorted(checks_dir.glob("*-violation.rq")):
        rows = store.query(path.read_text(encoding="utf-8"))
        for row in rows:
            cells = ", ".join(
                f"{v.value}={_term(row[v])}" for v in rows.variables if row[v] is not None
            )
            problems.append(f"{path.name}: {cells}")
    return problems


def shacl(result: BuildResult, shapes_file: Path = SHAPES_FILE) -> list[str]:
    """Validate the asserted graph against ontology/shapes.ttl with pyshacl."""
    import pyshacl  # slow to import; only checks need it

    data = result.graphs[ns.GRAPH_ASSERTED]
    shapes = Graph().parse(shapes_file, format="turtle")
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=result.graphs[ns.GRAPH_ONTOLOGY], inference="rdfs"
    )
    if conforms:
        return []
    return _shacl_messages(report)


def _shacl_messages(report: Graph) -> list[str]:
    out = []
    for r in set(report.subjects(SH.resultMessage, None)):
        node, msg = report.value(r, SH.focusNode), report.value(r, SH.resultMessage)
        out.append(f"{_term(ox.NamedNode(str(node))) if isinstance(node, URIRef) else node}: {msg}")
    return sorted(set(out))


def hermit(result: BuildResult) -> list[str]:
    from kg.hermit import hermit_consistency

    reason = hermit_consistency(result.graphs[ns.GRAPH_ONTOLOGY], result.graphs[ns.GRAPH_ASSERTED])
    return [reason] if reason else []


def run_checks(
    result: BuildResult, with_hermit: bool = True, extra: dict[str, Callable] | None = None
) -> CheckReport:
    """Run all checks on a build; ``extra`` adds named checks (e.g. cross-references)."""
    report = CheckReport()
    store = to_oxigraph(result)
    report.results["shacl"] = shacl(result)
    report.results["violation queries"] = violation_queries(store)
    if with_hermit:
        report.results["hermit consistency"] = hermit(result)
    for name, fn in (extra or {}).items():
        report.results[name] = fn()
    return report
