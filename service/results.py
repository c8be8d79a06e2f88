"""Run a query job through the policy and the executor; turn outcomes into responses."""

from __future__ import annotations

from flask import Response

from kg.executor import QueryBusy
from kg.executor import QueryTimeout as ExecutorTimeout
from kg.sparql import QueryFailure, QueryJob, QueryOutcome
from service import errors
from service.negotiation import MEDIA_TYPES
from service.state import AppState, state

_FAILURES: dict[str, tuple[type[errors.ApiError], str]] = {
    "syntax": (errors.BadRequest, "SPARQL syntax error: "),
    "update": (errors.Forbidden, ""),
    "not_acceptable": (errors.NotAcceptable, ""),
    "evaluation": (errors.BadRequest, "Query evaluation failed: "),
    "engine": (errors.ApiError, "Query evaluation failed: "),
    "upstream": (errors.BadGateway, ""),
    "upstream_timeout": (errors.GatewayTimeout, ""),
}


def run(job: QueryJob, st: AppState | None = None) -> QueryOutcome:
    """Check SERVICE policy, then evaluate within the time limit; ApiError on failure.

    ``st`` defaults to the current app's state (the fast lane passes it: no app context).
    """
    st = st or state()
    st.policy.check(job.text)
    try:
        return st.executor.run(job, st.timeout)
    except QueryBusy as exc:
        error = errors.ServiceBusy(
            f"Every query process of this server stayed busy for the time limit of "
            f"{exc.seconds:g} s, so the query was not run. Try again shortly."
        )
        error.headers["Retry-After"] = "1"
        raise error from None
    except ExecutorTimeout as exc:
        raise errors.QueryTimeout(
            f"The query ran longer than the time limit of {exc.seconds:g} s and was stopped. "
            "Narrow the pattern or add a LIMIT."
        ) from None
    except QueryFailure as exc:
        cls, lead = _FAILURES.get(exc.kind, _FAILURES["engine"])
        raise cls(lead + exc.message) from None


def data_response(outcome: QueryOutcome) -> Response:
    """A serialised result with its media type and the legkg result headers."""
    media = MEDIA_TYPES[outcome.format]
    if media.startswith("text/"):
        media += "; charset=utf-8"
    response = Response(outcome.body, 200, content_type=media)
    add_result_headers(response, outcome)
    return response


def add_result_headers(response: Response, outcome: QueryOutcome) -> None:
    """Vary, row count, truncation flag and time taken."""
    headers = response.headers
    headers["Vary"] = "Accept"
    headers["X-Legkg-Row-Count"] = str(outcome.count)
    headers["X-Legkg-Truncated"] = "true" if outcome.truncated else "false"
    headers["X-Legkg-Time-Ms"] = f"{outcome.elapsed_ms:.1f}"
