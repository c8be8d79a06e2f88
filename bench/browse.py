"""Benchmark: latency of browse pages and search on the built-in graph.

Targets (issue 4): p50 < 30 ms for an entity page, p50 < 20 ms for search. Runs
in-process through Flask's test client (the whole request path: routing, view model,
template), or against a running ``legkg serve`` with ``--url``.

    .venv/bin/python bench/browse.py [--rounds 3] [--url http://127.0.0.1:8000]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # make ``bench.*`` importable

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import urllib.parse  # noqa: E402
import urllib.request  # noqa: E402
from collections.abc import Callable  # noqa: E402

TARGETS_MS = {"entity page": 30.0, "search": 20.0}
QUERIES = [
    "PAD", "pad", "peripheral artery", "rls", "restles legs", "fluid retention", "edema",
    "sciatica", "sciatca", "DVT", "abi", "leg elevation", "nocturnal cramps", "stretch",
    "iron", "dopamine", "compression", "walking", "night", "calf",
]  # fmt: skip


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def in_process() -> tuple[Callable[[str], int], list[str]]:
    from service import create_app

    t0 = time.perf_counter()
    app = create_app({"EXECUTOR": "inline"})
    print(f"app + browse index loaded in {time.perf_counter() - t0:.2f} s")
    client = app.test_client()
    curies = [e.curie for e in app.extensions["legkg"].cache["browse"].index.entities.values()]
    return (lambda path: client.get(path).status_code), curies


def remote(base: str) -> tuple[Callable[[str], int], list[str]]:
    def get(path: str) -> int:
        with urllib.request.urlopen(base + path, timeout=30) as response:
            response.read()
            return response.status

    with urllib.request.urlopen(base + "/class/legkg:Entity.json", timeout=30) as response:
        members = json.load(response)["members"]
    return get, [m["curie"] for m in members]


def measure(get: Callable[[str], int], paths: list[str], rounds: int) -> list[float]:
    for path in paths[:5]:
        get(path)  # warm up
    times = []
    for _ in range(rounds):
        for path in paths:
            t0 = time.perf_counter()
            status = get(path)
            times.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
    return times


def report(name: str, times: list[float]) -> bool:
    p50, p99 = statistics.median(times), percentile(times, 99)
    target = TARGETS_MS[name]
    verdict = "OK" if p50 < target else "SLOW"
    print(
        f"{name:12} n={len(times):5}  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  "
        f"max {max(times):6.2f} ms  target p50 < {target:.0f} ms  {verdict}"
    )
    return p50 < target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over all pages (3)")
    parser.add_argument("--url", help="base URL of a running server instead of in-process")
    args = parser.parse_args()
    get, curies = remote(args.url.rstrip("/")) if args.url else in_process()
    entity_paths = [f"/entity/{c}" for c in curies]
    search_paths = [f"/search.json?{urllib.parse.urlencode({'q': q})}" for q in QUERIES]
    ok = report("entity page", measure(get, entity_paths, args.rounds))
    ok &= report("search", measure(get, search_paths, args.rounds * 10))
    print("all targets met" if ok else "some targets missed")


if __name__ == "__main__":
    main()
