"""A small, engine-neutral term model and the W3C comparison rules for result terms."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib import Literal as RdfLiteral

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_INTEGER_NAMES = (
    "integer",
    "nonPositiveInteger",
    "negativeInteger",
    "long",
    "int",
    "short",
    "byte",
    "nonNegativeInteger",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
    "positiveInteger",
)
INTEGER_TYPES = {XSD + name for name in _INTEGER_NAMES}
FLOAT_TYPES = {XSD + "double", XSD + "float"}

# ("I", iri) | ("B", label) | ("L", lexical, datatype, language)
Term = tuple[str, ...]


def iri(value: str) -> Term:
    return ("I", value)


def bnode(label: str) -> Term:
    return ("B", label)


def literal(lexical: str, datatype: str | None = None, language: str | None = None) -> Term:
    """A literal; RDF 1.1 rules: simple literals are xsd:string, language tags lower-cased."""
    if language:
        return ("L", lexical, RDF_LANGSTRING, language.lower())
    return ("L", lexical, datatype or XSD_STRING, "")


def from_oxigraph(term: Any) -> Term:
    """Convert a pyoxigraph term."""
    if isinstance(term, ox.NamedNode):
        return iri(term.value)
    if isinstance(term, ox.BlankNode):
        return bnode(term.value)
    if isinstance(term, ox.Literal):
        return literal(term.value, term.datatype.value, term.language)
    raise TypeError(f"unsupported term {term!r}")


def from_rdflib(term: Any) -> Term:
    """Convert an rdflib term."""
    if isinstance(term, URIRef):
        return iri(str(term))
    if isinstance(term, BNode):
        return bnode(str(term))
    if isinstance(term, RdfLiteral):
        datatype = str(term.datatype) if term.datatype else None
        return literal(str(term), datatype, term.language)
    raise TypeError(f"unsupported term {term!r}")


def comparison_key(term: Term) -> Term | tuple[Any, ...]:
    """Key under which two non-blank terms count as the same result value.

    IRIs and other literals compare as RDF terms; numeric and boolean literals compare by
    value within the same datatype (``"1.0"^^xsd:decimal`` matches ``"1.00"^^xsd:decimal``
    but not ``"1"^^xsd:integer``), since stores may keep only canonical lexical forms.
    """
    if term[0] != "L":
        return term
    _, lexical, datatype, language = term
    value = _numeric_value(lexical, datatype)
    return ("L", lexical if value is None else value, datatype, language)


def _numeric_value(lexical: str, datatype: str) -> Any:
    try:
        if datatype in INTEGER_TYPES:
            return int(lexical.strip())
        if datatype == XSD + "decimal":
            return Decimal(lexical.strip()).normalize()
        if datatype == XSD + "boolean":
            return {"true": True, "1": True, "false": False, "0": False}.get(lexical.strip())
        if datatype in FLOAT_TYPES:
            value = float(lexical.strip().replace("INF", "inf"))
            return "NaN" if math.isnan(value) else value
    except (ValueError, InvalidOperation):
        return None
    return None


def show(term: Term | None) -> str:
    """N-Triples-like rendering for failure messages."""
    if term is None:
        return "UNDEF"
    if term[0] == "I":
        return f"<{term[1]}>"
    if term[0] == "B":
        return f"_:{term[1]}"
    _, lexical, datatype, language = term
    if language:
        return f'"{lexical}"@{language}'
    return f'"{lexical}"' if datatype == XSD_STRING else f'"{lexical}"^^<{datatype}>'
