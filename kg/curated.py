"""Reading the curated TSV rows (kg/data) into checked records.

Every problem is collected with its file and line, so a curator sees all mistakes
of a change at once, and no traceback ever reaches them.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.ontology import Vocabulary, vocabulary
from kg.paths import DATA_DIR
from kg.source import Article, load_article

ENTITY_COLUMNS = ("id", "class", "label", "synonyms", "acronyms", "definition", "cause_number")
EDGE_COLUMNS = ("subject", "predicate", "object", "section", "quote")
_ID = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_SEP = "|"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the curated data, located by file and line."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class CuratedDataError(Exception):
    """The curated data has problems; ``problems`` lists them all."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Entity:
    id: str
    classes: tuple[str, ...]
    label: str
    synonyms: tuple[str, ...]
    acronyms: tuple[str, ...]
    definition: str
    cause_number: int | None
    file: str
    line: int


@dataclass(frozen=True)
class Edge:
    subject: str
    predicate: str
    object: str
    literal: bool
    section: str
    quote: str
    file: str
    line: int
    quote_start: int = -1


@dataclass
class Curated:
    entities: dict[str, Entity] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    article: Article | None = None


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def _rows(
    path: Path, columns: tuple[str, ...], problems: list[Problem]
) -> Iterator[tuple[int, dict]]:
    """Yield (line number, row dict) for each data line; report malformed lines."""
    name = _display(path)
    if not path.exists():
        problems.append(Problem(name, 0, "file is missing"))
        return
    header: list[str] | None = None
    with path.open(encoding="utf-8", newline="") as fh:
        for lineno, line in enumerate(fh, start=1):
            text = line.rstrip("\r\n")
            if not text.strip() or text.startswith("#"):
                continue
            cells = next(csv.reader([text], delimiter="\t", quoting=csv.QUOTE_NONE))
            if header is None:
                header = cells
                if tuple(header) != columns:
                    problems.append(
                        Problem(
                            name,
                            lineno,
                            f"header must be {' | '.join(columns)}, got {' | '.join(header)}",
                        )
                    )
                    return
                continue
            if len(cells) != len(columns):
                problems.append(
                    Problem(
                        name,
                        lineno,
                        f"expected {len(columns)} tab-separated cells, found {len(cells)}",
                    )
                )
                continue
            yield lineno, {k: v.strip() for k, v in zip(columns, cells, strict=True)}


def _split(cell: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in cell.split(_SEP) if v.strip())


def _read_entities(path: Path, vocab: Vocabulary, problems: list[Problem]) -> dict[str, Entity]:
    entities: dict[str, Entity] = {}
    name = _display(path)
    for lineno, row in _rows(path, ENTITY_COLUMNS, problems):
        here = len(problems)
        eid, classes = row["id"], _split(row["class"])
        if not _ID.match(eid):
            problems.append(Problem(name, lineno, f"bad id {eid!r}: use UpperCamelCase ASCII"))
        elif eid in entities:
            problems.append(
                Problem(
                    name,
                    lineno,
                    f"duplicate id {eid!r} (first defined on line {entities[eid].line})",
                )
            )
        if not classes:
            problems.append(Problem(name, lineno, f"entity {eid!r} has no class"))
        for cls in classes:
            if not vocab.is_class(cls):
                problems.append(Problem(name, lineno, f"unknown class {cls!r} for entity {eid!r}"))
        for col in ("label", "definition"):
            if not row[col]:
                problems.append(Problem(name, lineno, f"entity {eid!r} has no {col}"))
        cause = row["cause_number"]
        if cause and not (cause.isdigit() and 1 <= int(cause) <= 9):
            problems.append(Problem(name, lineno, f"cause_number must be 1-9, got {cause!r}"))
        if len(problems) == here:
            entities[eid] = Entity(
                eid, classes, row["label"], _split(row["synonyms"]), _split(row["acronyms"]),
                row["definition"], int(cause) if cause else None, name, lineno,
            )  # fmt: skip
    return entities


def _check_edge(row: dict, vocab: Vocabulary, entities: dict, article: Article) -> list[str]:
    """Problems of one edge row, as messages."""
    out = []
    subj, pred, obj, sec, quote = (row[c] for c in EDGE_COLUMNS)
    literal = obj.startswith('"')
    if subj not in entities:
        out.append(f"dangling reference: subject {subj!r} is not an entity of entities.tsv")
    if not vocab.is_property(pred):
        out.append(f"unknown property {pred!r}")
    elif literal != (pred in vocab.datatype_properties):
        kind = "a quoted literal" if pred in vocab.datatype_properties else "an entity id"
        out.append(f"property {pred!r} needs {kind} as object, got {obj!r}")
    if literal and (len(obj) < 2 or not obj.endswith('"')):
        out.append(f"unterminated literal {obj!r}")
    if not literal and obj not in entities:
        out.append(f"dangling reference: object {obj!r} is not an entity of entities.tsv")
    if sec not in article.sections:
        out.append(f"unknown section {sec!r} (see `legkg sections`)")
    if not quote:
        out.append(f"missing quote for {subj} {pred} {obj}")
    elif sec in article.sections and article.sections[sec].find(article.text, quote) is None:
        elsewhere = [
            s.id for s in article.sections.values() if s.find(article.text, quote) is not None
        ]
        hint = (
            f"it is in section {', '.join(elsewhere)}" if elsewhere else "not in the article at all"
        )
        out.append(f"quote is not verbatim in section {sec!r} ({hint}): {quote!r}")
    return out


def _read_edges(
    path: Path, vocab: Vocabulary, entities: dict, article: Article, problems: list[Problem]
):
    edges: list[Edge] = []
    seen: dict[tuple, int] = {}
    name = _display(path)
    for lineno, row in _rows(path, EDGE_COLUMNS, problems):
        messages = _check_edge(row, vocab, entities, article)
        key = tuple(row[c] for c in EDGE_COLUMNS)
        if key in seen:
            messages.append(f"duplicate edge row (same as line {seen[key]})")
        seen.setdefault(key, lineno)
        problems.extend(Problem(name, lineno, m) for m in messages)
        if not messages:
            sec = article.sections[row["section"]]
            obj = row["object"]
            literal = obj.startswith('"')
            edges.append(
                Edge(
                    row["subject"],
                    row["predicate"],
                    obj[1:-1] if literal else obj,
                    literal,
                    row["section"],
                    row["quote"],
                    name,
                    lineno,
                    sec.find(article.text, row["quote"]),
                )  # fmt: skip
            )
    return edges


def read_curated(data_dir: Path = DATA_DIR, vocab: Vocabulary | None = None) -> Curated:
    """Read entities.tsv and edges.tsv; raise CuratedDataError listing every problem."""
    vocab = vocab or vocabulary()
    article = load_article()
    problems: list[Problem] = []
    entities = _read_entities(data_dir / "entities.tsv", vocab, problems)
    edges = _read_edges(data_dir / "edges.tsv", vocab, entities, article, problems)
    if problems:
        raise CuratedDataError(problems)
    return Curated(entities, edges, article)
