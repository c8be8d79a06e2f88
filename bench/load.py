"""Load test: 32 concurrent clients drive ``legkg serve`` for 60 s with mixed requests.

    .venv/bin/python bench/load.py [--clients 32] [--seconds 60] [--store DIR] [--workers 2]

Starts the server on a free loopback port (the built-in graph, or ``--store``), then
each client loops over a mix of SPARQL queries, named queries and browse pages on one
keep-alive connection. Reports requests, errors, throughput, p50/p99 latency and the
RSS of every worker and query process before and after. Exits 1 on any error (a
non-2xx answer, a reset or a client timeout), so it can gate a release; it is a
benchmark, not a unit test.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make ``bench.*`` importable

import argparse  # noqa: E402
import http.client  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
import urllib.request  # noqa: E402

from bench.procs import free_port, rss_mb, server_processes  # noqa: E402

PREFIXES = "PREFIX legkg: <https://w3id.org/legkg/>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


def _sparql(query: str, fmt: str = "json") -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": PREFIXES + query, "format": fmt})


MIX = [
    _sparql("SELECT ?s ?l WHERE { ?s rdfs:label ?l } LIMIT 50"),
    _sparql("SELECT ?x ?l { legkg:RestlessLegsSyndrome legkg:hasSymptom ?x . ?x rdfs:label ?l }"),
    _sparql("ASK { legkg:Sciatica ?p ?o }"),
    _sparql("CONSTRUCT { legkg:Sciatica ?p ?o } WHERE { legkg:Sciatica ?p ?o }", "turtle"),
    _sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "csv"),
    "/queries/cq01-nine-etiologies.json",
    "/queries/cq02-rls-symptoms.json",
    "/entity/legkg:Sciatica",
    "/entity/legkg:RestlessLegsSyndrome.json",
    "/search.json?q=cramp",
    "/classes",
    "/healthz",
]  # fmt: skip


class Tally:
    """Latencies and errors from all clients (a lock: appends from 32 threads)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def add(self, seconds: float, error: str | None) -> None:
        with self.lock:
            if error:
                self.errors.append(error)
            else:
                self.latencies.append(seconds)


def client(port: int, offset: int, stop: float, tally: Tally) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = offset
    while time.monotonic() < stop:
        path = MIX[i % len(MIX)]
        i += 1
        start = time.perf_counter()
        error = None
        try:
            conn.request("GET", path, headers={"Accept": "text/html,application/json"})
            resp = conn.getresponse()
            resp.read()
            if resp.status >= 400:
                error = f"HTTP {resp.status} {path}"
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__} {path}"
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        tally.add(time.perf_counter() - start, error)
    conn.close()


def start_server(args: argparse.Namespace, port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "service.server", "--port", str(port),
           "--workers", str(args.workers)]  # fmt: skip
    if args.store:
        cmd += ["--store", args.store]
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start in 120 s")


def memory(master: int) -> dict[int, float]:
    return {pid: rss_mb(pid) for pid in server_processes(master)}


def run(args: argparse.Namespace) -> int:
    port = free_port()
    proc = start_server(args, port)
    try:
        for path in MIX:  # warm every process's caches once
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30).read()
        before = memory(proc.pid)
        tally = Tally()
        stop = time.monotonic() + args.seconds
        threads = [threading.Thread(target=client, args=(port, n, stop, tally))
                   for n in range(args.clients)]  # fmt: skip
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(args.seconds + 60)
        elapsed = time.monotonic() - started
        after = memory(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return report(args, tally, elapsed, before, after)


def report(args, tally: Tally, elapsed: float, before: dict, after: dict) -> int:
    done = sorted(tally.latencies)
    p50 = done[len(done) // 2] * 1000 if done else 0.0
    p99 = done[min(len(done) - 1, int(len(done) * 0.99))] * 1000 if done else 0.0
    print(f"clients {args.clients}, {elapsed:.1f} s, {len(MIX)} kinds of request")
    print(f"requests {len(done) + len(tally.errors)}, errors {len(tally.errors)}")
    print(f"throughput {len(done) / elapsed:.1f} req/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    print("RSS MB before -> after (workers and query processes):")
    for pid in sorted(set(before) | set(after)):
        print(f"  pid {pid}: {before.get(pid, 0):.0f} -> {after.get(pid, 0):.0f}")
    for error in sorted(set(tally.errors))[:10]:
        print(f"error: {error}")
    return 1 if tally.errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--store", help="serve this on-disk store (default: built-in graph)")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
