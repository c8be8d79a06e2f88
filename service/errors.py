"""One error shape for every API error, and the one place that renders it.

``ApiError(status, title, detail)`` is raised anywhere; ``register(app)`` installs a
handler that renders it as JSON (``{"error": {"status", "title", "detail"}}``), plain
text or, for browsers, an HTML page. HTTP exceptions from Werkzeug (404, 405, 413)
are mapped into the same shape; any other exception is a server fault: logged with
its traceback, answered with a generic 500 that never shows it.
"""

from __future__ import annotations

import json

from flask import Flask, Response, current_app, render_template, request
from werkzeug.exceptions import HTTPException

from kg.store import StoreError


class ApiError(Exception):
    """An error answered to the client: HTTP ``status``, short ``title``, readable ``detail``."""

    status = 500
    title = "Internal Server Error"

    def __init__(self, detail: str, status: int | None = None, title: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if status is not None:
            self.status = status
        if title is not None:
            self.title = title
        self.headers: dict[str, str] = {}


class BadRequest(ApiError):
    status, title = 400, "Bad Request"


class Forbidden(ApiError):
    status, title = 403, "Forbidden"


class NotFound(ApiError):
    status, title = 404, "Not Found"


class NotAcceptable(ApiError):
    status, title = 406, "Not Acceptable"


class PayloadTooLarge(ApiError):
    status, title = 413, "Payload Too Large"


class UriTooLong(ApiError):
    status, title = 414, "URI Too Long"


class UnsupportedMediaType(ApiError):
    status, title = 415, "Unsupported Media Type"


class QueryTimeout(ApiError):
    status, title = 503, "Query Timeout"


class ServiceBusy(ApiError):
    """No query process came free in time: the query never started."""

    status, title = 503, "Service Unavailable"


class BadGateway(ApiError):
    """The remote triple store failed or is unreachable."""

    status, title = 502, "Bad Gateway"


class GatewayTimeout(ApiError):
    """The remote triple store did not answer within the time limit."""

    status, title = 504, "Gateway Timeout"


def from_store_error(exc: StoreError) -> ApiError:
    """A store failure outside the executor (browse pages query the store directly)."""
    if exc.kind == "upstream_timeout":
        return GatewayTimeout(exc.message)
    if exc.kind == "upstream":
        return BadGateway(exc.message)
    return ApiError(exc.message)


def from_http_exception(exc: HTTPException) -> ApiError:
    """Werkzeug's own errors (routing, 405, 413) in our shape, keeping Allow headers."""
    detail = {
        404: "There is no page at this address.",
        405: f"The method {request.method} is not allowed here.",
        413: "The request body is larger than this server accepts.",
    }.get(exc.code or 500, exc.description or "")
    error = ApiError(detail, status=exc.code or 500, title=exc.name)
    allow = exc.get_headers() if exc.code == 405 else []
    error.headers = {k: v for k, v in allow if k.lower() == "allow"}
    return error


def render(error: ApiError) -> Response:
    """The error as JSON, plain text or HTML, by the request's Accept header."""
    body = {"status": error.status, "title": error.title, "detail": error.detail}
    kind = _error_format()
    if kind == "html":
        html = render_template("error.html", error=body)
        response = Response(html, error.status, mimetype="text/html")
    elif kind == "text":
        text = f"{error.status} {error.title}: {error.detail}\n"
        response = Response(text, error.status, mimetype="text/plain")
    else:
        payload = json.dumps({"error": body}, ensure_ascii=False)
        response = Response(payload, error.status, mimetype="application/json")
    response.headers.update(error.headers)
    response.headers["Vary"] = "Accept"
    return response


def _error_format() -> str:
    accept = request.accept_mimetypes
    if not request.headers.get("Accept"):
        return "json"
    best = accept.best_match(["application/json", "text/html", "text/plain"])
    if best:
        return {"application/json": "json", "text/html": "html", "text/plain": "text"}[best]
    return "json" if any("json" in value for value, _ in accept) else "text"


def register(app: Flask) -> None:
    """Install the one handler for ApiError, HTTP exceptions and unexpected faults."""

    @app.errorhandler(ApiError)
    def _api(error: ApiError) -> Response:
        return render(error)

    @app.errorhandler(StoreError)
    def _store(exc: StoreError) -> Response:
        return render(from_store_error(exc))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        return render(from_http_exception(exc))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        current_app.logger.exception("unexpected error on %s %s", request.method, request.path)
        return render(ApiError("The server failed to answer this request; it has been logged."))
