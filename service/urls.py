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


# Browse pages (service/browse.py). Built without url_for: an entity page links to
# hundreds of terms, and these paths are fixed by the blueprint's routes.
BROWSE_ENDPOINTS = {"entity": "/entity/", "relation": "/relation/", "class": "/class/"}


def browse_url(kind: str, iri: str, short: str, suffix: str | None = None) -> str:
    """Page of a graph term by kind (entity, relation, class, section), else the IRI itself."""
    if kind == "section":
        return source_url("sec-" + iri.rsplit("/", 1)[-1])
    path = BROWSE_ENDPOINTS.get(kind)
    if path is None:
        return iri
    name = f"{short}.{suffix}" if suffix else short
    return f"{request.script_root}{path}{quote(name, safe=':')}"


def source_url(anchor: str | None = None, suffix: str | None = None) -> str:
    """The article view, optionally at a section or quote anchor."""
    path = f"{request.script_root}/source" + (f".{suffix}" if suffix else "")
    return f"{path}#{quote(anchor, safe='-._')}" if anchor else path


def search_url(q: str | None = None, suffix: str | None = None) -> str:
    path = url_for("browse.search", suffix=f".{suffix}" if suffix else "")
    return f"{path}?{urlencode({'q': q})}" if q else path


def browse_home_url(suffix: str | None = None) -> str:
    return url_for("browse.home_json") if suffix else url_for("browse.home")


def classes_url(suffix: str | None = None) -> str:
    return url_for("browse.classes", suffix=f".{suffix}" if suffix else "")


def explore_url(suffix: str | None = None) -> str:
    """The symptom explorer's form (``/explore``) or its JSON variant."""
    return f"{request.script_root}/explore" + (f".{suffix}" if suffix else "")
