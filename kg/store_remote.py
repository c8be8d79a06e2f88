"""A remote SPARQL 1.1 store behind the same facade (``serve --store sparql+http://...``).

Queries go over HTTP (SPARQL 1.1 Protocol, form POST) with the protocol dataset
(``default-graph-uri``/``named-graph-uri``); answers are parsed by pyoxigraph into the
facade's ``Result`` and terms, so pages, named queries and ``/sparql`` work unchanged.

Every request has one deadline (the query time limit, a little under it): the socket
timeout is the time left, re-checked after each read, so a slow or dead store becomes a
``StoreError`` of kind ``upstream_timeout`` (504) or ``upstream`` (502) in time instead
of a hung worker. Loading uses SPARQL Update on the update endpoint, with credentials
from ``$LEGKG_STORE_USER``/``$LEGKG_STORE_PASSWORD`` (HTTP basic, update endpoint only).
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import re
import time
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from itertools import islice
from typing import Any

import pyoxigraph as ox

from kg.store import _NOT_KEYWORDS, Result, StoreError, Term

RESULTS_JSON = "application/sparql-results+json"
GRAPH_ACCEPT = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8"
_BNODE_UNSAFE = re.compile(r"[^A-Za-z0-9_]")
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_RDF_MEDIA = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/ntriples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
# the share of the time limit the remote store gets: the rest is for our own work, so
# the answer is a 504 from us rather than the executor's kill at the full limit
DEADLINE_SHARE = 0.9


class SparqlStore:
    """A SPARQL 1.1 endpoint (Virtuoso, Fuseki, GraphDB, QLever...), read over HTTP."""

    engine = "sparql"

    def __init__(
        self,
        endpoint: str,
        update_endpoint: str | None = None,
        timeout: float = 10.0,
        credentials: tuple[str, str] | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint
        self.timeout = timeout
        self._auth = _basic_auth(credentials)

    @classmethod
    def from_env(
        cls, endpoint: str, timeout: float = 10.0, update_endpoint: str | None = None
    ) -> SparqlStore:
        """Store with the update endpoint and credentials from the environment."""
        user = os.environ.get("LEGKG_STORE_USER")
        password = os.environ.get("LEGKG_STORE_PASSWORD", "")
        update = update_endpoint or os.environ.get("LEGKG_UPDATE_ENDPOINT") or None
        return cls(endpoint, update, timeout, (user, password) if user else None)

    # -------------------------------------------------------------------- reading
    def query(
        self,
        text: str,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        bindings: Mapping[str, Term] | None = None,
    ) -> Result:
        if bindings:
            text = _bind(text, bindings)
        form = query_form(text)
        fields = [("query", text)]
        fields += [("default-graph-uri", g) for g in default_graph_uris or ()]
        fields += [("named-graph-uri", g) for g in named_graph_uris or ()]
        graph = form in ("CONSTRUCT", "DESCRIBE")
        media, body = self._post(self.endpoint, fields, GRAPH_ACCEPT if graph else RESULTS_JSON)
        try:
            return _graph_result(media, body) if graph else _solutions_result(body)
        except (SyntaxError, ValueError, KeyError, TypeError) as exc:
            message = f"unreadable answer from the remote store: {exc}"
            raise StoreError("upstream", message) from None

    def graph_names(self) -> list[str]:
        result = self.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return sorted(row[0].value for row in result.rows or () if row[0] is not None)

    # -------------------------------------------------------------------- loading
    def update(self, text: str) -> None:
        """Run one SPARQL Update on the update endpoint (StoreError if refused)."""
        if not self.update_endpoint:
            raise StoreError("upstream", "no update endpoint configured (--update-endpoint)")
        self._post(self.update_endpoint, [("update", text)], "*/*")

    def replace_graph(self, graph: str, triples: Iterable[ox.Triple], batch: int = 2000) -> int:
        """Load ``triples`` into ``graph``: into a scratch graph first, then ``MOVE`` over
        the old one, so readers never see a half-loaded graph. Returns the triple count."""
        scratch = f"{graph}.legkg-loading"
        self.update(f"DROP SILENT GRAPH <{scratch}>")
        count, items = 0, iter(triples)
        while chunk := list(islice(items, batch)):
            lines = " .\n".join(str(t) for t in chunk)
            self.update(f"INSERT DATA {{ GRAPH <{scratch}> {{\n{lines} .\n}} }}")
            count += len(chunk)
        self.update(f"MOVE SILENT GRAPH <{scratch}> TO GRAPH <{graph}>")
        return count

    # -------------------------------------------------------------------- HTTP
    def _post(self, url: str, fields: list[tuple[str, str]], accept: str) -> tuple[str, bytes]:
        deadline = time.monotonic() + self.timeout * DEADLINE_SHARE
        parts = urllib.parse.urlsplit(url)
        cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        conn = cls(parts.netloc, timeout=_left(deadline))
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        if self._auth and url == self.update_endpoint:
            headers["Authorization"] = self._auth
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            conn.request("POST", path or "/", urllib.parse.urlencode(fields), headers)
            conn.sock.settimeout(_left(deadline))
            resp = conn.getresponse()
            body = _read_until(conn, resp, deadline)
        except TimeoutError:
            raise self._timed_out() from None
        except (OSError, http.client.HTTPException) as exc:
            raise StoreError("upstream", f"the remote store at {url} failed: {exc}") from None
        finally:
            conn.close()
        if resp.status >= 300:
            raise _http_error(resp.status, body)
        return resp.headers.get_content_type(), body

    def _timed_out(self) -> StoreError:
        return StoreError(
            "upstream_timeout",
            f"the remote store did not answer within the time limit of {self.timeout:g} s",
        )


def _basic_auth(creds: tuple[str, str] | None) -> str | None:
    if creds is None:
        return None
    token = base64.b64encode(f"{creds[0]}:{creds[1]}".encode()).decode()
    return f"Basic {token}"


def _left(deadline: float) -> float:
    """Seconds left before ``deadline``; TimeoutError when none."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _read_until(conn: http.client.HTTPConnection, resp: Any, deadline: float) -> bytes:
    """The whole body; each read waits only for the time left (a trickling store)."""
    chunks = []
    while True:
        if conn.sock is not None:
            conn.sock.settimeout(_left(deadline))
        chunk = resp.read1(65536) if hasattr(resp, "read1") else resp.read(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _http_error(status: int, body: bytes) -> StoreError:
    detail = " ".join(body[:2000].decode("utf-8", "replace").split())[:500]
    if status in (408, 504):
        return StoreError("upstream_timeout", f"the remote store timed out: {detail}")
    if 400 <= status < 500 and status not in (401, 403, 404, 407):
        return StoreError("syntax", f"the remote store refused the query: {detail}")
    return StoreError("upstream", f"the remote store answered HTTP {status}: {detail}")


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first form keyword outside strings/IRIs."""
    match = _FORM.search(_NOT_KEYWORDS.sub(" ", text))
    return match.group(1).upper() if match else "SELECT"


def _bind(text: str, bindings: Mapping[str, Term]) -> str:
    """Parameters as a VALUES row opening the WHERE group (terms written by pyoxigraph)."""
    from kg.queries import where_group_start
    from kg.sparql import inject_values

    at = where_group_start(text)
    if at is None:
        raise StoreError("evaluation", "cannot bind parameters: no WHERE group found")
    return inject_values(text, at, dict(bindings))


def _solutions_result(body: bytes) -> Result:
    """SPARQL JSON results, read leniently: ``typed-literal`` bindings, Virtuoso's
    ``nodeID://`` blank nodes and its ASK answered as one ``__ASK_RETVAL`` row."""
    doc = json.loads(body)
    if "boolean" in doc:
        return Result("boolean", [], boolean=bool(doc["boolean"]))
    names = list(doc.get("head", {}).get("vars", []))
    bindings = doc.get("results", {}).get("bindings", [])
    if names == ["__ASK_RETVAL"]:
        value = bindings[0]["__ASK_RETVAL"]["value"] if bindings else "0"
        return Result("boolean", [], boolean=value in ("1", "true"))
    rows = [[_term(b[n]) if n in b else None for n in names] for b in bindings]
    return Result("solutions", names, rows=iter(rows))


def _term(value: dict[str, Any]) -> Term:
    kind = value.get("type")
    if kind == "uri":
        return ox.NamedNode(value["value"])
    if kind == "bnode":
        return ox.BlankNode(_BNODE_UNSAFE.sub("_", value["value"].removeprefix("nodeID://")))
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return ox.Literal(value["value"], language=value["xml:lang"])
        datatype = value.get("datatype")
        return ox.Literal(value["value"], datatype=ox.NamedNode(datatype) if datatype else None)
    if kind == "triple":
        inner = value["value"]
        return ox.Triple(*(_term(inner[k]) for k in ("subject", "predicate", "object")))
    raise ValueError(f"unknown term type {kind!r}")


def _graph_result(media: str, body: bytes) -> Result:
    fmt = _RDF_MEDIA.get(media)
    if fmt is None:
        raise ValueError(f"unexpected media type {media} for a graph result")
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)]
    return Result("graph", [], triples=iter(triples))
