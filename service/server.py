"""``legkg serve``: run the service under gunicorn in the foreground.

The app (and the store) is created once in the gunicorn master (``preload_app``) and
shared copy-on-write by the workers; each worker forks its own killable query process
on first use. SIGTERM stops the server gracefully and ``main`` returns 0.

    python -m service.server --data a.ttl --data b.trig --port 8001
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from gunicorn.app.base import BaseApplication


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="legkg serve", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (8000)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="one per core")
    parser.add_argument(
        "--threads",
        type=int,
        default=4,
        help="request threads per worker, each with its own killable query process (4)",
    )
    parser.add_argument(
        "--data",
        action="append",
        nargs="+",
        default=[],
        metavar="FILE",
        help="serve these RDF files instead of legkg (standard dataset semantics)",
    )
    parser.add_argument("--trig", help="built-in mode from this TriG file (default: the build)")
    parser.add_argument(
        "--store",
        metavar="DIR|sparql+http://HOST/PATH",
        help="serve an on-disk store (legkg load) or a remote SPARQL 1.1 endpoint",
    )
    parser.add_argument("--update-endpoint", help="remote store: its SPARQL Update endpoint")
    parser.add_argument("--timeout", type=float, default=10.0, help="query time limit, s (10)")
    parser.add_argument("--max-rows", type=int, default=10_000, help="row cap (10000)")
    parser.add_argument(
        "--allow-service",
        action="append",
        default=[],
        metavar="PREFIX",
        help="allow SERVICE to endpoints starting with this IRI (repeatable)",
    )
    parser.add_argument("--engine", choices=("oxigraph", "rdflib"), default=None)
    parser.add_argument("--queries-dir", help="named queries folder (default: queries/)")
    return parser


def app_config(args: argparse.Namespace) -> dict[str, Any]:
    """Flask config for ``create_app`` from parsed options."""
    config: dict[str, Any] = {
        "DATA_FILES": [f for group in args.data for f in group],
        "TRIG_PATH": args.trig,
        "STORE": args.store,
        "UPDATE_ENDPOINT": args.update_endpoint,
        "QUERY_TIMEOUT": args.timeout,
        "MAX_ROWS": args.max_rows,
        "ALLOW_SERVICE": args.allow_service,
        "STORE_ENGINE": args.engine,
    }
    if args.queries_dir:
        config["QUERIES_DIR"] = args.queries_dir
    return config


class _Server(BaseApplication):
    def __init__(self, app: Any, options: dict[str, Any]) -> None:
        self._app = app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        return self._app


def gunicorn_options(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "bind": f"{args.host}:{args.port}",
        "workers": max(1, args.workers),
        # threads: a worker keeps serving while a thread waits on its query process, and
        # keep-alive connections are kept (the sync worker closes every connection)
        "worker_class": "gthread",
        "threads": max(1, args.threads),
        "keepalive": 5,
        "preload_app": True,
        "timeout": int(args.timeout) + 30,  # the query process is killed well before
        "graceful_timeout": 5,
        "limit_request_line": 8190,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "legkg-serve",
    }


def _prestart(app: Any, count: int) -> Any:
    """A gunicorn hook forking a worker's query processes before it serves (and before it
    has threads), so they are never forked mid-request."""

    def hook(worker: Any) -> None:
        start = getattr(app.extensions["legkg"].executor, "start", None)
        if start is not None:
            start(max(1, count))

    return hook


def main(argv: list[str] | None = None) -> int:
    """Parse options, load the data, serve until SIGTERM/SIGINT; the exit status."""
    args = build_parser().parse_args(argv)
    from service import create_app

    try:
        app = create_app(app_config(args))
    except Exception as exc:  # a missing/invalid file or a failed build: report, no traceback
        print(f"legkg serve: cannot load the data: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    workers = max(1, args.workers)
    print(
        f"legkg serving http://{args.host}:{args.port}/sparql ({workers} workers)", file=sys.stderr
    )
    try:
        options = {**gunicorn_options(args), "post_worker_init": _prestart(app, args.threads)}
        _Server(app, options).run()
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0


def serve(argv: list[str] | None = None) -> int:
    """Alias of ``main`` for callers that prefer the verb."""
    return main(argv)


if __name__ == "__main__":
    sys.exit(main())
