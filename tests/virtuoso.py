"""A throwaway Virtuoso open source server on loopback, loaded with legkg's build.

Used by the store contract tests: a minimal ``virtuoso.ini`` in a temporary folder (SQL
and HTTP ports picked free, the folder in ``DirsAllowed`` for the bulk loader), then
``virtuoso-t +foreground``, a bulk load of one N-Triples file per named graph
(``ld_dir`` + ``rdf_loader_run()`` through ``isql-vt``), and SIGTERM at the end.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from tests.conftest import stop_process

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
MISSING = (
    "Virtuoso is not installed (virtuoso-t/isql-vt not on PATH): "
    "apt-get install virtuoso-opensource-7-bin (setup.sh does this)"
)

INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., {d}
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 8
MaxClientConnections = 8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


def available() -> bool:
    return bool(VIRTUOSO and ISQL)


@contextlib.contextmanager
def running_virtuoso(trig: Path, folder: Path, sql: int, http: int) -> Iterator[str]:
    """Start Virtuoso in ``folder``, load ``trig``; yield the SPARQL endpoint URL."""
    folder.mkdir(parents=True, exist_ok=True)
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(d=folder, sql=sql, http=http), encoding="utf-8")
    log = open(folder / "stdout.log", "wb")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(
        [str(VIRTUOSO), "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    endpoint = f"http://127.0.0.1:{http}/sparql"
    try:
        _wait_ready(endpoint, proc, folder)
        bulk_load(trig, folder, sql)
        yield endpoint
    finally:
        stop_process(proc, timeout=30)
        log.close()


def _wait_ready(endpoint: str, proc: subprocess.Popen, folder: Path) -> None:
    # a fresh database takes ~10-15 s to initialise on 2 cores
    deadline = time.monotonic() + 90
    url = endpoint + "?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = (folder / "stdout.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"virtuoso-t exited with {proc.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("Virtuoso did not come up in 90 s")


def split_graphs(trig: Path, folder: Path) -> dict[str, Path]:
    """One N-Triples file per named graph, with the ``.graph`` file ``ld_dir`` reads."""
    graphs: dict[str, list[ox.Triple]] = defaultdict(list)
    for quad in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG):
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs[quad.graph_name.value].append(quad.triple)
    files = {}
    for n, (name, triples) in enumerate(sorted(graphs.items())):
        path = folder / f"graph{n}.nt"
        path.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
        path.with_name(path.name + ".graph").write_text(name, encoding="utf-8")
        files[name] = path
    return files


def bulk_load(trig: Path, folder: Path, sql: int) -> None:
    """Virtuoso's bulk loader over the per-graph files, then a checkpoint."""
    load_dir = folder / "load"
    load_dir.mkdir(exist_ok=True)
    split_graphs(trig, load_dir)
    isql(
        sql,
        f"ld_dir('{load_dir}', '*.nt', 'urn:legkg:unnamed'); rdf_loader_run(); checkpoint;"
        # loading over the update endpoint (kg.store_remote) needs SPARQL Update rights
        ' grant SPARQL_UPDATE to "SPARQL";',
    )
    errors = isql(sql, "select count(*) from DB.DBA.LOAD_LIST where ll_error is not null;")
    if "\n0\n" not in "\n" + "\n".join(line.strip() for line in errors.splitlines()) + "\n":
        raise RuntimeError(f"Virtuoso bulk load reported errors:\n{errors}")


def isql(sql: int, commands: str) -> str:
    """Run SQL through ``isql-vt`` as dba; RuntimeError on failure."""
    done = subprocess.run(
        [str(ISQL), str(sql), "dba", "dba", f"exec={commands}"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "LANG": "C"},
    )
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql-vt failed: {done.stdout}\n{done.stderr}")
    return done.stdout
