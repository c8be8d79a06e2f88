"""One CURIE converter for legkg's cross-references.

The prefix map is not written by hand: ``kg/data/prefixmap.json`` is an extract of the
Bioregistry context shipped by the ``prefixmaps`` package (``bioregistry.upper``, the
Bioregistry with OBO-style upper-case prefixes such as ``HP``, ``MESH``, ``ICD10CM``),
limited to the prefixes legkg uses. Regenerate it with ``python -m kg.curie`` after
upgrading ``prefixmaps``; ``tests/test_sssom.py`` checks the file still agrees with it.

Prefix synonyms (``UMLS_CUI``, ``SCTID``, ``MSH``, ``NCI``...) come from the same data:
Bioregistry lists every synonym ``S`` as an alias URI ``https://bioregistry.io/S:``.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import curies

from kg.namespaces import DEFAULT_BASE

PREFIX_MAP_FILE = Path(__file__).parent / "data" / "prefixmap.json"

# Terminology prefixes of kg/data/xrefs.tsv plus the vocabularies of the SSSOM export.
XREF_PREFIXES = (
    "HP",
    "DOID",
    "MONDO",
    "ICD10CM",
    "MESH",
    "UBERON",
    "CHEBI",
    "GO",
    "MAXO",
    "NCIT",
    "UMLS",
    "SNOMEDCT",
)
VOCAB_PREFIXES = ("skos", "semapv", "sssom", "owl", "rdfs", "oboInOwl", "dcterms", "pav")
PREFIXMAPS_CONTEXTS = ("bioregistry.upper", "bioregistry")

# DOID dates its SNOMED prefix (``SNOMEDCT_US_2025_09_01``); Bioregistry lists only
# some of these dated synonyms, so the release date is stripped before lookup.
_DATED_PREFIX = re.compile(r"^(?P<base>[A-Za-z_]+?)_\d{4}_\d{2}_\d{2}$")
_ALIAS_HOST = re.compile(r"^https?://bioregistry\.io/(?P<syn>[^:/]+):$")


def build_extended_prefix_map() -> list[dict]:
    """Extract the records legkg needs from prefixmaps' shipped Bioregistry contexts."""
    from prefixmaps import load_context  # only needed to regenerate the committed file

    records: dict[str, dict] = {}
    for name in PREFIXMAPS_CONTEXTS:
        for exp in load_context(name).prefix_expansions:
            wanted = exp.prefix in XREF_PREFIXES + VOCAB_PREFIXES
            if not wanted or (exp.prefix in records and name != PREFIXMAPS_CONTEXTS[0]):
                continue
            rec = records.setdefault(
                exp.prefix,
                {
                    "prefix": exp.prefix,
                    "uri_prefix": "",
                    "prefix_synonyms": [],
                    "uri_prefix_synonyms": [],
                },
            )
            _add_expansion(rec, exp.namespace, exp.status.value)
    return [_sorted(rec) for _, rec in sorted(records.items())]


def _add_expansion(rec: dict, namespace: str, status: str) -> None:
    if status == "canonical":
        rec["uri_prefix"] = namespace
        return
    alias = _ALIAS_HOST.match(namespace)
    if alias:
        syn = alias.group("syn")
        if syn != rec["prefix"] and " " not in syn:
            rec["prefix_synonyms"].append(syn)
        return
    rec["uri_prefix_synonyms"].append(namespace)


def _sorted(rec: dict) -> dict:
    rec["prefix_synonyms"] = sorted(set(rec["prefix_synonyms"]))
    rec["uri_prefix_synonyms"] = sorted(set(rec["uri_prefix_synonyms"]) - {rec["uri_prefix"]})
    return rec


@lru_cache(maxsize=1)
def converter() -> curies.Converter:
    """The converter for every CURIE legkg writes: terminology prefixes plus ``legkg``."""
    records = json.loads(PREFIX_MAP_FILE.read_text(encoding="utf-8"))["records"]
    records = [*records, {"prefix": "legkg", "uri_prefix": DEFAULT_BASE}]
    return curies.load_extended_prefix_map(records)


def standardize(curie: str) -> str | None:
    """Canonical CURIE for a cross-reference as a source spells it, or None if unknown.

    ``UMLS_CUI:C0001`` → ``UMLS:C0001``; ``SNOMEDCT_US_2025_09_01:123`` → ``SNOMEDCT:123``.
    """
    prefix, sep, local = curie.partition(":")
    if not sep:
        return None
    dated = _DATED_PREFIX.match(prefix)
    if dated:
        prefix = dated.group("base")
    conv = converter()
    std = conv.standardize_prefix(prefix)
    if std is None:
        std = conv.standardize_prefix(prefix.upper())
    return f"{std}:{local}" if std else None


def expand(curie: str) -> str:
    """IRI of a CURIE; raises ``ValueError`` for an unknown prefix."""
    iri = converter().expand(curie)
    if iri is None:
        raise ValueError(f"unknown prefix in CURIE {curie!r}")
    return iri


def compress(iri: str) -> str:
    """CURIE of an IRI, in the standard prefix; raises ``ValueError`` if none fits."""
    curie = converter().compress(iri)
    if curie is None:
        raise ValueError(f"no prefix for IRI {iri!r}")
    return curie


def curie_map(prefixes: set[str] | None = None) -> dict[str, str]:
    """Prefix → URI prefix, for a header such as SSSOM's ``curie_map``."""
    bimap = converter().bimap
    return {p: bimap[p] for p in sorted(prefixes or bimap)}


def main() -> None:
    """Regenerate ``kg/data/prefixmap.json`` from the installed prefixmaps package."""
    from importlib.metadata import version

    doc = {
        "comment": "Generated by `python -m kg.curie` from prefixmaps contexts "
        f"{', '.join(PREFIXMAPS_CONTEXTS)}; do not edit by hand.",
        "prefixmaps_version": version("prefixmaps"),
        "records": build_extended_prefix_map(),
    }
    PREFIX_MAP_FILE.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {PREFIX_MAP_FILE} ({len(doc['records'])} prefixes)")


if __name__ == "__main__":
    main()
