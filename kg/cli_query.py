"""`legkg query` and `legkg stats`: SPARQL over the built dataset from the shell."""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

from kg import namespaces as ns
from kg.build import TRIG_NAME, ensure_built
from kg.paths import QUERIES_DIR

_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
}


def open_built(out: Path) -> ox.Store:
    """The built dataset in an in-memory Oxigraph store."""
    trig = ensure_built(out) if not (out / TRIG_NAME).exists() else out / TRIG_NAME
    store = ox.Store()
    store.bulk_load(path=str(trig), format=ox.RdfFormat.TRIG)
    return store


def _short(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, iri in ns.PREFIXES.items():
            if term.value.startswith(iri) and "/" not in term.value[len(iri) :]:
                return f"{prefix}:{term.value[len(iri) :]}"
        return f"<{term.value}>"
    return str(getattr(term, "value", term))


def _table(solutions: ox.QuerySolutions) -> str:
    names = [v.value for v in solutions.variables]
    rows = [[_short(row[i]) for i in range(len(names))] for row in solutions]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    out = [line(names), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def run_query(text: str, fmt: str, out: Path) -> int:
    """Run one query over the union of legkg's graphs and print the result."""
    store = open_built(out)
    try:
        result = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        print(f"legkg: SPARQL syntax error: {exc}", file=sys.stderr)
        return 2
    if isinstance(result, bool):
        print("true" if result else "false")
    elif isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            print(_table(result))
        else:
            sys.stdout.write(result.serialize(format=_FORMATS[fmt]).decode("utf-8"))
    else:
        sys.stdout.write(result.serialize(format=ox.RdfFormat.TURTLE).decode("utf-8"))
    return 0


def print_stats(out: Path) -> int:
    """Counts per class and per relation (queries/stats-*.rq)."""
    store = open_built(out)
    for name in ("stats-classes", "stats-relations"):
        text = (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
        print(f"== {name} ==")
        print(_table(store.query(text, use_default_graph_as_union=True)))
    return 0
