"""Symptom explorer: from findings a person notices to the article's causes that fit them.

Everything clinical comes from the graph through the named queries of
``queries/explore/`` (loaded once per process; each request is plain arithmetic over the
precomputed tables):

* ``options.rq``: the findings a person can pick, grouped by class (symptoms and
  sensations, triggers and modifiers, time patterns, locations, risk factors); only
  those that at least one condition explains are offered.
* ``paths.rq``: every explanation path from a condition to a finding in 1-3 edges,
  ``[cause subtypeOf parent] [hasMechanism m] EXPLAINS [x subtypeOf|partOf finding]``.
  Which relations explain a finding (has symptom, causes, caused by, worsened by,
  relieved by, has time pattern, affects, risk factor... with their sub-properties) is
  stated in that query, not here.
* ``evidence.rq``: the article's quote and section for each asserted edge, and for an
  inferred edge the rule and the quotes of the claims among its premises.
* ``advice.rq``: treatments, relief, prevention and diagnostics stated for a condition
  (or for a broader condition it is a subtype of).
* ``conflicts.rq``: something advised for one condition that the graph says worsens
  another.

Scoring (documented on the page too). Let N be the number of conditions in the graph and
n(f) the number of conditions with at least one explanation path to finding f. A finding
weighs by how specific it is, ``w(f) = ln(N / n(f))`` (``n(f)`` at least 1), and a
candidate cause scores the weights of the selected findings it explains divided by the
weights of all selected findings: ``score(C) = sum(w(f), f explained by C) / sum(w(f))``,
from 0 to 1. Candidates are the conditions explaining at least one selected finding,
ranked by score, then by the number of findings explained, then by label. Conflicts are
reported between candidates only.

This is an exploration of one article's content, not a diagnosis.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kg.paths import QUERIES_DIR
from kg.store import Store
from kg.views_index import Graph, Row, text, truthy

EXPLORE_QUERIES = QUERIES_DIR / "explore"
MAX_PATHS = 3  # explanation paths shown per matched finding
MAX_QUOTES = 3  # evidence quotes shown per edge
NOTICE = "This explores the content of one article; it is not a diagnosis and not medical advice."
ARTICLE_ADVICE = (
    "Seeking appropriate medical evaluation is essential for accurate diagnosis and "
    "tailored management."
)


@dataclass(frozen=True)
class Evidence:
    quote: str
    section: str  # section IRI
    section_label: str


@dataclass(frozen=True)
class Edge:
    """One edge of a path with its support: ``how`` is ``asserted`` or ``inferred``."""

    subject: str
    relation: str
    object: str
    how: str
    evidence: tuple[Evidence, ...]
    rule: str = ""
    why: str = ""


@dataclass(frozen=True)
class Path:
    finding: str
    edges: tuple[Edge, ...]


@dataclass(frozen=True)
class Option:
    iri: str
    label: str
    group: str
    linked: int  # conditions that explain it


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    options: tuple[Option, ...]


@dataclass(frozen=True)
class Advice:
    kind: str  # treatment, relief, prevention, diagnosis
    item: str
    holder: str  # the condition the advice is stated for (the cause or a broader one)
    edge: Edge


@dataclass(frozen=True)
class Conflict:
    item: str
    helped: str
    harmed: str
    helps: Edge
    harms: Edge


@dataclass
class Cause:
    iri: str
    label: str
    score: float
    matched: list[str]
    unmatched: list[str]
    paths: list[Path]
    advice: list[Advice] = field(default_factory=list)


@dataclass
class Exploration:
    findings: list[str]
    causes: list[Cause]
    conflicts: list[Conflict]
    weights: dict[str, float]


class Explorer:
    """The precomputed tables and the ranking over them (one instance per process)."""

    def __init__(self, graph: Graph) -> None:
        self.labels: dict[str, str] = {}
        self.conditions: set[str] = set()
        for row in graph.select("labels"):
            self.labels[text(row["iri"])] = text(row["label"])
            if truthy(row["condition"]):
                self.conditions.add(text(row["iri"]))
        self._evidence = _evidence_table(graph.select("evidence"))
        self._paths = self._path_table(graph.select("paths"))
        self._linked: dict[str, set[str]] = defaultdict(set)
        for cause, finding in self._paths:
            self._linked[finding].add(cause)
        self.groups = self._groups(graph.select("options"))
        self._options = {o.iri: o for g in self.groups for o in g.options}
        self._advice = self._advice_table(graph.select("advice"))
        self._conflicts = [self._conflict(row) for row in graph.select("conflicts")]

    @classmethod
    def load(cls, store: Store) -> Explorer:
        return cls(Graph(store, EXPLORE_QUERIES))

    # ------------------------------------------------------------------ lookups
    def label(self, iri: str) -> str:
        return self.labels.get(iri) or iri.rstrip("/#").rsplit("/", 1)[-1]

    def option(self, iri: str) -> Option | None:
        """The finding of that IRI if the explorer offers it."""
        return self._options.get(iri)

    def weight(self, finding: str) -> float:
        """Specificity ``ln(N / n(f))`` of a finding (see the module docstring)."""
        linked = len(self._linked.get(finding, ())) or 1
        return math.log(max(len(self.conditions), 1) / linked)

    # ------------------------------------------------------------------ ranking
    def explore(self, findings: Sequence[str], top_advice: int = 3) -> Exploration:
        """Rank the conditions explaining ``findings`` (IRIs the explorer offers)."""
        chosen = list(dict.fromkeys(findings))
        weights = {f: self.weight(f) for f in chosen}
        total = sum(weights.values())
        candidates = {c for f in chosen for c in self._linked.get(f, ())}
        causes = [self._cause(c, chosen, weights, total) for c in candidates]
        causes.sort(key=lambda c: (-c.score, -len(c.matched), c.label.lower()))
        for cause in causes[:top_advice]:
            cause.advice = self._advice.get(cause.iri, [])
        conflicts = [
            c for c in self._conflicts if c.helped in candidates and c.harmed in candidates
        ]
        return Exploration(chosen, causes, conflicts, weights)

    def _cause(self, iri: str, chosen: list[str], weights: dict[str, float], total: float) -> Cause:
        matched = [f for f in chosen if iri in self._linked.get(f, ())]
        got = sum(weights[f] for f in matched)
        score = got / total if total > 0 else float(len(matched)) / len(chosen)
        paths = [p for f in matched for p in self._paths[(iri, f)][:MAX_PATHS]]
        unmatched = [f for f in chosen if f not in matched]
        return Cause(iri, self.label(iri), round(score, 4), matched, unmatched, paths)

    # ------------------------------------------------------------------ loading
    def edge(self, subject: str, relation: str, obj: str) -> Edge:
        """An edge with its evidence: the claims stating it, else its inference's premises."""
        rows = self._evidence.get((subject, relation, obj), [])
        asserted = [r for r in rows if text(r["how"]) == "asserted"]
        chosen = asserted or rows
        how = "asserted" if asserted else "inferred"
        first = chosen[0] if chosen else {}
        quotes = _unique_evidence(chosen)[:MAX_QUOTES]
        rule = "" if asserted else text(first.get("rule"))
        why = "" if asserted else text(first.get("why"))
        return Edge(subject, relation, obj, how, tuple(quotes), rule, why)

    def _path_table(self, rows: list[Row]) -> dict[tuple[str, str], list[Path]]:
        table: dict[tuple[str, str], list[Path]] = defaultdict(list)
        for row in rows:
            cause, finding = text(row["cause"]), text(row["finding"])
            if cause in self.conditions:
                table[(cause, finding)].append(Path(finding, tuple(self._path_edges(row))))
        for paths in table.values():
            paths.sort(key=_path_order)
        return table

    def _path_edges(self, row: Row) -> Iterable[Edge]:
        cause, up, mechanism = text(row["cause"]), text(row["up"]), text(row["mechanism"])
        start, to, finding = text(row["from"]), text(row["to"]), text(row["finding"])
        node = cause
        if up:
            yield self.edge(cause, text(row["upBy"]), up)
            node = up
        if mechanism:
            yield self.edge(node, text(row["mechanismBy"]), mechanism)
        yield self.edge(start, text(row["explains"]), to)
        if text(row["down"]):
            yield self.edge(to, text(row["down"]), finding)

    def _groups(self, rows: list[Row]) -> list[Group]:
        found: dict[str, tuple[str, list[Option]]] = {}
        for row in rows:
            key, iri = text(row["group"]), text(row["entity"])
            linked = len(self._linked.get(iri, ()))
            if not linked or any(iri in {o.iri for o in g[1]} for g in found.values()):
                continue
            entry = found.setdefault(key, (text(row["groupLabel"]), []))
            entry[1].append(Option(iri, text(row["label"]), key, linked))
        return [Group(key, label, tuple(opts)) for key, (label, opts) in found.items()]

    def _advice_table(self, rows: list[Row]) -> dict[str, list[Advice]]:
        table: dict[str, list[Advice]] = defaultdict(list)
        for row in rows:
            holder, item = text(row["holder"]), text(row["item"])
            edge = self.edge(holder, text(row["relation"]), item)
            table[text(row["cause"])].append(Advice(text(row["kind"]), item, holder, edge))
        return table

    def _conflict(self, row: Row) -> Conflict:
        item, helped, harmed = text(row["item"]), text(row["helped"]), text(row["harmed"])
        helps = self.edge(helped, text(row["helps"]), item)
        harms = self.edge(harmed, text(row["harms"]), item)
        return Conflict(item, helped, harmed, helps, harms)


def _path_order(path: Path) -> tuple[int, int, int]:
    """Asserted paths first, then shorter ones, then those with more quotes."""
    inferred = sum(e.how == "inferred" for e in path.edges)
    quotes = sum(len(e.evidence) for e in path.edges)
    return (inferred, len(path.edges), -quotes)


def _evidence_table(rows: list[Row]) -> dict[tuple[str, str, str], list[Row]]:
    table: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for row in rows:
        table[(text(row["s"]), text(row["p"]), text(row["o"]))].append(row)
    return table


def _unique_evidence(rows: list[Row]) -> list[Evidence]:
    seen: dict[tuple[str, str], Evidence] = {}
    for row in sorted(rows, key=lambda r: int(text(r["order"]) or 0)):
        key = (text(row["quote"]), text(row["section"]))
        seen.setdefault(key, Evidence(key[0], key[1], text(row["sectionLabel"])))
    return list(seen.values())
