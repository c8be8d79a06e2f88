"""The `legkg` command: build, check, query, stats, sections, serve, mappings, load, federate.

Every failure a user can cause ends in a readable message and a non-zero exit,
never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from kg import namespaces as ns
from kg.curated import CuratedDataError
from kg.paths import DATA_DIR, build_dir


def _build(args: argparse.Namespace) -> int:
    from kg.build import build, write_release

    t0 = time.perf_counter()
    result = build(Path(args.data), base=args.base)
    files = write_release(result, Path(args.out))
    counts = ", ".join(f"{str(k).rsplit('/', 1)[-1]} {len(g)}" for k, g in result.graphs.items())
    c = result.curated
    print(f"built {len(c.entities)} entities, {len(c.edges)} edges ({counts} triples)")
    print(f"wrote {len(files)} files to {args.out} in {time.perf_counter() - t0:.2f} s")
    return 0


def _check(args: argparse.Namespace) -> int:
    from kg.build import build
    from kg.checks import run_checks

    result = build(Path(args.data))
    extra = {}
    if args.xrefs:
        from kg.xrefs import run_xref_check

        extra["cross-references"] = lambda: run_xref_check(Path(args.data))
    report = run_checks(result, with_hermit=not args.no_hermit, extra=extra)
    c = result.curated
    print(f"curated data: ok ({len(c.entities)} entities, {len(c.edges)} edges)")
    print(report.render())
    return 0 if report.ok else 1


def _query(args: argparse.Namespace) -> int:
    from kg.cli_query import run_query

    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    return run_query(text, args.format, Path(args.out))


def _stats(args: argparse.Namespace) -> int:
    from kg.cli_query import print_stats

    return print_stats(Path(args.out))


def _sections(args: argparse.Namespace) -> int:
    from kg.source import load_article

    for sec in load_article().sections.values():
        print(f"{sec.id}\t{sec.label}")
    return 0


def _mappings(args: argparse.Namespace) -> int:
    from kg.sssom_export import render_sssom

    text = render_sssom(Path(args.data))
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


def _serve(argv: Sequence[str]) -> int:
    from service.server import main as serve_main

    return serve_main(list(argv))


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="legkg", description="Build, check, query and serve the legkg graph."
    )
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the release files (TriG, OWL, Turtle, JSON-LD)")
    b.add_argument("--out", default=str(build_dir()), help="output folder (default: build/)")
    b.add_argument("--data", default=str(DATA_DIR), help="curated data folder")
    b.add_argument("--base", default=ns.DEFAULT_BASE, help="IRI base of the ontology and entities")
    b.set_defaults(func=_build)
    c = sub.add_parser("check", help="SHACL, violation queries, HermiT and evidence checks")
    c.add_argument("--data", default=str(DATA_DIR), help="curated data folder")
    c.add_argument(
        "--xrefs", action="store_true", help="also verify cross-references against terminologies"
    )
    c.add_argument(
        "--no-hermit", action="store_true", help="skip the HermiT (Java) consistency check"
    )
    c.set_defaults(func=_check)
    q = sub.add_parser("query", help="run a SPARQL query file (or - for stdin) on the built graph")
    q.add_argument("file")
    q.add_argument("--format", choices=["table", "csv", "tsv", "json"], default="table")
    q.add_argument("--out", default=str(build_dir()), help="build folder to query")
    q.set_defaults(func=_query)
    s = sub.add_parser("stats", help="counts per class and per relation")
    s.add_argument("--out", default=str(build_dir()), help="build folder to read")
    s.set_defaults(func=_stats)
    m = sub.add_parser("mappings", help="export the cross-references as SSSOM TSV")
    m.add_argument("--out", default="-", help="output file (default: standard output)")
    m.add_argument("--data", default=str(DATA_DIR), help="curated data folder")
    m.set_defaults(func=_mappings)
    sub.add_parser("sections", help="list the article's section ids").set_defaults(func=_sections)
    forwarded = (
        ("serve", "serve the graph over HTTP"),
        ("load", "load an ontology into an on-disk store"),
        ("federate", "join legkg's cross-references with a remote endpoint (SERVICE)"),
    )
    for name, text in forwarded:
        sub.add_parser(name, help=f"{text} (see `legkg {name} --help`)", add_help=False)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["serve"]:
        return _serve(argv[1:])
    if argv[:1] == ["load"]:
        from kg.load import main as load_main

        return load_main(argv[1:])
    if argv[:1] == ["federate"]:
        from kg.federate import main as federate_main

        return federate_main(argv[1:])
    args = _parser().parse_args(argv)
    try:
        return args.func(args)
    except CuratedDataError as exc:
        print(f"legkg: the curated data has {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    except (OSError, ValueError, SyntaxError) as exc:
        print(f"legkg: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
