"""Tables of media types <-> result formats, and the choice of format for a request.

A request gets two choices, one per result kind, because the kind is known only
after evaluation: ``(solutions_format, graph_format)``, either ``None`` (406 later)
or ``"html"`` for browsers.
"""

from __future__ import annotations

import functools

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from service.errors import BadRequest

HTML = "html"
SOLUTION_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
MEDIA_TYPES = {**SOLUTION_TYPES, **GRAPH_TYPES, HTML: "text/html"}
FILE_SUFFIXES = {
    "json": "json",
    "xml": "xml",
    "csv": "csv",
    "tsv": "tsv",
    "ttl": "turtle",
    "nt": "ntriples",
    "rdf": "rdfxml",
    "jsonld": "jsonld",
}

# Accept candidates in preference order: the first is the default for */*.
_SOLUTION_ACCEPT = [
    *((t, f) for f, t in SOLUTION_TYPES.items()),
    ("application/json", "json"),
    ("application/xml", "xml"),
    ("text/xml", "xml"),
    ("text/html", HTML),
    ("application/xhtml+xml", HTML),
]
_GRAPH_ACCEPT = [
    *((t, f) for f, t in GRAPH_TYPES.items()),
    ("application/x-turtle", "turtle"),
    ("text/plain", "ntriples"),
    ("application/xml", "rdfxml"),
    ("text/xml", "rdfxml"),
    ("application/json", "jsonld"),
    ("text/html", HTML),
    ("application/xhtml+xml", HTML),
]
# ``format=`` parameter values: (solutions format, graph format).
_FORMAT_PARAM = {
    "json": ("json", "jsonld"),
    "xml": ("xml", "rdfxml"),
    "csv": ("csv", None),
    "tsv": ("tsv", None),
    "turtle": (None, "turtle"),
    "ttl": (None, "turtle"),
    "ntriples": (None, "ntriples"),
    "nt": (None, "ntriples"),
    "rdfxml": (None, "rdfxml"),
    "rdf": (None, "rdfxml"),
    "jsonld": (None, "jsonld"),
    "html": (HTML, HTML),
}
for _type, _fmt in _SOLUTION_ACCEPT:
    _FORMAT_PARAM.setdefault(_type, (_fmt, dict(_GRAPH_ACCEPT).get(_type)))
for _type, _fmt in _GRAPH_ACCEPT:
    _FORMAT_PARAM.setdefault(_type, (dict(_SOLUTION_ACCEPT).get(_type), _fmt))


def from_param(value: str) -> tuple[str | None, str | None]:
    """Formats named by a ``format`` parameter (short name or media type)."""
    key = value.strip().lower()
    if key not in _FORMAT_PARAM:
        known = ", ".join(sorted(k for k in _FORMAT_PARAM if "/" not in k))
        raise BadRequest(f"unknown format {value!r}; use one of: {known}, or a media type")
    return _FORMAT_PARAM[key]


def from_accept(accept: MIMEAccept, header_present: bool) -> tuple[str | None, str | None]:
    """Formats for an Accept header; no header means the defaults (JSON, Turtle)."""
    if not header_present:
        return "json", "turtle"
    return _best(accept, _SOLUTION_ACCEPT), _best(accept, _GRAPH_ACCEPT)


def choose(param: str | None, accept: str | None) -> tuple[str | None, str | None]:
    """Formats for a request: its ``format`` parameter if non-empty, else its Accept header."""
    if param:
        return from_param(param)
    return for_accept_header(accept)


@functools.lru_cache(maxsize=512)
def for_accept_header(header: str | None) -> tuple[str | None, str | None]:
    """``from_accept`` for a raw Accept header, cached: clients repeat the same few."""
    return from_accept(parse_accept_header(header, MIMEAccept), bool(header))


@functools.lru_cache(maxsize=512)
def header_wants_html(header: str | None) -> bool:
    """``wants_html`` for a raw Accept header, cached."""
    return wants_html(parse_accept_header(header, MIMEAccept))


def _best(accept: MIMEAccept, table: list[tuple[str, str]]) -> str | None:
    match = accept.best_match([t for t, _ in table])
    return dict(table)[match] if match else None


def wants_html(accept: MIMEAccept) -> bool:
    """True when a browser-like client prefers HTML to Turtle (query page vs description)."""
    return accept.best_match(["text/turtle", "text/html"]) == "text/html"
