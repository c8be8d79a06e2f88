"""ICD-10-CM's hierarchy as RDF, from the ``simple-icd-10-cm`` package (``legkg load --icd10cm``).

ICD-10-CM has no official RDF release, so we convert the tabular list that
``simple-icd-10-cm`` ships (``icd10c-tabular-April-1-2026.xml`` in 1.5.0): every chapter,
block, category and subcategory becomes an ``owl:Class`` with

* the IRI legkg's CURIE converter gives ``ICD10CM:<code>`` (so it joins the
  ``skos:*Match`` cross-references of ``kg/data/xrefs.tsv``),
* ``rdfs:label`` (the tabular list's description), ``skos:notation`` (the code),
* ``rdfs:subClassOf`` its parent (a subcategory's category, a category's block, a
  block's chapter). Chapters have no parent.

Chapters are numbered 1-22 in the tabular list; as IRIs we use their code range
(``ICD10CM:G00-G99``), which no block or category shares, and keep the number as a
second ``skos:notation``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from importlib.metadata import version

import pyoxigraph as ox
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.curie import expand

_RANGE = re.compile(r"\(([A-Z0-9]{3}-[A-Z0-9]{3})\)\s*$")
_TYPE, _CLASS = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(OWL.Class))
_LABEL, _SUB = ox.NamedNode(str(RDFS.label)), ox.NamedNode(str(RDFS.subClassOf))
_NOTATION = ox.NamedNode(str(SKOS.notation))
ONTOLOGY = "https://w3id.org/legkg/icd10cm"


def _sicd():  # imported late: a test-only dependency that reads its XML on import
    import simple_icd_10_cm as sicd

    return sicd


@functools.lru_cache(maxsize=1)
def _iri_prefix() -> str:
    # one CURIE expansion, then string concatenation: 98k codes, each met twice
    return expand("ICD10CM:X").removesuffix("X")


@functools.lru_cache(maxsize=64)
def _chapter_range(chapter: str) -> str:
    match = _RANGE.search(_sicd().get_description(chapter))
    if match is None:
        raise ValueError(f"ICD-10-CM chapter {chapter} has no code range in its title")
    return match.group(1)


def code_iri(code: str) -> ox.NamedNode:
    """IRI of a code as the tabular list spells it (chapter numbers become ranges)."""
    if code.isdigit():  # only chapters are bare numbers
        code = _chapter_range(code)
    return ox.NamedNode(_iri_prefix() + code)


def codes_with_ancestors(codes: Iterable[str]) -> list[str]:
    """The valid codes among ``codes`` plus all their ancestors (unknown codes skipped)."""
    sicd = _sicd()
    wanted: dict[str, None] = {}
    for code in codes:
        if sicd.is_valid_item(code):
            for item in (code, *sicd.get_ancestors(code)):
                wanted[item] = None
    return list(wanted)


def icd10cm_quads(graph: ox.NamedNode, codes: Iterable[str] | None = None) -> Iterator[ox.Quad]:
    """Quads of the hierarchy (all of it, or ``codes`` and their ancestors) in ``graph``."""
    sicd = _sicd()
    items = sicd.get_all_codes(with_dots=True) if codes is None else codes_with_ancestors(codes)
    ontology = ox.NamedNode(ONTOLOGY)
    yield ox.Quad(ontology, _TYPE, ox.NamedNode(str(OWL.Ontology)), graph)
    source = f"simple-icd-10-cm {version('simple-icd-10-cm')} (CMS tabular list)"
    yield ox.Quad(ontology, ox.NamedNode(str(OWL.versionInfo)), ox.Literal(source), graph)
    for code in items:
        node = code_iri(code)
        yield ox.Quad(node, _TYPE, _CLASS, graph)
        yield ox.Quad(node, _LABEL, ox.Literal(sicd.get_description(code)), graph)
        yield ox.Quad(node, _NOTATION, ox.Literal(code), graph)
        parent = sicd.get_parent(code)
        if parent:
            yield ox.Quad(node, _SUB, code_iri(parent), graph)
        elif code.isdigit():
            yield ox.Quad(node, _NOTATION, ox.Literal(_chapter_range(code)), graph)
