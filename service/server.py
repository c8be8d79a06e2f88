"""``legkg serve``: run the service under Granian (a Rust HTTP server, WSGI) in the foreground.

The app (and the store) is created once in the server process and shared copy-on-write
by the forked workers; each worker forks its killable query processes before it serves.
SIGTERM stops the server gracefully and ``main`` returns 0.

    python -m service.server --data a.ttl --data b.trig --port 8001
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import socket
import sys
from collections.abc import Callable
from typing import Any

from granian import Granian
from granian.constants import HTTPModes, Interfaces
from granian.http import HTTP1Settings
from granian.log import LogLevels


def positive(text: str) -> int:
    """An argparse type: an integer of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="legkg serve", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (8000)")
    cores = os.cpu_count() or 1
    parser.add_argument("--workers", type=positive, default=cores, help="one per core")
    parser.add_argument(
        "--threads",
        type=positive,
        default=4,
        help="request threads per worker: pages are served while queries run (4)",
    )
    parser.add_argument(
        "--query-processes",
        type=positive,
        default=2,
        metavar="N",
        help="killable query processes per worker: SPARQL queries it runs at once (2)",
    )
    parser.add_argument(
        "--inline-below-ms",
        type=float,
        default=5.0,
        metavar="MS",
        help="run a query in the worker once it has answered within MS in a query process "
        "(5; 0: always in a query process)",
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
        "QUERY_PROCESSES": args.query_processes,
        "INLINE_BELOW_MS": args.inline_below_ms,
        "MAX_ROWS": args.max_rows,
        "ALLOW_SERVICE": args.allow_service,
        "STORE_ENGINE": args.engine,
    }
    if args.queries_dir:
        config["QUERIES_DIR"] = args.queries_dir
    return config


# request line + headers, bytes: a transport guard above the app's MAX_URL_LENGTH (32 KiB),
# so an over-long query string still gets the app's 414 in the one error shape (the HTTP
# parser itself refuses request targets over 64 KiB with a bare 414)
REQUEST_HEAD_LIMIT = 96 * 1024


def granian_options(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments of ``granian.Granian`` for ``legkg serve`` (and the benchmarks)."""
    return {
        "target": "legkg",  # a label only: the app comes from the loader in ``run``
        "address": args.host,
        "port": args.port,
        "interface": Interfaces.WSGI,
        "workers": args.workers,
        # threads: a worker keeps serving pages while its threads wait on query processes
        "blocking_threads": args.threads,
        "blocking_threads_idle_timeout": 600,
        "http": HTTPModes.http1,
        "websockets": False,
        "http1_settings": HTTP1Settings(max_buffer_size=REQUEST_HEAD_LIMIT),
        "respawn_failed_workers": True,  # a killed worker is replaced, the server stays up
        "respawn_interval": 0.5,
        "workers_kill_timeout": 5,
        "log_level": LogLevels.warning,
        "log_access": False,
    }


def run(app: Any, args: argparse.Namespace, prefork: Callable[[], None] | None = None) -> int:
    """Serve a loaded WSGI ``app`` under Granian with legkg's settings until SIGTERM/SIGINT;
    the exit status (0 after a graceful stop).

    ``prefork`` runs in each forked worker before it serves (and before it has request
    threads). The benchmark baselines are served through here too, so all three servers
    differ only in their app.
    """
    # the preloaded heap is shared copy-on-write by the forked workers and their query
    # processes: freezing it keeps the collector from walking (and copying) it per request
    gc.collect()
    gc.freeze()
    # workers must be forked (they inherit the loaded app); Python 3.14 defaults to forkserver
    multiprocessing.set_start_method("fork", force=True)

    def load() -> Any:
        if prefork is not None:
            prefork()
        return app

    try:
        Granian(**granian_options(args)).serve(target_loader=load, wrap_loader=False)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    except (OSError, RuntimeError) as exc:  # the server failed to start (e.g. lost the port)
        print(f"legkg serve: the server stopped: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse options, load the data, serve until SIGTERM/SIGINT; the exit status."""
    args = build_parser().parse_args(argv)
    from service import create_app

    problem = _cannot_listen(args.host, args.port)  # before the (slow) data load
    if problem:
        print(f"legkg serve: cannot listen on {args.host}:{args.port}: {problem}", file=sys.stderr)
        return 2
    try:
        app = create_app(app_config(args))
    except Exception as exc:  # a missing/invalid file or a failed build: report, no traceback
        print(f"legkg serve: cannot load the data: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    print(
        f"legkg serving http://{args.host}:{args.port}/sparql ({args.workers} workers)",
        file=sys.stderr,
    )
    # each worker forks its query processes before serving, never mid-request
    prefork = getattr(app.extensions["legkg"].executor, "start", None)
    return run(app, args, prefork)


def _cannot_listen(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be bound (in use, no such address...), or None."""
    try:
        with socket.create_server((host, port)):
            return None
    except OSError as exc:
        return exc.strerror or str(exc)


def serve(argv: list[str] | None = None) -> int:
    """Alias of ``main`` for callers that prefer the verb."""
    return main(argv)


if __name__ == "__main__":
    sys.exit(main())
