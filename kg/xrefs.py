"""Cross-references of legkg entities (kg/data/xrefs.tsv) and their verification.

Every row is checked against the real terminology data (:mod:`kg.terminologies`): the ID
exists, is not obsolete or secondary, and ``object_label`` is the target's label or one of
its synonyms. UMLS and SNOMED CT have no open data here, so their IDs are accepted only
when an open source lists them as an xref of a term this subject is mapped to with the
same predicate (e.g. ``MONDO:0005294`` exactMatch → its ``UMLS:`` exactMatch).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from kg.curie import XREF_PREFIXES, standardize
from kg.terminologies import VOUCHED_PREFIXES, SharedDataMissing, Terminologies, default

COLUMNS = (
    "subject",
    "predicate",
    "object",
    "object_label",
    "justification",
    "confidence",
    "source",
    "curator",
    "comment",
)
PREDICATES = ("skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch")
# SSSOM's recommended justifications (semapv), used when the sssom package is absent.
_FALLBACK_JUSTIFICATIONS = (
    "semapv:ManualMappingCuration",
    "semapv:LexicalMatching",
    "semapv:LogicalReasoning",
    "semapv:MappingChaining",
    "semapv:MappingReview",
    "semapv:CompositeMatching",
    "semapv:UnspecifiedMatching",
)


@dataclass(frozen=True)
class XrefRow:
    """One line of xrefs.tsv, with where it came from for error messages."""

    file: str
    line: int
    subject: str
    predicate: str
    object: str
    object_label: str
    justification: str
    confidence: str
    source: str
    curator: str
    comment: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Problem:
    """Why one row is wrong."""

    where: str
    curie: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.curie}: {self.reason}"


def read_tsv(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of a curated TSV: ``#`` and blank lines skipped, header first."""
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if header is None:
            header = cells
            continue
        cells += [""] * (len(header) - len(cells))
        rows.append((number, dict(zip(header, (c.strip() for c in cells), strict=False))))
    return rows


def read_xrefs(path: Path, display: str | None = None) -> list[XrefRow]:
    """Rows of an xrefs TSV; ``display`` is the file name used in messages."""
    name = display or str(path)
    return [XrefRow(name, n, *(row.get(c, "") for c in COLUMNS)) for n, row in read_tsv(path)]


def read_entity_labels(path: Path) -> dict[str, str]:
    """Entity id → label from entities.tsv."""
    return {row["id"]: row.get("label", "") for _, row in read_tsv(path) if row.get("id")}


def normalize(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used to compare labels."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def verify(
    rows: list[XrefRow], entity_ids: set[str] | None = None, terms: Terminologies | None = None
) -> list[Problem]:
    """Every problem of the rows; an empty list means all cross-references are verified."""
    terms = terms or default()
    problems: list[Problem] = []
    seen: dict[tuple[str, str], str] = {}
    for row in rows:
        problems += _check_form(row, entity_ids)
        key = (row.subject, row.object)
        if key in seen:
            problems.append(Problem(row.where, row.object, f"duplicate of {seen[key]}"))
        seen.setdefault(key, row.where)
    by_subject = _mapped_by_subject(rows)
    for row in rows:
        if standardize(row.object) != row.object:
            continue  # already reported by _check_form
        if row.object.split(":", 1)[0] in VOUCHED_PREFIXES:
            problems += _check_vouched(row, by_subject[row.subject], terms)
        else:
            problems += _check_term(row, terms)
    return problems


def _check_form(row: XrefRow, entity_ids: set[str] | None) -> list[Problem]:
    out = []

    def bad(reason: str) -> None:
        out.append(Problem(row.where, row.object or row.subject, reason))

    if entity_ids is not None and row.subject not in entity_ids:
        bad(f"subject {row.subject!r} is not an id of entities.tsv")
    if row.predicate not in PREDICATES:
        bad(f"predicate {row.predicate!r} is not one of {', '.join(PREDICATES)}")
    std = standardize(row.object)
    if std is None or std.split(":", 1)[0] not in XREF_PREFIXES:
        bad(f"object prefix is not one of {', '.join(XREF_PREFIXES)}")
    elif std != row.object:
        bad(f"write the standard CURIE {std}")
    if row.justification not in justifications():
        bad(f"justification {row.justification!r} is not a semapv mapping justification")
    if not _is_confidence(row.confidence):
        bad(f"confidence {row.confidence!r} is not a number between 0 and 1")
    if not row.source or not row.curator:
        bad("source and curator are required")
    return out


def _is_confidence(text: str) -> bool:
    try:
        return 0.0 <= float(text) <= 1.0
    except ValueError:
        return False


def justifications() -> set[str]:
    """semapv justifications allowed by SSSOM (from the sssom package when installed)."""
    try:
        from sssom.constants import SEMAPV
    except ImportError:
        return set(_FALLBACK_JUSTIFICATIONS)
    return {f"semapv:{member.name}" for member in SEMAPV}


def _check_term(row: XrefRow, terms: Terminologies) -> list[Problem]:
    found = terms.lookup(row.object)
    where = found.source.describe() if found.source else row.object.split(":")[0]
    if found.term is None:
        return [Problem(row.where, row.object, f"does not exist in {where}")]
    term = found.term
    if term.primary:
        return [Problem(row.where, row.object, f"is a secondary id of {term.primary}")]
    if term.obsolete:
        extra = f"; replaced by {term.replaced_by}" if term.replaced_by else ""
        return [Problem(row.where, row.object, f"is obsolete in {where}{extra}")]
    names = {normalize(t) for t, scope in term.synonyms if scope != "INCLUSION"}
    if normalize(row.object_label) not in names | {normalize(term.label)}:
        return [
            Problem(
                row.where,
                row.object,
                f"object_label {row.object_label!r} is neither the label "
                f"{term.label!r} nor a synonym in {where}",
            )
        ]
    return []


def _mapped_by_subject(rows: list[XrefRow]) -> dict[str, dict[str, str]]:
    """subject → {mapped object: predicate}."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for row in rows:
        out[row.subject][row.object] = row.predicate
    return out


def _check_vouched(row: XrefRow, mapped: dict[str, str], terms: Terminologies) -> list[Problem]:
    vouchers = terms.vouchers(row.object)
    if not vouchers:
        return [
            Problem(
                row.where,
                row.object,
                "no open source (HPO, DOID, MONDO, MAxO, UBERON) lists this ID",
            )
        ]
    same = sorted(v for v in vouchers if mapped.get(v) == row.predicate)
    if not same:
        return [
            Problem(
                row.where,
                row.object,
                f"only vouched for by {', '.join(sorted(vouchers))}, none of which "
                f"{row.subject} is mapped to with {row.predicate}",
            )
        ]
    if not any(v in row.source for v in same):
        return [
            Problem(
                row.where, row.object, f"source must name the vouching term ({', '.join(same)})"
            )
        ]
    return []


def run_xref_check(data_dir: Path) -> list[str]:
    """Readable problem lines for ``legkg check --xrefs``; empty when all rows verify."""
    data_dir = Path(data_dir)
    xref_file = data_dir / "xrefs.tsv"
    if not xref_file.is_file():
        return [f"{xref_file}: missing"]
    display = _display_name(xref_file)
    rows = read_xrefs(xref_file, display)
    entities = data_dir / "entities.tsv"
    ids = set(read_entity_labels(entities)) if entities.is_file() else None
    try:
        return [str(p) for p in verify(rows, ids)]
    except SharedDataMissing as exc:
        return [f"{display}: cannot verify: {exc}"]


def _display_name(path: Path) -> str:
    """``kg/data/xrefs.tsv`` when inside the repository, else the path as given."""
    try:
        return str(path.resolve().relative_to(Path(__file__).resolve().parents[1]))
    except ValueError:
        return str(path)
