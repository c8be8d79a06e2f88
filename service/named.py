"""``/queries``: the named queries from ``queries/*.rq``, listed and run with parameters."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from kg.queries import NamedQuery, ParamError
from kg.sparql import ROWS, QueryJob
from service import negotiation
from service.errors import BadRequest, NotFound
from service.results import data_response, run
from service.state import state
from service.urls import named_url

bp = Blueprint("named", __name__)


@bp.route("/queries")
def index() -> Response | str:
    named = state().named
    if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html":
        return render_template("queries.html", queries=named)
    response = jsonify(queries=[_describe(q) for q in named.values()])
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/queries/<name>", endpoint="run")
def run_named(name: str) -> Response | str:
    base, _, suffix = name.partition(".")
    query = state().named.get(base)
    if query is None:
        raise NotFound(f"there is no named query {base!r}; see /queries for the list")
    formats = _formats(suffix)
    values = {k: v for k, v in request.args.items() if k != "format"}
    try:
        bindings = query.bind(values, state().prefixes)
    except ParamError as exc:
        raise BadRequest(str(exc)) from None
    sol, graph = formats
    job = QueryJob(
        text=query.text,
        bindings=bindings,
        values_at=query.values_at,
        solutions_format=ROWS if sol == negotiation.HTML else sol,
        graph_format=ROWS if graph == negotiation.HTML else graph,
        max_rows=state().max_rows,
        prefixes=state().prefixes,
    )
    outcome = run(job)
    if outcome.format == ROWS:
        shown = {p.name: values.get(p.name, p.default or "") for p in query.params}
        return render_template("named_query.html", q=query, values=shown, outcome=outcome)
    return data_response(outcome)


def _formats(suffix: str) -> tuple[str | None, str | None]:
    if suffix:
        fmt = negotiation.FILE_SUFFIXES.get(suffix)
        if fmt is None:
            raise NotFound(f"unknown format suffix .{suffix}")
        return negotiation.from_param(fmt)
    if request.args.get("format"):
        return negotiation.from_param(request.args["format"])
    present = bool(request.headers.get("Accept"))
    if present and negotiation.wants_html(request.accept_mimetypes):
        return negotiation.HTML, negotiation.HTML
    return negotiation.from_accept(request.accept_mimetypes, present)


def _describe(query: NamedQuery) -> dict:
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "kind": query.kind,
        "url": named_url(query.name),
        "params": [
            {"name": p.name, "type": p.type, "default": p.default, "description": p.description}
            for p in query.params
        ],
    }
