"""legkg web service: the SPARQL endpoint, query page and named queries.

Route table (one blueprint per area):

    GET, POST  /sparql                  SPARQL 1.1 Protocol; query page; service description
    GET        /queries                 named queries (HTML or JSON)
    GET        /queries/<name>[.json|.csv|...]  run one, parameters as ?NAME=value
    GET        /explore[.json]          symptom explorer (service/explore.py)
    GET        /healthz                 liveness
    GET        /static/<file>           local CSS/JS (no internet needed)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app, redirect, request, url_for

from kg.executor import make_executor
from kg.index_snapshot import serving_source
from kg.namespaces import PREFIXES
from kg.queries import load_registry
from kg.store import open_store
from service import errors
from service.federation import ServicePolicy
from service.state import AppState
from service.views import register_template_helpers

ROOT = Path(__file__).resolve().parent.parent
DEFAULTS: dict[str, Any] = {
    "STORE_ENGINE": None,  # oxigraph | rdflib; None: $LEGKG_STORE_ENGINE or oxigraph
    "TRIG_PATH": None,  # built-in dataset; None: kg.build.ensure_built()
    "DATA_FILES": [],  # general mode (serve --data): these files instead
    "STORE": None,  # serve --store: an on-disk store folder or sparql+http(s)://... endpoint
    "UPDATE_ENDPOINT": None,  # remote store only: SPARQL Update endpoint (loading)
    "QUERY_TIMEOUT": 10.0,
    "MAX_ROWS": 10_000,
    "ALLOW_SERVICE": [],
    "EXECUTOR": "process",  # process (killable) | inline (unit tests only)
    "QUERY_PROCESSES": 2,  # killable query processes per serving process
    "INLINE_BELOW_MS": 5.0,  # a query that answered this fast runs in the worker after (0: never)
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    "MAX_URL_LENGTH": 32 * 1024,  # query string, bytes; longer queries go in a POST body
    "QUERIES_DIR": str(ROOT / "queries"),
}


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; the store is loaded here, once per process, read-only."""
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    app.config.from_prefixed_env("LEGKG")
    if test_config:
        app.config.update(test_config)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["legkg"] = _build_state(app.config)
    errors.register(app)
    app.before_request(_limit_url_length)
    register_template_helpers(app)

    from service import browse, explore, health, mappings, named, sparql

    for module in (sparql, named, health, browse, explore, mappings):
        app.register_blueprint(module.bp)
    app.add_url_rule("/", "home", lambda: redirect(url_for("sparql.endpoint")))
    return app


def _limit_url_length() -> None:
    limit = current_app.config["MAX_URL_LENGTH"]
    if len(request.query_string) > limit:
        raise errors.UriTooLong(
            f"The query string is longer than {limit} bytes; send long queries with POST."
        )


def _build_state(config: Any) -> AppState:
    data = [str(p) for p in config["DATA_FILES"]]
    store = open_store(
        config["STORE_ENGINE"],
        trig=config["TRIG_PATH"],
        data=data or None,
        location=config["STORE"],
        timeout=float(config["QUERY_TIMEOUT"]),
        update_endpoint=config["UPDATE_ENDPOINT"],
    )
    trig = None
    if not (data or config["STORE"]):  # built-in mode: open_store has built it if needed
        from kg.build import ensure_built

        trig = config["TRIG_PATH"] or ensure_built()
    queries_dir = Path(config["QUERIES_DIR"])
    named = load_registry(queries_dir)
    examples = {**load_registry(queries_dir / "examples"), **named}
    return AppState(
        store=store,
        executor=make_executor(
            config["EXECUTOR"],
            store,
            int(config["QUERY_PROCESSES"]),
            float(config["INLINE_BELOW_MS"]),
        ),
        named=named,
        examples=examples,
        policy=ServicePolicy(config["ALLOW_SERVICE"]),
        prefixes=dict(PREFIXES),
        builtin=not data,
        timeout=float(config["QUERY_TIMEOUT"]),
        max_rows=int(config["MAX_ROWS"]),
        snapshot=serving_source(store, trig),
    )
