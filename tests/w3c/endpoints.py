"""Ways to send a test's query: HTTP to ``/sparql``, or pyoxigraph in-process (reference)."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

ACCEPT = {
    "xml": "application/sparql-results+xml",
    "json": "application/sparql-results+json",
    "tsv": "text/tab-separated-values",
    "csv": "text/csv",
    "turtle": "text/turtle",
    "any": "application/sparql-results+json, text/turtle;q=0.9",
}


@dataclass(frozen=True)
class Request:
    """A query with its protocol dataset (None: no dataset parameters are sent)."""

    query: str
    accept: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    direct: bool = False  # POST application/sparql-query instead of a form


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes


class Endpoint(Protocol):
    def send(self, request: Request) -> Response: ...


class HttpEndpoint:
    """A running SPARQL 1.1 Protocol endpoint."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.url = url
        self.timeout = timeout

    def _dataset_params(self, request: Request) -> list[tuple[str, str]]:
        params = [("default-graph-uri", g) for g in request.default_graphs or ()]
        return params + [("named-graph-uri", g) for g in request.named_graphs or ()]

    def _build(self, request: Request) -> urllib.request.Request:
        params = self._dataset_params(request)
        headers = {"Accept": ACCEPT[request.accept]}
        if request.direct:
            url = self.url + ("?" + urllib.parse.urlencode(params) if params else "")
            headers["Content-Type"] = "application/sparql-query; charset=utf-8"
            return urllib.request.Request(url, request.query.encode(), headers, method="POST")
        body = urllib.parse.urlencode([("query", request.query), *params]).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return urllib.request.Request(self.url, body, headers, method="POST")

    def send(self, request: Request) -> Response:
        try:
            with urllib.request.urlopen(self._build(request), timeout=self.timeout) as reply:
                return Response(reply.status, reply.headers.get("Content-Type", ""), reply.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.headers.get("Content-Type", ""), error.read())


RESULT_FORMATS = {
    "xml": ox.QueryResultsFormat.XML,
    "json": ox.QueryResultsFormat.JSON,
    "tsv": ox.QueryResultsFormat.TSV,
    "csv": ox.QueryResultsFormat.CSV,
}


class OxigraphEndpoint:
    """pyoxigraph called directly over the same data: a reference to check the harness."""

    def __init__(self, nquads: Path) -> None:
        self.store = ox.Store()
        self.store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)

    def _dataset(self, request: Request) -> dict[str, object]:
        if request.default_graphs is None and request.named_graphs is None:
            return {}
        return {
            "default_graph": [ox.NamedNode(g) for g in request.default_graphs or ()],
            "named_graphs": [ox.NamedNode(g) for g in request.named_graphs or ()],
        }

    def send(self, request: Request) -> Response:
        try:
            results = self.store.query(request.query, **self._dataset(request))
        except SyntaxError as error:
            return Response(400, "text/plain", str(error).encode())
        except (OSError, RuntimeError, ValueError) as error:
            return Response(500, "text/plain", str(error).encode())
        if isinstance(results, ox.QueryTriples):
            body = results.serialize(format=ox.RdfFormat.TURTLE)
            return Response(200, ACCEPT["turtle"], body)
        accept = request.accept if request.accept in RESULT_FORMATS else "json"
        body = results.serialize(format=RESULT_FORMATS[accept])
        return Response(200, ACCEPT[accept], body)
