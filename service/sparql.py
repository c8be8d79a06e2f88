"""``/sparql``: the SPARQL 1.1 Protocol (query operation), the query page and the
service description."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, url_for
from flask.blueprints import BlueprintSetupState

from kg.sparql import ROWS, QueryJob, QueryOutcome
from service import fastlane, negotiation
from service.description import dataset_stats, service_description
from service.errors import ApiError, BadRequest, Forbidden, UnsupportedMediaType
from service.results import data_response, run
from service.state import AppState, state

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"


@dataclass
class ProtocolRequest:
    query: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    formats: tuple[str | None, str | None]


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response | str:
    req = parse_request()
    if req.query is None:
        if request.method == "GET" and negotiation.header_wants_html(request.headers.get("Accept")):
            return query_page(None, None)
        return description()
    job = make_job(req, state())
    outcome = _outcome(job)
    if outcome.format == ROWS:
        return query_page(req.query, outcome)
    return data_response(outcome)


def make_job(req: ProtocolRequest, st: AppState) -> QueryJob:
    """The job for a validated protocol request that has a query."""
    html = negotiation.HTML
    sol, graph = req.formats
    return QueryJob(
        text=req.query or "",
        default_graphs=req.default_graphs,
        named_graphs=req.named_graphs,
        solutions_format=ROWS if sol == html else sol,
        graph_format=ROWS if graph == html else graph,
        max_rows=st.max_rows,
        prefixes=st.prefixes,
    )


def _outcome(job: QueryJob) -> QueryOutcome:
    """The outcome the fast lane computed for this request (or its error), else run now."""
    found = request.environ.pop(fastlane.PRECOMPUTED, None)
    if found is None:
        return run(job)
    if isinstance(found, BaseException):
        raise found
    return found


def parse_request() -> ProtocolRequest:
    """Validate a protocol request (GET, form POST or direct POST); ApiError if bad."""
    params = request.args
    body_query: list[str] = []
    if request.method == "POST":
        mimetype = request.mimetype
        _check_charset()
        if mimetype == UPDATE:
            raise Forbidden("this endpoint is read-only: SPARQL Update is refused")
        if mimetype == FORM:
            params = request.values  # URL and body parameters together
        elif mimetype == QUERY:
            body_query = [_utf8_body()]
        elif not mimetype:
            raise UnsupportedMediaType(f"a POST needs a Content-Type: {FORM} or {QUERY}")
        else:
            raise UnsupportedMediaType(
                f"Content-Type {mimetype} is not accepted; use {FORM} or {QUERY}"
            )
    if "update" in params:
        raise Forbidden("this endpoint is read-only: the update parameter is refused")
    queries = params.getlist("query") + body_query
    if len(queries) > 1:
        raise BadRequest("the request has more than one query; send exactly one")
    return ProtocolRequest(
        query=queries[0] if queries else None,
        default_graphs=_graph_iris("default-graph-uri", params.getlist("default-graph-uri")),
        named_graphs=_graph_iris("named-graph-uri", params.getlist("named-graph-uri")),
        formats=_formats(params.get("format")),
    )


def _check_charset() -> None:
    charset = request.mimetype_params.get("charset")
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"charset {charset} is not supported; send UTF-8")


def _utf8_body() -> str:
    try:
        return request.get_data(cache=False).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"the query is not valid UTF-8 (byte {exc.start})") from None


def _graph_iris(name: str, values: list[str]) -> tuple[str, ...]:
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError:
            raise BadRequest(f"{name} {value!r} is not an absolute IRI") from None
    return tuple(values)


def _formats(param: str | None) -> tuple[str | None, str | None]:
    return negotiation.choose(param, request.headers.get("Accept"))


def description() -> Response:
    """Service Description + VoID (Turtle); the statistics are computed once."""
    st = state()
    if "stats" not in st.cache:
        st.cache["stats"] = dataset_stats(st.store)
    endpoint_iri = url_for("sparql.endpoint", _external=True)
    body = service_description(endpoint_iri, st.cache["stats"], st.builtin)
    response = Response(body, 200, content_type="text/turtle; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response


def query_page(query: str | None, outcome: QueryOutcome | None) -> str:
    """The HTML query page, with results when a query was run."""
    st = state()
    example = request.args.get("example")
    if query is None:
        chosen = st.examples.get(example or "")
        query = chosen.text if chosen else default_query(st.prefixes)
    return render_template(
        "query.html",
        query=query,
        outcome=outcome,
        examples=st.examples,
        selected=example,
        max_rows=st.max_rows,
    )


def default_query(prefixes: dict[str, str]) -> str:
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in prefixes.items()]
    lines += ["", "SELECT ?s ?p ?o WHERE {", "  ?s ?p ?o", "} LIMIT 25", ""]
    return "\n".join(lines)


@bp.record_once
def _install_fast_lane(setup: BlueprintSetupState) -> None:
    """Put the fast lane in front of the app that registers this blueprint."""
    app = setup.app
    app.wsgi_app = fastlane.FastLane(app, app.wsgi_app, plan)  # type: ignore[method-assign]


def plan(params: list[tuple[str, str]], accept: str | None, st: AppState) -> QueryJob | None:
    """The job for a plain GET (``query`` once, ``format`` at most once), else None."""
    keys = [key for key, _ in params]
    if keys.count("query") != 1 or keys.count("format") > 1 or len(keys) > 2:
        return None
    if len(keys) == 2 and "format" not in keys:
        return None
    values = dict(params)
    try:
        formats = negotiation.choose(values.get("format"), accept)
    except ApiError:
        return None  # Flask answers it, with the same error
    return make_job(ProtocolRequest(values["query"], (), (), formats), st)
