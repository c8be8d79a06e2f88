"""The one place that builds URLs and CURIEs for pages and API responses."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import request, url_for

from kg.namespaces import PREFIXES

# Longest namespace first so legkgsec: wins over legkg: for section IRIs.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: len(item[1]), reverse=True)
BROWSABLE = tuple(p for p in PREFIXES if p.startswith("legkg"))


def curie(iri: str) -> str | None:
    """``prefix:local`` for an IRI in a known namespace with a simple local part."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if local and all(c.isalnum() or c in "_-." for c in local) and local[0] != ".":
                return f"{prefix}:{local}"
    return None


def entity_url(iri: str) -> str | None:
    """Browse page ``/entity/<CURIE>`` for a legkg IRI; None for anything else."""
    short = curie(iri)
    if short is None or short.split(":", 1)[0] not in BROWSABLE:
        return None
    return f"{request.script_root}/entity/{quote(short, safe=':')}"


def sparql_url(query: str | None = None, fmt: str | None = None, **extra: str) -> str:
    """GET URL of the endpoint (a permalink when ``query`` is given)."""
    params = {k: v for k, v in (("query", query), ("format", fmt), *extra.items()) if v}
    base = url_for("sparql.endpoint")
    return f"{base}?{urlencode(params)}" if params else base


def named_url(name: str, suffix: str | None = None, params: dict[str, str] | None = None) -> str:
    """URL of a named query, optionally with a format suffix (``json``, ``csv``)."""
    path = url_for("named.run", name=f"{name}.{suffix}" if suffix else name)
    return f"{path}?{urlencode(params)}" if params else path


def named_list_url() -> str:
    return url_for("named.index")


def static_url(filename: str) -> str:
    return url_for("static", filename=filename)
