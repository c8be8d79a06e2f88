"""``legkg load``: stream ontologies into named graphs of an on-disk Oxigraph store.

    legkg load FILE --graph IRI [--store DIR] [--format obo|owl|ttl|nt|nq|trig]
    legkg load --builtin [--store DIR]          legkg's own graphs (the build's TriG)
    legkg load --icd10cm[=xrefs] [--graph IRI]  ICD-10-CM hierarchy (simple-icd-10-cm)
    legkg load --list [--store DIR]             graphs and their sizes

RDF files are parsed by pyoxigraph's streaming parser and OBO files stanza by stanza
(kg/obo.py), and the quads go straight to the bulk loader: the file is never held in
memory. Every load replaces its graphs atomically (kg/store_versions.py): a failed or
killed load leaves the previous graphs as they were. Serve the result with
``legkg serve --store DIR``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.paths import build_dir
from kg.store_versions import StoreLayoutError, open_current, replace_graphs

RDF_FORMATS = {
    "owl": ox.RdfFormat.RDF_XML,
    "rdf": ox.RdfFormat.RDF_XML,
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}
ICD10CM_GRAPH = "https://w3id.org/legkg/graph/icd10cm"


def default_store() -> Path:
    """``build/store`` (beside the build; ``LEGKG_BUILD_DIR`` moves both)."""
    return build_dir() / "store"


class Progress:
    """One status line on stderr, redrawn 5 times a second on a terminal, else each second."""

    def __init__(self, label: str, total_bytes: int | None) -> None:
        self.label, self.total = label, total_bytes
        self.every = 0.2 if sys.stderr.isatty() else 1.0
        self.done = self.quads = 0
        self.start = self._shown = time.monotonic()

    def read(self, done_bytes: int) -> None:
        self.done = done_bytes
        self._show()

    def count(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        for quad in quads:
            self.quads += 1
            if not self.quads % 10_000:
                self._show()
            yield quad

    def _show(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._shown < self.every:
            return
        self._shown = now
        share = f"{100 * self.done / self.total:3.0f}% " if self.total else ""
        line = f"\r{self.label}: {share}{self.quads:,} triples, {now - self.start:.1f} s"
        print(line, end="", file=sys.stderr, flush=True)

    def finish(self) -> None:
        self.done = self.total or 0
        self._show(force=True)
        print(file=sys.stderr, flush=True)


class _CountingReader:
    """A binary file that reports how far the parser has read (for the progress line)."""

    def __init__(self, fh: BinaryIO, report: Callable[[int], None]) -> None:
        self._fh, self._report, self._done = fh, report, 0

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)
        self._done += len(data)
        self._report(self._done)
        return data


def guess_format(path: Path, given: str | None) -> str:
    """The --format value, else the file extension (``.owl`` is RDF/XML)."""
    fmt = (given or path.suffix.lstrip(".")).lower()
    if fmt not in (*RDF_FORMATS, "obo"):
        raise ValueError(f"cannot tell the format of {path}; pass --format obo|owl|ttl|nt|nq|trig")
    return fmt


def file_quads(path: Path, fmt: str, graph: ox.NamedNode, progress: Progress) -> Iterator[ox.Quad]:
    """All statements of one file, in ``graph`` (a quad file's graph names are dropped)."""
    if fmt == "obo":
        from kg.obo import obo_quads

        yield from obo_quads(path, graph, progress.read)
        return
    with open(path, "rb") as fh:
        parsed = ox.parse(
            _CountingReader(fh, progress.read),
            format=RDF_FORMATS[fmt],
            base_iri=path.resolve().as_uri(),
            rename_blank_nodes=True,  # blank nodes of two loads must never merge
        )
        for quad in parsed:
            yield ox.Quad(quad.subject, quad.predicate, quad.object, graph)


def builtin_quads(progress: Progress) -> tuple[set[ox.NamedNode], Iterator[ox.Quad]]:
    """legkg's graphs from the build's TriG (built first if missing), names kept."""
    from kg.build import ensure_built
    from kg.namespaces import LEGKG_GRAPHS

    trig = Path(ensure_built())
    progress.total = trig.stat().st_size
    graphs = {ox.NamedNode(str(g)) for g in LEGKG_GRAPHS}

    def quads() -> Iterator[ox.Quad]:
        with open(trig, "rb") as fh:
            reader = _CountingReader(fh, progress.read)
            yield from ox.parse(reader, format=ox.RdfFormat.TRIG, rename_blank_nodes=True)

    return graphs, quads()


def icd10cm_source(scope: str, graph: ox.NamedNode) -> Iterator[ox.Quad]:
    """ICD-10-CM: all codes, or (``xrefs``) the codes kg/data/xrefs.tsv uses + ancestors."""
    from kg.icd10cm import icd10cm_quads

    if scope == "all":
        return icd10cm_quads(graph)
    from kg.paths import DATA_DIR
    from kg.xrefs import read_xrefs

    rows = read_xrefs(DATA_DIR / "xrefs.tsv")
    codes = [r.object.split(":", 1)[1] for r in rows if r.object.startswith("ICD10CM:")]
    return icd10cm_quads(graph, codes)


def _plan(args: argparse.Namespace, progress: Progress) -> tuple[set[ox.NamedNode], Iterable]:
    """The graphs to replace and the quads to put in them."""
    if args.builtin:
        return builtin_quads(progress)
    if args.icd10cm:
        graph = ox.NamedNode(args.graph or ICD10CM_GRAPH)
        return {graph}, icd10cm_source(args.icd10cm, graph)
    if not args.file or not args.graph:
        raise ValueError("give FILE and --graph IRI (or --builtin, --icd10cm, --list)")
    path = Path(args.file)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    progress.total = path.stat().st_size
    graph = ox.NamedNode(args.graph)
    return {graph}, file_quads(path, guess_format(path, args.format), graph, progress)


def _index_labels(version: Path) -> None:
    """The label/synonym search index of the new version (kg/label_index.py), built
    before the version is published so that a served version always has its index."""
    from kg.label_index import INDEX_NAME, build_label_index

    count = build_label_index(version, version / INDEX_NAME)
    print(f"indexed {count:,} labels and synonyms for search", file=sys.stderr)


def _snapshot_indexes(version: Path, store: Path, graphs: set[ox.NamedNode]) -> None:
    """The answers of the browse and explorer index queries for this version
    (kg/index_snapshot.py), so that ``legkg serve --store`` starts without running them."""
    from kg.index_snapshot import snapshot_version
    from kg.store_versions import current_version

    previous = current_version(store)  # still the published one: we run before the flip
    done = snapshot_version(version, previous, {g.value for g in graphs})
    if done != "none":
        print(f"index snapshot {done}", file=sys.stderr)


def run_load(args: argparse.Namespace) -> int:
    label = args.file or ("legkg" if args.builtin else "ICD-10-CM")
    progress = Progress(f"loading {Path(label).name}", None)
    graphs, quads = _plan(args, progress)

    def finish(version: Path) -> None:  # runs before the new version is published
        progress.finish()
        if not args.no_label_index:
            _index_labels(version)
        _snapshot_indexes(version, Path(args.store), graphs)

    version = replace_graphs(Path(args.store), graphs, progress.count(quads), finish)
    names = ", ".join(sorted(g.value for g in graphs))
    elapsed = time.monotonic() - progress.start
    print(f"loaded {progress.quads:,} triples into {names} in {elapsed:.1f} s", file=sys.stderr)
    print(f"store {args.store} -> {version}", file=sys.stderr)
    return 0


def list_graphs(store: Path) -> int:
    handle = open_current(store)
    rows = handle.query(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    )
    for row in rows:
        print(f"{row['g'].value}\t{row['n'].value}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="legkg load", description=__doc__.split("\n")[0].replace("``", "")
    )
    p.add_argument("file", nargs="?", help="OBO, RDF/XML (.owl), Turtle, N-Triples... file")
    p.add_argument("--graph", help="named graph IRI to (re)place the file's triples in")
    p.add_argument("--store", default=str(default_store()), help="store folder (build/store)")
    p.add_argument("--format", choices=["obo", *RDF_FORMATS], help="default: from extension")
    p.add_argument(
        "--no-label-index", action="store_true", help="skip the search index (faster load)"
    )
    what = p.add_mutually_exclusive_group()
    what.add_argument("--builtin", action="store_true", help="load legkg's own graphs")
    what.add_argument(
        "--icd10cm",
        nargs="?",
        const="all",
        choices=["all", "xrefs"],
        help=f"load ICD-10-CM's hierarchy (all, or xrefs: legkg's codes) into {ICD10CM_GRAPH}",
    )
    what.add_argument("--list", action="store_true", help="list the store's graphs and sizes")
    return p


def main(argv: list[str]) -> int:
    """Entry point of ``legkg load``; the exit status (2 for a usage or data error)."""
    args = build_parser().parse_args(argv)
    try:
        if args.list:
            return list_graphs(Path(args.store))
        return run_load(args)
    except (OSError, ValueError, SyntaxError, StoreLayoutError) as exc:
        print(f"\nlegkg load: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nlegkg load: interrupted; the store is unchanged", file=sys.stderr)
        return 130
