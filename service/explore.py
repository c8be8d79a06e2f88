"""Symptom explorer: ``/explore`` (HTML form and ranked causes) and ``/explore.json``.

Route table::

    GET /explore?finding=CURIE&finding=...       form (works without JavaScript) and results
    GET /explore.json?finding=CURIE&finding=...  the same as JSON, best cause first

The ranking, paths, advice and conflicts come from ``kg.explore`` (named queries in
``queries/explore/``); this module parses the findings, turns IRIs into CURIEs and links
(``service.urls``) and renders. One view model feeds both the page and the JSON.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from kg.explore import ARTICLE_ADVICE, NOTICE, Edge, Exploration, Explorer
from kg.queries import ParamError, expand_iri
from service import urls
from service.errors import ApiError, BadRequest
from service.state import state

bp = Blueprint("explore", __name__)

MAX_FINDINGS = 30
CACHE_KEY = "explore"
SCORING = (
    "Each selected finding weighs ln(N / n): N is the number of conditions in the graph, n the "
    "number of conditions that explain the finding, so rarer findings count more. A cause "
    "scores the weights of the findings it explains divided by the weights of all selected "
    "findings (0 to 1). Ties go to the cause explaining more findings, then alphabetical order."
)
EMPTY_MESSAGE = (
    "Pick one or more findings (what you feel, what makes it better or worse, when, where, "
    "and risk factors) to see which of the article's causes fit them."
)


@bp.record_once
def _load(setup: Any) -> None:
    """Precompute the explorer when the blueprint is registered; retried on first use."""
    app_state = setup.app.extensions["legkg"]
    try:
        app_state.cache[CACHE_KEY] = Explorer.load(app_state.index_store)
    except Exception:  # noqa: BLE001 - a dataset the queries cannot read; reported later
        setup.app.logger.warning("symptom explorer not built at start-up", exc_info=True)


def explorer() -> Explorer:
    cache = state().cache
    if CACHE_KEY not in cache:
        try:
            cache[CACHE_KEY] = Explorer.load(state().index_store)
        except Exception:  # noqa: BLE001
            current_app.logger.exception("symptom explorer unavailable")
            raise ApiError("The symptom explorer cannot read this dataset.", 503) from None
    return cache[CACHE_KEY]


@bp.route("/explore")
def page() -> str:
    ex = explorer()
    findings = parse_findings(ex, request.args.getlist("finding"))
    model = view_model(ex, findings)
    return render_template(
        "explore/explore.html",
        model=model,
        groups=_groups(ex, set(findings)),
        scoring=SCORING,
        json_url=_url("explore.as_json", findings),
    )


@bp.route("/explore.json")
def as_json() -> Response:
    ex = explorer()
    findings = parse_findings(ex, request.args.getlist("finding"))
    response = jsonify(view_model(ex, findings))
    response.headers["Link"] = (
        f'<{_url("explore.page", findings)}>; rel="alternate"; type="text/html"'
    )
    return response


def parse_findings(ex: Explorer, raw_values: list[str]) -> list[str]:
    """IRIs of the requested findings; BadRequest naming the first bad one."""
    if len(raw_values) > MAX_FINDINGS:
        raise BadRequest(f"too many findings ({len(raw_values)}); pick at most {MAX_FINDINGS}")
    iris = []
    for raw in raw_values:
        try:
            iri = expand_iri("finding", raw, state().prefixes)
        except ParamError:
            raise BadRequest(
                f"malformed finding {raw!r}: give a CURIE such as legkg:Numbness or an IRI"
            ) from None
        if ex.option(iri) is None:
            raise BadRequest(
                f"unknown finding {raw!r}: not one of the findings the explorer offers "
                "(see the form at /explore)"
            )
        iris.append(iri)
    return list(dict.fromkeys(iris))


# ---------------------------------------------------------------------- view model
def view_model(ex: Explorer, findings: list[str]) -> dict[str, Any]:
    """The explorer's answer with CURIEs, labels and links: the JSON shape and page data."""
    result = ex.explore(findings)
    model: dict[str, Any] = {
        "notice": NOTICE,
        "articleAdvice": {"quote": ARTICLE_ADVICE, "url": urls.source_url()},
        "scoring": SCORING,
        "findings": [_finding(ex, f, result) for f in result.findings],
        "causes": [_cause(ex, c) for c in result.causes],
        "conflicts": [_conflict(ex, c) for c in result.conflicts],
    }
    if not findings:
        model["message"] = EMPTY_MESSAGE
    elif not result.causes:
        model["message"] = "None of the article's causes explains these findings."
    return model


def _ref(ex: Explorer, iri: str) -> dict[str, Any]:
    return {"curie": urls.curie(iri) or iri, "label": ex.label(iri), "url": urls.entity_url(iri)}


def _finding(ex: Explorer, iri: str, result: Exploration) -> dict[str, Any]:
    option = ex.option(iri)
    return {
        **_ref(ex, iri),
        "group": option.group if option else None,
        "conditions": option.linked if option else 0,
        "weight": round(result.weights[iri], 4),
    }


def _cause(ex: Explorer, cause: Any) -> dict[str, Any]:
    return {
        **_ref(ex, cause.iri),
        "score": cause.score,
        "matched": [urls.curie(f) or f for f in cause.matched],
        "unmatched": [urls.curie(f) or f for f in cause.unmatched],
        "paths": [
            {
                "finding": urls.curie(p.finding) or p.finding,
                "edges": [_edge(ex, e) for e in p.edges],
            }
            for p in cause.paths
        ],
        "advice": [
            {
                "kind": a.kind,
                **_ref(ex, a.item),
                "for": _ref(ex, a.holder),
                "evidence": _edge(ex, a.edge)["evidence"],
            }
            for a in cause.advice
        ],
    }


def _edge(ex: Explorer, edge: Edge) -> dict[str, Any]:
    return {
        "subject": _ref(ex, edge.subject),
        "relation": {"curie": urls.curie(edge.relation), "label": ex.label(edge.relation)},
        "object": _ref(ex, edge.object),
        "how": edge.how,
        "rule": edge.rule or None,
        "why": edge.why or None,
        "evidence": [
            {
                "quote": e.quote,
                "section": e.section_label,
                "url": urls.browse_url("section", e.section, ""),
            }
            for e in edge.evidence
        ],
    }


def _conflict(ex: Explorer, conflict: Any) -> dict[str, Any]:
    item, helped, harmed = (ex.label(i) for i in (conflict.item, conflict.helped, conflict.harmed))
    return {
        "item": _ref(ex, conflict.item),
        "helps": _ref(ex, conflict.helped),
        "harms": _ref(ex, conflict.harmed),
        "message": f"The article advises {item} for {helped}, but says it worsens {harmed}.",
        "evidence": [_edge(ex, conflict.helps), _edge(ex, conflict.harms)],
    }


def _groups(ex: Explorer, selected: set[str]) -> list[dict[str, Any]]:
    return [
        {
            "key": g.key,
            "label": g.label,
            "options": [
                {
                    "curie": urls.curie(o.iri) or o.iri,
                    "label": o.label,
                    "checked": o.iri in selected,
                }
                for o in g.options
            ],
        }
        for g in ex.groups
    ]


def _url(endpoint: str, findings: list[str]) -> str:
    """``/explore`` or ``/explore.json`` for these findings (repeated ``finding`` args)."""
    return url_for(endpoint, finding=[urls.curie(f) or f for f in findings])
