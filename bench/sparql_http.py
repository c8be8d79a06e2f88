"""HTTP benchmark: legkg serve vs two minimal baselines under the same server settings.

    .venv/bin/python bench/sparql_http.py [--data build/legkg.trig] [--seconds 9] [--clients 16]
        [--no-inline]

Starts three servers on free loopback ports (``legkg serve``; Flask + plain rdflib;
Flask + pyoxigraph), all through ``service.server.run`` (Granian, the same workers,
threads, keep-alive, preloaded app, frozen heap), and drives each with ``wrk`` (Debian
package; a bounded Python load generator when wrk is missing) using ``--clients`` keep-alive
connections, for four queries. The three servers are measured in interleaved slices
(``--rounds``) so background load on the machine hits them alike. Each server is let
go idle before the next measurement.
Prints req/s, p50, p99, the ratios and PASS/FAIL against the targets (>= 8x rdflib,
>= 0.8x pyoxigraph, p99 < 50 ms) and exits 1 when a target is missed.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # make ``bench.*`` importable

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
import urllib.request  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import loadgen  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
LEGKG = "https://w3id.org/legkg/"
SERVERS = ("legkg", "pyoxigraph", "rdflib")
TARGET_VS_RDFLIB, TARGET_VS_OX, TARGET_P99_MS = 8.0, 0.8, 50.0


def server_command(kind: str, data: str, port: int, args: argparse.Namespace) -> list[str]:
    """``legkg serve``, or a baseline app served by ``legkg serve``'s own server code."""
    options = ["--port", str(port), "--workers", str(args.workers), "--threads", str(args.threads)]
    if kind == "legkg":
        inline = ["--inline-below-ms", "0"] if args.no_inline else []
        return [PY, "-m", "service.server", "--trig", data, *options, *inline]
    return [PY, "-m", "bench.baselines.serve", f"flask_{kind}", *options]


def start(kind: str, data: str, args: argparse.Namespace) -> tuple[subprocess.Popen, int]:
    port = loadgen.free_port()
    env = {**os.environ, "BENCH_DATA": data, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(server_command(kind, data, port, args), cwd=ROOT, env=env)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            status, _ = fetch(port, "ASK { ?s ?p ?o }")
            if status == 200:
                return proc, port
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"{kind} server did not start")


def fetch(port: int, query: str) -> tuple[int, bytes]:
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return resp.status, resp.read()


def bench_queries(port: int) -> dict[str, str]:
    """The four queries, anchored on an entity of the served data."""
    probe = f"SELECT ?e ?l WHERE {{ ?e <{RDFS}label> ?l }} ORDER BY ?e LIMIT 1"
    row = json.loads(fetch(port, probe)[1])["results"]["bindings"][0]
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
    from kg.build import ensure_built

    return str(ensure_built())


def measure(servers: dict, queries: dict, args: argparse.Namespace, meter: loadgen.Meter) -> dict:
    """Per query, ``--rounds`` interleaved slices on each server, merged per server: drift
    and background load on the machine hit all three alike."""
    results: dict[tuple[str, str], loadgen.Run] = {}
    slice_s = args.seconds / args.rounds
    for name, query in queries.items():
        runs: dict[str, list[loadgen.Run]] = {kind: [] for kind in SERVERS}
        for _ in range(args.rounds):
            for kind in runs:
                runs[kind].append(meter.run(servers[kind], query, args.clients, slice_s))
        for kind, parts in runs.items():
            results[(name, kind)] = loadgen.Run.merge(parts)
        print(f"  {name}: done", file=sys.stderr)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", help="TriG file (default: build/legkg.trig, built if missing)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--threads", type=int, default=4, help="request threads per worker")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=9.0, help="per query per server")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved slices")
    parser.add_argument("--python-load", action="store_true", help="do not use wrk")
    parser.add_argument(
        "--no-inline",
        action="store_true",
        help="legkg runs every query in a query process (--inline-below-ms 0)",
    )
    args = parser.parse_args(argv)
    data = args.data or default_data()
    use_wrk = bool(shutil.which("wrk")) and not args.python_load
    started: dict[str, tuple[subprocess.Popen, int]] = {}
    try:
        for kind in SERVERS:
            started[kind] = start(kind, data, args)
        meter = loadgen.Meter({k: p for k, (p, _) in started.items()}, use_wrk)
        queries = bench_queries(started["legkg"][1])
        servers = {k: (p.pid, port) for k, (p, port) in started.items()}
        results = measure(servers, queries, args, meter)
    finally:
        for proc, _ in started.values():
            proc.terminate()
            proc.wait(timeout=15)
    print(header(args, data, use_wrk, meter))
    return 0 if print_table(results, queries) else 1


def header(args: argparse.Namespace, data: str, use_wrk: bool, meter: loadgen.Meter) -> str:
    gen = "wrk -t1" if use_wrk else "Python threads"
    return (
        f"\n{Path(data).name}; {args.clients} connections ({gen}); {args.seconds:g} s per query "
        f"per server ({args.rounds} interleaved slices); Granian WSGI, "
        f"{args.workers} workers x {args.threads} threads, keep-alive; {os.cpu_count()} CPUs; "
        f"legkg {'every query in a query process' if args.no_inline else 'default settings'}\n"
        f"machine while measuring: {meter.note()}\n"
    )


def print_table(results: dict, queries: dict) -> bool:
    """The table (Markdown); True when every target is met."""
    ok = True
    print(
        "| query | server | req/s | p50 ms | p99 ms | err | vs rdflib | vs pyoxigraph | targets |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---|")
    for name in queries:
        legkg, ox, rdf = (results[(name, k)] for k in SERVERS)
        for kind in SERVERS:
            r = results[(name, kind)]
            vs_rdf = f"{r.rps / rdf.rps:.1f}x" if rdf.rps else "inf"
            vs_ox = f"{r.rps / ox.rps:.2f}x" if ox.rps else "n/a"
            verdict = ""
            if kind == "legkg":
                checks = (
                    ("8x rdflib", not rdf.rps or r.rps >= TARGET_VS_RDFLIB * rdf.rps),
                    ("0.8x pyoxigraph", r.rps >= TARGET_VS_OX * ox.rps),
                    ("p99<50", r.p99 < TARGET_P99_MS and r.errors == 0),
                )
                ok = ok and all(passed for _, passed in checks)
                verdict = ", ".join(f"{label} {'PASS' if p else 'FAIL'}" for label, p in checks)
            cells = (name, kind, f"{r.rps:.0f}", f"{r.p50:.1f}", f"{r.p99:.1f}", str(r.errors))
            print("| " + " | ".join((*cells, vs_rdf, vs_ox, verdict)) + " |")
    print("\nall targets met" if ok else "\nTARGET MISSED")
    return ok


if __name__ == "__main__":
    sys.exit(main())
