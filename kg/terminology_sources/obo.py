"""OBO files (HPO, MAxO, UBERON, ChEBI, GO) read with obonet."""

from __future__ import annotations

import re
from pathlib import Path

from kg.curie import standardize
from kg.terminology_sources.model import Source, Term, Terminology

# An OBO synonym line value: "text" SCOPE [TYPE] [xrefs]
_SYNONYM = re.compile(r'^"(?P<text>(?:[^"\\]|\\.)*)"\s+(?P<scope>[A-Z]+)')
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def data_version(graph_meta: dict) -> str:
    """Release date of an OBO header's data-version (``hp/releases/2025-01-16`` → date)."""
    raw = graph_meta.get("data-version", "")
    found = _DATE.search(raw)
    return found.group(0) if found else raw


def read_obo(path: Path, prefixes: tuple[str, ...], via: str) -> dict[str, Terminology]:
    """Terms of ``path`` whose CURIE prefix is one of ``prefixes``, obsolete ones included."""
    import obonet  # only needed when a file is parsed, not for cached data

    graph = obonet.read_obo(str(path), ignore_obsolete=False)
    source = Source(path.name, data_version(graph.graph), via)
    out = {p: Terminology(p, source) for p in prefixes}
    for curie, data in graph.nodes(data=True):
        prefix = curie.split(":", 1)[0]
        if prefix not in out or "name" not in data:
            continue  # dangling parents have no stanza, hence no name
        term = _term(curie, data)
        out[prefix].terms[curie] = term
        for alt in data.get("alt_id", []):
            out[prefix].terms.setdefault(alt, Term(alt, term.label, primary=curie))
    return out


def _term(curie: str, data: dict) -> Term:
    synonyms = []
    for value in data.get("synonym", []):
        match = _SYNONYM.match(value)
        if match:
            synonyms.append((match.group("text").replace('\\"', '"'), match.group("scope")))
    xrefs = [standardize(x.split(" ", 1)[0]) for x in data.get("xref", [])]
    return Term(
        curie=curie,
        label=data["name"],
        synonyms=tuple(synonyms),
        obsolete=str(data.get("is_obsolete", "")).lower() == "true",
        xrefs=tuple(sorted({x for x in xrefs if x})),
        replaced_by=(data.get("replaced_by") or [""])[0],
    )
