"""Snapshots of the index queries' answers, so a server starts without running them.

At start-up every serving process builds the browse index (``kg.views_index``) and the
symptom explorer (``kg.explore``) from the rows of about 16 named queries. Against an
on-disk store holding HPO, MAxO and UBERON those queries took 2.4 s of a 4.7 s start-up
(RocksDB reads, the graph scope of ``kg.store_scope``), although their answers only
change when legkg's graphs do. So the answers are recorded once, when the data is
written (``legkg load``, ``legkg build``), into a JSON file beside the data, and replayed
by text at start-up: any query not in the snapshot (a new or edited query file) still
goes to the store, so the snapshot can never answer a query it did not record.

A snapshot is keyed by a digest of the data it was recorded from and used only when the
digest still matches: for a store version the names and sizes of its RocksDB files
(immutable, numbered files: any write adds new ones), for a TriG file its SHA-256.

    answers = record(store)                    # build both indexes, keep the rows
    write(path, key, answers)
    replayed(store, path, key)                 # the store, answering from the snapshot
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.store import Result, Store, StoreProxy, Term

SNAPSHOT_NAME = "legkg-index-snapshot.json"
FORMAT = 1  # bump when the file layout changes: older files are then ignored
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Answer = tuple[list[str], list[list[Term | None]]]


# ---------------------------------------------------------------------- replay
class Replay(StoreProxy):
    """A store that answers the recorded queries from memory and sends the rest on."""

    def __init__(self, store: Store, answers: Mapping[str, Answer]) -> None:
        super().__init__(store)
        self.answers = answers

    def query(
        self,
        text: str,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        bindings: Mapping[str, Term] | None = None,
    ) -> Result:
        answer = self.answers.get(text)
        if answer is None or default_graph_uris or named_graph_uris or bindings:
            return super().query(text, default_graph_uris, named_graph_uris, bindings)
        variables, rows = answer
        return Result("solutions", list(variables), rows=iter(rows))


class Recorder(Replay):
    """A store that keeps the rows of every plain SELECT it runs (no bindings, no dataset)."""

    def __init__(self, store: Store) -> None:
        super().__init__(store, {})
        self.recorded: dict[str, Answer] = {}

    def query(
        self,
        text: str,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        bindings: Mapping[str, Term] | None = None,
    ) -> Result:
        result = self.store.query(text, default_graph_uris, named_graph_uris, bindings)
        if result.kind != "solutions" or default_graph_uris or named_graph_uris or bindings:
            return result
        rows = list(result.rows or ())
        self.recorded[text] = (result.variables, rows)
        return Result("solutions", result.variables, rows=iter(rows))


def record(store: Store) -> dict[str, Answer]:
    """Build the browse index and the explorer on ``store``; the answers of their queries."""
    from kg.explore import Explorer
    from kg.views_index import BrowseIndex

    recorder = Recorder(store)
    BrowseIndex.load(recorder)
    Explorer.load(recorder)
    return recorder.recorded


def replayed(store: Store, source: tuple[Path, str] | None) -> Store:
    """``store`` answering from the snapshot at ``source`` (path, data key) when it is
    there and matches; else ``store`` itself (the indexes then run their queries)."""
    answers = read(*source) if source is not None else None
    return Replay(store, answers) if answers else store


# ---------------------------------------------------------------------- keys
def version_key(folder: str | os.PathLike[str]) -> str:
    """Digest of an Oxigraph store folder's data files (RocksDB never rewrites a file:
    new data means new numbered files, so equal listings mean equal data)."""
    entries = []
    for entry in os.scandir(folder):
        name = entry.name
        if name.endswith((".sst", ".log")) or name.startswith("MANIFEST-") or name == "CURRENT":
            entries.append(f"{name}\t{entry.stat().st_size}")
    return "rocksdb:" + hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


def file_key(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes (a 2 MB TriG: a few ms)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return "sha256:" + digest.hexdigest()


def trig_snapshot_path(trig: str | os.PathLike[str]) -> Path:
    """Where ``legkg build`` puts the snapshot of a TriG file: beside it."""
    path = Path(trig)
    return path.with_name(f"{path.stem}.index-snapshot.json")


# ---------------------------------------------------------------------- file format
def write(path: str | os.PathLike[str], key: str, answers: Mapping[str, Answer]) -> bool:
    """Write the snapshot atomically; False (nothing written) if a term cannot be stored."""
    try:
        queries = [
            {"text": text, "vars": variables, "rows": [[_encode(t) for t in row] for row in rows]}
            for text, (variables, rows) in answers.items()
        ]
    except TypeError:  # an RDF-star triple term: not worth a format of its own
        return False
    _write_json(Path(path), {"format": FORMAT, "key": key, "queries": queries})
    return True


def _write_json(target: Path, body: dict[str, Any]) -> None:
    """Write atomically: a reader sees the old file or the new one, never half of one."""
    scratch = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    scratch.write_text(json.dumps(body, ensure_ascii=False, separators=(",", ":")), "utf-8")
    os.replace(scratch, target)


def read(path: str | os.PathLike[str], key: str) -> dict[str, Answer] | None:
    """The answers stored at ``path`` if it exists and was recorded from data ``key``."""
    try:
        body = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(body, dict) or body.get("format") != FORMAT or body.get("key") != key:
        return None
    decode = _Decoder()
    try:
        return {
            q["text"]: (q["vars"], [[decode(c) for c in row] for row in q["rows"]])
            for q in body["queries"]
        }
    except (KeyError, TypeError, ValueError):  # a damaged file: query the store instead
        return None


def _encode(term: Term | None) -> Any:
    """None, "<iri>"-free compact forms: IRI as a string, a literal or blank node as a list."""
    if term is None or isinstance(term, ox.NamedNode):
        return None if term is None else term.value
    if isinstance(term, ox.BlankNode):
        return ["_", term.value]
    if isinstance(term, ox.Literal):
        if term.language:
            return ["@", term.value, term.language]
        if term.datatype.value == XSD_STRING:
            return [term.value]
        return ["^", term.value, term.datatype.value]
    raise TypeError(f"cannot store {term!r}")


class _Decoder:
    """JSON cell -> term; one NamedNode per distinct IRI (an IRI recurs about 10 times,
    and building terms is most of the time a snapshot takes to read)."""

    def __init__(self) -> None:
        self.iris: dict[str, ox.NamedNode] = {}

    def __call__(self, cell: Any) -> Term | None:
        if cell is None:
            return None
        if isinstance(cell, str):
            node = self.iris.get(cell)
            if node is None:
                node = self.iris[cell] = ox.NamedNode(cell)
            return node
        if len(cell) == 1:
            return ox.Literal(cell[0])
        tag, value = cell[0], cell[1]
        if tag == "_":
            return ox.BlankNode(value)
        if tag == "@":
            return ox.Literal(value, language=cell[2])
        return ox.Literal(value, datatype=self(cell[2]))


# ---------------------------------------------------------------------- where data is written
def snapshot_trig(trig: Path, quads: Iterable[ox.Quad]) -> bool:
    """``legkg build``: the snapshot of the built-in store made from ``quads`` (the quads
    just written to ``trig``; parsing the file back would cost another 0.6 s)."""
    from kg.store import builtin_store

    answers = record(builtin_store(quads))
    return write(trig_snapshot_path(trig), file_key(trig), answers)


def snapshot_version(version: Path, previous: Path | None, replaced: Iterable[str]) -> str:
    """``legkg load``: the snapshot of a new store version, before it is published.

    When no graph of legkg's was replaced, the previous version's snapshot still holds
    (the indexes read only legkg's graphs, copied unchanged) and is re-keyed; otherwise
    the queries run on the new version. Returns ``copied``, ``recorded`` or ``none``.
    """
    from kg.store import DiskStore
    from kg.store_scope import LEGKG_GRAPHS, own_graphs

    key = version_key(version)
    ours_kept = not any(g.startswith(LEGKG_GRAPHS) for g in replaced)
    old = previous / SNAPSHOT_NAME if previous is not None and ours_kept else None
    if old is not None and _rekey(old, version_key(old.parent), version / SNAPSHOT_NAME, key):
        return "copied"
    store = DiskStore(version)
    if not any(g.startswith(LEGKG_GRAPHS) for g in store.graph_names()):
        return "none"  # without legkg's graphs the indexes would read the whole store
    return "recorded" if write(version / SNAPSHOT_NAME, key, record(own_graphs(store))) else "none"


def _rekey(source: Path, old: str, target: Path, new: str) -> bool:
    """Copy a snapshot valid for ``old`` data as one for ``new`` (no term decoding)."""
    try:
        body = json.loads(source.read_text("utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(body, dict) or body.get("format") != FORMAT or body.get("key") != old:
        return False
    body["key"] = new
    _write_json(target, body)
    return True


def serving_source(store: Store, trig: str | os.PathLike[str] | None) -> tuple[Path, str] | None:
    """(snapshot path, key of the data being served) for a store version or the built-in
    TriG with Oxigraph; None for other stores (remote, ``--data``, rdflib)."""
    from kg.store import DiskStore

    if isinstance(store, DiskStore):
        return Path(store.path) / SNAPSHOT_NAME, version_key(store.path)
    if trig is not None and store.engine == "oxigraph" and Path(trig).is_file():
        return trig_snapshot_path(trig), file_key(trig)
    return None
