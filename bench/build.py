"""Benchmark: build + reasoning + checks of the built-in graph.

Prints each stage's time over a few runs and compares the full build with reasoning
against (a) the 10 s target of the foundation issue and (b) a baseline measured in
the same run: the same pipeline with reasoning switched off.

    .venv/bin/python bench/build.py [--runs 3] [--no-hermit]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from rdflib import Graph

from kg import build as build_module
from kg.build import build, write_release
from kg.checks import run_checks

TARGET_S = 10.0


def _timed(fn):
    t0 = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - t0


def _no_reasoning(ontology: Graph, asserted: Graph) -> Graph:
    return Graph()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-hermit", action="store_true")
    args = ap.parse_args()
    full, base, checks = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.runs):
            result, t_build = _timed(build)
            _, t_write = _timed(lambda r=result: write_release(r, Path(tmp) / "full"))
            full.append((t_build + t_write, result.timings))
            _, t_check = _timed(lambda r=result: run_checks(r, with_hermit=not args.no_hermit))
            checks.append(t_check)
            real_infer = build_module.infer
            build_module.infer = _no_reasoning
            try:
                r0, t0 = _timed(build)
                _, w0 = _timed(lambda r=r0: write_release(r, Path(tmp) / "base"))
            finally:
                build_module.infer = real_infer
            base.append(t0 + w0)
    med = statistics.median(t for t, _ in full)
    stages = {k: statistics.median(tm[k] for _, tm in full) for k in full[0][1]}
    print(f"{'stage':<28}{'median s':>10}")
    for k, v in stages.items():
        print(f"{k:<28}{v:>10.2f}")
    print(f"{'build + reasoning + write':<28}{med:>10.2f}")
    print(f"{'checks':<28}{statistics.median(checks):>10.2f}")
    print(f"{'baseline: no reasoning':<28}{statistics.median(base):>10.2f}")
    verdict = "PASS" if med < TARGET_S else "FAIL"
    overhead = med - statistics.median(base)
    print(f"reasoning overhead: {overhead:.2f} s; target: build < {TARGET_S:.0f} s -> {verdict}")
    return 0 if med < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
