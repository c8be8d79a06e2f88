"""Atomic graph replacement in an on-disk Oxigraph store, by versioned folders.

Layout (``legkg load --store build/store``)::

    build/store               -> store.versions/000003   (a relative symlink)
    build/store.versions/000002/   the previous version (kept for running servers)
    build/store.versions/000003/   the current version (an ordinary Oxigraph store)
    build/store.versions/.lock     held while a load runs

Why versions: Oxigraph's bulk loader is not transactional, and a transactional
``DROP GRAPH``/``MOVE`` of a few hundred thousand quads took 15-25 s and most of a GB
here. So a load never writes into the version that readers see: it clones the current
version (a RocksDB checkpoint: hard links, instant), replaces the graphs in the clone
and, only when that is flushed to disk, flips the symlink with ``rename(2)``, which is
atomic. A load that fails or is killed leaves the symlink, hence the previous graphs,
untouched; its half-written folder is invisible to every query (nothing points to it)
and is deleted by the next load.

A replaced graph is not removed from the clone (deleting quads is slow); the new version
is rebuilt by copying the *other* graphs instead, so a reload costs the size of the rest
of the store. A first load of a graph costs only its own quads.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox


class StoreLayoutError(ValueError):
    """The --store path exists but is not a store managed by ``legkg load``."""


def versions_dir(store: Path) -> Path:
    return store.parent / f"{store.name}.versions"


def current_version(store: Path) -> Path | None:
    """The version folder the store path points to; None for a store not yet created."""
    if store.is_symlink():
        return store.resolve()
    if store.exists():
        raise StoreLayoutError(
            f"{store} exists and is not a store written by `legkg load` (a symlink to "
            f"{versions_dir(store).name}/NNNNNN); choose another --store folder"
        )
    return None


@contextlib.contextmanager
def load_lock(store: Path) -> Iterator[None]:
    """Exclusive lock for one load at a time per store (released when the process dies)."""
    folder = versions_dir(store)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreLayoutError(f"another `legkg load` is writing {store}") from None
        yield


def clean_stale(store: Path) -> list[Path]:
    """Delete versions left by failed loads and all but one older version; the removed."""
    current = current_version(store)
    versions = sorted(p for p in versions_dir(store).iterdir() if p.name.isdigit())
    keep = {current}
    if current is not None:
        older = [p for p in versions if p.name < current.name]
        keep.update(older[-1:])  # a server started before the last load may still use it
    removed = [p for p in versions if p not in keep]
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    return removed


def _next_version(store: Path) -> Path:
    numbers = [int(p.name) for p in versions_dir(store).iterdir() if p.name.isdigit()]
    return versions_dir(store) / f"{max(numbers, default=0) + 1:06d}"


def _clone(current: Path | None, target: Path, replaced: set[ox.NamedNode]) -> ox.Store:
    """A writable copy of ``current`` without the graphs in ``replaced``."""
    if current is None:
        return ox.Store(str(target))
    source = ox.Store.read_only(str(current))
    if not replaced & set(source.named_graphs()):
        source.backup(str(target))  # hard links; safe because versions are flushed
        del source
        return ox.Store(str(target))
    clone = ox.Store(str(target))
    graphs = [g for g in source.named_graphs() if g not in replaced]
    clone.bulk_extend(_quads_of(source, [ox.DefaultGraph(), *graphs]))
    return clone


def _quads_of(store: ox.Store, graphs: Iterable) -> Iterator[ox.Quad]:
    for graph in graphs:
        yield from store.quads_for_pattern(None, None, None, graph)


def _publish(store: Path, version: Path) -> None:
    """Point the store path at ``version`` atomically (rename of a fresh symlink)."""
    link = store.parent / f".{store.name}.link-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    link.symlink_to(Path(version.parent.name) / version.name)
    os.replace(link, store)
    dir_fd = os.open(store.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # the new link survives a power cut once we report success
    finally:
        os.close(dir_fd)


def replace_graphs(
    store: Path,
    graphs: set[ox.NamedNode],
    quads: Iterable[ox.Quad],
    finish: Callable[[Path], object] | None = None,
) -> Path:
    """Replace ``graphs`` by ``quads`` (which must lie in those graphs) atomically.

    Returns the new version folder. ``quads`` is consumed once, streamed to disk.
    ``finish(version folder)`` runs on the closed, complete version before it is
    published (e.g. to build a search index that must match the data).
    """
    store = Path(store)
    with load_lock(store):
        current = current_version(store)
        version = _next_version(store)  # before cleaning: numbers are never reused
        clean_stale(store)
        try:
            _write_version(current, version, graphs, quads)
            if finish is not None:
                finish(version)
        except BaseException:
            shutil.rmtree(version, ignore_errors=True)  # a SIGKILL skips this: next load
            raise
        _publish(store, version)
        return version


def _write_version(
    current: Path | None, version: Path, graphs: set[ox.NamedNode], quads: Iterable[ox.Quad]
) -> None:
    clone = _clone(current, version, graphs)
    clone.bulk_extend(_checked(quads, graphs))
    for graph in graphs:
        clone.add_graph(graph)  # an empty source still names its graph
    clone.flush()  # everything in SST files: later checkpoints need no WAL replay
    clone.optimize()
    del clone  # close RocksDB before readers open the version


def _checked(quads: Iterable[ox.Quad], graphs: set[ox.NamedNode]) -> Iterator[ox.Quad]:
    for quad in quads:
        if quad.graph_name not in graphs:
            raise ValueError(f"quad outside the graphs being replaced: {quad}")
        yield quad


def open_current(store: Path) -> ox.Store:
    """Read-only handle on the current version (FileNotFoundError if none)."""
    current = current_version(Path(store))
    if current is None:
        raise FileNotFoundError(f"no store at {store}; create one with `legkg load`")
    return ox.Store.read_only(str(current))
