"""HTTP benchmark: legkg serve vs two minimal baselines, same gunicorn worker count.

    .venv/bin/python bench/http.py [--data build/legkg.trig] [--seconds 5] [--clients 16]

Starts three servers on free loopback ports (``legkg serve``; Flask + plain rdflib;
Flask + pyoxigraph), runs a bounded load of ``--clients`` keep-alive threads for
``--seconds`` per query per server, and prints req/s, p50 and p99 with the ratios
against the targets (>= 8x rdflib, >= 0.8x pyoxigraph, p99 < 50 ms).
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder is sys.path[0] and would shadow the stdlib ``http``.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

import argparse  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
LEGKG = "https://w3id.org/legkg/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(kind: str, data: str, workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {**os.environ, "BENCH_DATA": data, "PYTHONPATH": str(ROOT)}
    if kind == "legkg":
        cmd = [PY, "-m", "service.server", "--trig", data, "--workers", str(workers)]
        cmd += ["--port", str(port)]
    else:
        app = f"bench.baselines.flask_{kind}:app"
        cmd = [PY, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", app]
        cmd += ["--log-level", "warning", "--preload"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            status, _ = request(port, "ASK { ?s ?p ?o }")
            if status == 200:
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"{kind} server did not start")


def request(port: int, query: str, conn: http.client.HTTPConnection | None = None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    path = "/sparql?" + urllib.parse.urlencode({"query": query})
    conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
    resp = conn.getresponse()
    body = resp.read()
    if own or resp.will_close:
        conn.close()
    return resp.status, body


def load(port: int, query: str, clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                status, _ = request(port, query, conn)
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
            if status == 200:
                mine.append(time.perf_counter() - start)
            else:
                errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    n = len(latencies)
    pick = (lambda q: latencies[min(n - 1, int(q * n))] * 1000) if n else (lambda q: float("nan"))
    return {"rps": n / seconds, "p50": pick(0.5), "p99": pick(0.99), "errors": errors[0]}


def bench_queries(port: int) -> dict[str, str]:
    """The four queries, anchored on an entity of the served data."""
    probe = f"SELECT ?e ?l WHERE {{ ?e <{RDFS}label> ?l }} ORDER BY ?e LIMIT 1"
    _, body = request(port, probe)
    row = json.loads(body)["results"]["bindings"][0]
    entity, label = row["e"]["value"], row["l"]["value"]
    return {
        "exact label": (
            f"SELECT ?e WHERE {{ ?e <{RDFS}label> ?l FILTER(STR(?l) = {json.dumps(label)}) }}"
        ),
        "label substring": (
            f"SELECT ?e ?l WHERE {{ ?e <{RDFS}label> ?l "
            'FILTER(CONTAINS(LCASE(STR(?l)), "leg")) } LIMIT 50'
        ),
        "one-hop": f"SELECT ?p ?o WHERE {{ {{ <{entity}> ?p ?o }} UNION {{ ?o ?p <{entity}> }} }}",
        "subClassOf*": f"SELECT ?c WHERE {{ ?c <{RDFS}subClassOf>* <{LEGKG}Condition> }}",
    }


def default_data() -> str:
    try:
        from kg.build import ensure_built

        return str(ensure_built())
    except Exception as exc:  # the build may be unavailable; fall back to the fixture
        print(f"(build unavailable: {exc}; using tests/data/mini.trig)", file=sys.stderr)
        return str(ROOT / "tests" / "data" / "mini.trig")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", help="TriG file (default: build/legkg.trig)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args(argv)
    data = args.data or default_data()
    servers = {}
    try:
        for kind in ("legkg", "pyoxigraph", "rdflib"):
            servers[kind] = start(kind, data, args.workers)
        queries = bench_queries(servers["legkg"][1])
        results = {
            (name, kind): load(port, query, args.clients, args.seconds)
            for name, query in queries.items()
            for kind, (_, port) in servers.items()
        }
    finally:
        for proc, _ in servers.values():
            proc.terminate()
            proc.wait(timeout=15)
    print_table(results, queries, args)
    return 0


def print_table(results: dict, queries: dict, args: argparse.Namespace) -> None:
    print(
        f"\n{args.clients} clients, {args.seconds:g} s per query per server, {args.workers} workers"
    )
    print("| query | server | req/s | p50 ms | p99 ms | errors |")
    print("|---|---|---:|---:|---:|---:|")
    for name in queries:
        for kind in ("legkg", "pyoxigraph", "rdflib"):
            r = results[(name, kind)]
            cells = (name, kind, f"{r['rps']:.0f}", f"{r['p50']:.1f}", f"{r['p99']:.1f}")
            print("| " + " | ".join((*cells, str(r["errors"]))) + " |")
    print("\n| query | legkg/rdflib (>= 8) | legkg/pyoxigraph (>= 0.8) | legkg p99 < 50 ms |")
    print("|---|---:|---:|---|")
    for name in queries:
        legkg, rdf, ox = (results[(name, k)] for k in ("legkg", "rdflib", "pyoxigraph"))
        vs_rdf = legkg["rps"] / rdf["rps"] if rdf["rps"] else float("inf")
        vs_ox = legkg["rps"] / ox["rps"] if ox["rps"] else float("nan")
        ok = "yes" if legkg["p99"] < 50 else "NO"
        print(f"| {name} | {vs_rdf:.1f}x | {vs_ox:.2f}x | {ok} ({legkg['p99']:.1f}) |")


if __name__ == "__main__":
    sys.exit(main())
