"""The hot path of ``/sparql``: a plain GET query answered without Flask's machinery.

Flask's request context, routing and response objects cost about as much as a small
query itself. ``FastLane`` wraps the app's WSGI callable and takes only ``GET /sparql``
whose parameters are ``query`` (once) and at most one ``format``; the route's own
``plan`` function builds the job exactly as the route would, and the job goes through
the same ``service.results.run`` (SERVICE policy, killable executor, time limit, row
cap). A data result is answered here with the headers ``data_response`` sets. Anything
else (an error, an HTML page) is handed on to Flask with the outcome or the exception
already in the environ, so the query never runs twice and every error is rendered in
one place. Every other request goes to Flask untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from flask import Flask

from kg.sparql import ROWS, QueryJob, QueryOutcome
from service.negotiation import MEDIA_TYPES
from service.results import run

PRECOMPUTED = "legkg.precomputed"  # environ key: a QueryOutcome or an exception
JOB_CACHE_SIZE = 512
JOB_CACHE_MAX_KEY = 4096  # longer query strings are planned each time (bounds the memory)
_UNSEEN = object()

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Plan = Callable[[list[tuple[str, str]], str | None, Any], QueryJob | None]

_CONTENT_TYPES = {
    fmt: media + "; charset=utf-8" if media.startswith("text/") else media
    for fmt, media in MEDIA_TYPES.items()
}


class FastLane:
    """WSGI middleware answering plain ``GET /sparql?query=`` requests directly."""

    def __init__(self, app: Flask, inner: WSGIApp, plan: Plan) -> None:
        self.app = app
        self.inner = inner
        self.plan = plan
        # the same few queries arrive again and again (pages, clients polling): keep
        # their planned jobs, keyed by the raw query string and Accept header
        self._jobs: dict[tuple[str, str | None], QueryJob | None] = {}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        job = self._job(environ)
        if job is None:
            return self.inner(environ, start_response)
        outcome = self._run(job)
        if isinstance(outcome, QueryOutcome) and outcome.format != ROWS:
            start_response("200 OK", result_headers(outcome))
            return [outcome.body]
        environ[PRECOMPUTED] = outcome
        return self.inner(environ, start_response)

    def _job(self, environ: dict[str, Any]) -> QueryJob | None:
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") != "/sparql":
            return None
        key = (environ.get("QUERY_STRING", ""), environ.get("HTTP_ACCEPT"))
        if len(key[0]) > self.app.config["MAX_URL_LENGTH"]:
            return None  # Flask answers it, with the limit's error
        cached = self._jobs.get(key, _UNSEEN)  # one lookup: another thread may clear()
        if cached is not _UNSEEN:
            return cached  # type: ignore[return-value]
        try:  # as werkzeug's ``request.args`` does it
            raw = key[0].encode("latin1").decode()
            params = parse_qsl(raw, keep_blank_values=True, errors="werkzeug.url_quote")
        except (UnicodeError, ValueError):
            return None
        job = self.plan(params, key[1], self.app.extensions["legkg"])
        if len(key[0]) <= JOB_CACHE_MAX_KEY:
            if len(self._jobs) >= JOB_CACHE_SIZE:
                self._jobs.clear()  # cheap bound; the hot entries come straight back
            self._jobs[key] = job
        return job

    def _run(self, job: QueryJob) -> QueryOutcome | Exception:
        try:  # the policy and the executor need no app context
            return run(job, self.app.extensions["legkg"])
        except Exception as exc:  # rendered by Flask's error handlers
            return exc


def result_headers(outcome: QueryOutcome) -> list[tuple[str, str]]:
    """The headers of ``service.results.data_response`` for a serialised outcome."""
    return [
        ("Content-Type", _CONTENT_TYPES[outcome.format]),
        ("Content-Length", str(len(outcome.body))),
        ("Vary", "Accept"),
        ("X-Legkg-Row-Count", str(outcome.count)),
        ("X-Legkg-Truncated", "true" if outcome.truncated else "false"),
        ("X-Legkg-Time-Ms", f"{outcome.elapsed_ms:.1f}"),
    ]
