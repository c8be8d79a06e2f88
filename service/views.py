"""Helpers the templates use to show terms: CURIEs, links to entity pages."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from flask import Flask

from kg.store import XSD_STRING
from service import urls
from service.negotiation import GRAPH_TYPES, SOLUTION_TYPES


def term_view(term: Any) -> dict[str, str | None]:
    """How one result cell is shown: ``text``, optional ``href``, ``note``, ``title``."""
    if term is None:
        return {"text": "", "href": None, "note": None, "title": None, "kind": "unbound"}
    if isinstance(term, ox.NamedNode):
        short = urls.curie(term.value)
        return {
            "text": short or term.value,
            "href": urls.entity_url(term.value),
            "note": None,
            "title": term.value,
            "kind": "iri",
        }
    if isinstance(term, ox.BlankNode):
        return {
            "text": f"_:{term.value}",
            "href": None,
            "note": None,
            "title": None,
            "kind": "bnode",
        }
    if isinstance(term, ox.Literal):
        note = None
        if term.language:
            note = f"@{term.language}"
        elif term.datatype.value != XSD_STRING:
            note = urls.curie(term.datatype.value) or term.datatype.value
        return {"text": term.value, "href": None, "note": note, "title": None, "kind": "literal"}
    return {"text": str(term), "href": None, "note": None, "title": None, "kind": "triple"}


def download_formats(kind: str) -> list[str]:
    """Formats offered as downloads for a result kind."""
    return list(GRAPH_TYPES if kind == "graph" else SOLUTION_TYPES)


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(
        term_view=term_view,
        download_formats=download_formats,
        sparql_url=urls.sparql_url,
        named_url=urls.named_url,
        named_list_url=urls.named_list_url,
        static_url=urls.static_url,
        browse_home_url=urls.browse_home_url,
        search_url=urls.search_url,
        classes_url=urls.classes_url,
        source_url=urls.source_url,
        explore_url=urls.explore_url,
    )
