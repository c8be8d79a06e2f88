"""Export kg/data/xrefs.tsv as an SSSOM mapping set (TSV with a YAML header).

``legkg mappings [--out FILE]`` and the service's ``/mappings.sssom.tsv`` call
:func:`write_sssom`; ``tests/test_sssom.py`` parses and validates the output with the
``sssom`` package.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TextIO

from kg.curie import curie_map
from kg.xrefs import XrefRow

MAPPING_SET_ID = "https://w3id.org/legkg/mappings.sssom.tsv"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
TITLE = "legkg cross-references to clinical terminologies"
COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "confidence",
    "author_label",
    "object_source_version",
    "comment",
)


def default_version() -> str:
    """The legkg package version, the mapping set's default version."""
    try:
        return version("legkg")
    except PackageNotFoundError:
        return "0.0.0"


def sssom_rows(rows: Iterable[XrefRow], entity_labels: Mapping[str, str]) -> list[dict]:
    """One SSSOM record per xref row, in SSSOM slot names."""
    return [
        {
            "subject_id": f"legkg:{r.subject}",
            "subject_label": entity_labels.get(r.subject, ""),
            "predicate_id": r.predicate,
            "object_id": r.object,
            "object_label": r.object_label,
            "mapping_justification": r.justification,
            "confidence": r.confidence,
            "author_label": r.curator,
            "object_source_version": r.source,
            "comment": r.comment,
        }
        for r in rows
    ]


def header(records: list[dict], mapping_set_version: str) -> list[str]:
    """The YAML metadata block, each line prefixed with ``#`` as SSSOM/TSV requires."""
    used = {
        rec[col].split(":", 1)[0]
        for rec in records
        for col in ("subject_id", "predicate_id", "object_id", "mapping_justification")
    }
    lines = ["curie_map:"]
    lines += [f"  {p}: {uri}" for p, uri in curie_map(used).items()]
    lines += [
        f"mapping_set_id: {MAPPING_SET_ID}",
        f"mapping_set_version: {_yaml_str(mapping_set_version)}",
        f"mapping_set_title: {TITLE}",
        f"license: {LICENSE}",
        "mapping_set_description: Curated SKOS mappings of legkg entities, each checked "
        "against the offline terminology release named in object_source_version.",
    ]
    return ["# " + line for line in lines]


def _yaml_str(text: str) -> str:
    # quoted so YAML keeps "0.1.0" or a date a string
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_sssom(
    rows: Iterable[XrefRow],
    entity_labels: Mapping[str, str],
    out: TextIO,
    mapping_set_version: str | None = None,
) -> int:
    """Write the SSSOM TSV to ``out``; returns the number of mappings written."""
    records = sssom_rows(rows, entity_labels)
    out.write("\n".join(header(records, mapping_set_version or default_version())) + "\n")
    out.write("\t".join(COLUMNS) + "\n")
    for rec in records:
        out.write("\t".join(_cell(rec[c]) for c in COLUMNS) + "\n")
    return len(records)


def _cell(value: str) -> str:
    # tabs or newlines inside a cell would break the table
    return " ".join(str(value).split())


def render_sssom(data_dir: Path) -> str:
    """The SSSOM TSV of ``data_dir``'s xrefs.tsv, as `legkg mappings` writes it."""
    from kg.xrefs import read_entity_labels, read_xrefs

    out = io.StringIO()
    write_sssom(
        read_xrefs(data_dir / "xrefs.tsv"), read_entity_labels(data_dir / "entities.tsv"), out
    )
    return out.getvalue()
