"""Serve a baseline app through ``service.server.run``: legkg's exact Granian settings.

    python -m bench.baselines.serve flask_rdflib --port 8001 --workers 2 --threads 4

The baseline loads its data ($BENCH_DATA) once, before the workers are forked, as
``legkg serve`` does; the server options are parsed by ``legkg serve``'s own parser.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from service.server import build_parser, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("app", choices=("flask_rdflib", "flask_pyoxigraph"))
    known, rest = parser.parse_known_args(argv)
    args = build_parser().parse_args(rest)
    app = importlib.import_module(f"bench.baselines.{known.app}").app
    return run(app, args)


if __name__ == "__main__":
    sys.exit(main())
