"""What the browse pages precompute once per process: labels, entities, classes, relations,
the search index. Everything is read with the named queries of ``queries/browse/``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from kg.namespaces import PREFIXES
from kg.paths import QUERIES_DIR
from kg.queries import NamedQuery, load_registry
from kg.search import SearchIndex
from kg.store import Store, Term

BROWSE_QUERIES = QUERIES_DIR / "browse"
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: len(item[1]), reverse=True)
Row = dict[str, Term | None]


def compact(iri: str) -> str:
    """``prefix:local`` for an IRI in a legkg or W3C namespace, else the IRI itself."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def local_name(iri: str) -> str:
    return iri.rstrip("/#").replace("#", "/").rsplit("/", 1)[-1]


def text(term: Term | None) -> str:
    """The lexical value of a term ('' for unbound)."""
    return "" if term is None else str(term.value)


def truthy(term: Term | None) -> bool:
    return term is not None and text(term) in ("true", "1")


class Graph:
    """Runs the browse queries (parsed from disk once) against the read-only store."""

    def __init__(self, store: Store, directory: Path = BROWSE_QUERIES) -> None:
        self.store = store
        self.queries: dict[str, NamedQuery] = load_registry(directory)

    def select(self, name: str, **bindings: str) -> list[Row]:
        """Rows of a SELECT query as dicts; keyword values are IRIs bound to parameters."""
        query = self.queries[name]
        terms = {k: ox.NamedNode(v) for k, v in bindings.items()}
        result = self.store.query(query.text, bindings=terms)
        names = result.variables
        return [dict(zip(names, row, strict=True)) for row in result.rows or ()]

    def construct(self, name: str, **bindings: str) -> list[ox.Triple]:
        query = self.queries[name]
        terms = {k: ox.NamedNode(v) for k, v in bindings.items()}
        return list(self.store.query(query.text, bindings=terms).triples or ())


@dataclass
class EntityInfo:
    iri: str
    curie: str
    label: str
    definition: str = ""
    cause_number: int | None = None
    synonyms: list[str] = field(default_factory=list)
    acronyms: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)  # asserted classes
    inferred_types: list[str] = field(default_factory=list)


@dataclass
class ClassInfo:
    iri: str
    curie: str
    label: str
    definition: str = ""
    parents: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)  # entities typed with it (any source)


@dataclass
class RelationInfo:
    iri: str
    curie: str
    label: str
    definition: str = ""
    sentence: str = ""
    inverse_sentence: str = ""
    inverse: str | None = None
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    symmetric: bool = False
    supers: set[str] = field(default_factory=set)  # transitive, excluding itself


@dataclass(frozen=True)
class ClaimRow:
    """One evidence claim: the quote of the article that states a triple."""

    iri: str
    triple: tuple[str, str, str]
    quote: str
    start: int | None
    section: str


@dataclass(frozen=True)
class EdgeRow:
    """One relationship between entities, with the explanation when it was inferred."""

    subject: str
    relation: str
    object: str
    asserted: bool
    rule: str = ""
    why: str = ""


class BrowseIndex:
    """Per-process lookup tables for the pages; build with ``BrowseIndex.load``."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.labels: dict[str, str] = {}
        self.entities: dict[str, EntityInfo] = {}
        self.classes: dict[str, ClassInfo] = {}
        self.relations: dict[str, RelationInfo] = {}
        self.edges_of: dict[str, list[EdgeRow]] = {}  # entity -> edges from or to it
        self.edges_by_relation: dict[str, list[EdgeRow]] = {}
        self.claims: list[ClaimRow] = []
        self.claims_of: dict[tuple[str, str, str], list[ClaimRow]] = {}
        self._claim_by_iri: dict[str, ClaimRow] = {}
        self._premises: dict[str, list[str]] = {}
        self._inference_of: dict[tuple[str, str, str], str] = {}
        self._grounds: dict[str, list[ClaimRow]] = {}
        self.edge_keys: set[tuple[str, str, str]] = set()
        self.subrelations: dict[str, set[str]] = {}  # relation -> strict sub-relations

    @classmethod
    def load(cls, store: Store) -> BrowseIndex:
        index = cls(Graph(store))
        index._load_labels()
        index._load_classes()
        index._load_relations()
        index._load_entities()
        index._load_evidence()
        index._load_edges()
        return index

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or local_name(iri)

    def _load_labels(self) -> None:
        for row in self.graph.select("index-labels"):
            self.labels.setdefault(text(row["thing"]), text(row["label"]))

    def _load_classes(self) -> None:
        for row in self.graph.select("index-classes"):
            iri = text(row["class"])
            info = self.classes.setdefault(iri, ClassInfo(iri, compact(iri), self.label(iri)))
            info.definition = info.definition or text(row["definition"])
            parent = text(row["parent"])
            if parent and parent not in info.parents:
                info.parents.append(parent)
        for info in self.classes.values():
            for parent in info.parents:
                if parent in self.classes:
                    self.classes[parent].children.append(info.iri)
        for info in self.classes.values():
            info.children.sort(key=self.label)

    def _load_relations(self) -> None:
        for row in self.graph.select("index-relations"):
            iri = text(row["relation"])
            info = self.relations.setdefault(iri, RelationInfo(iri, compact(iri), self.label(iri)))
            info.definition = info.definition or text(row["definition"])
            info.sentence = info.sentence or text(row["sentence"])
            info.inverse_sentence = info.inverse_sentence or text(row["inverseSentence"])
            info.inverse = info.inverse or (text(row["inverse"]) or None)
            info.symmetric = info.symmetric or truthy(row["symmetric"])
            for key, values in (("domain", info.domain), ("range", info.range)):
                _add(values, text(row[key]))
            _add(info.parents, text(row["parent"]))
        for info in self.relations.values():
            info.supers = _closure(info.iri, lambda r: self._parents(r))
            info.sentence = info.sentence or info.label
            if info.symmetric and info.inverse is None:
                info.inverse = info.iri
            for parent in info.supers:
                self.subrelations.setdefault(parent, set()).add(info.iri)

    def _parents(self, iri: str) -> Iterable[str]:
        info = self.relations.get(iri)
        return info.parents if info else ()

    def _load_entities(self) -> None:
        for row in self.graph.select("index-entities"):
            iri = text(row["entity"])
            cause = text(row["cause"])
            self.entities[iri] = EntityInfo(
                iri, compact(iri), text(row["label"]) or local_name(iri),
                text(row["definition"]), int(cause) if cause.isdigit() else None,
            )  # fmt: skip
        for row in self.graph.select("index-names"):
            info = self.entities.get(text(row["entity"]))
            if info is not None:
                target = info.acronyms if text(row["kind"]) == "acronym" else info.synonyms
                _add(target, text(row["name"]))
        for row in self.graph.select("index-types"):
            self._add_type(text(row["entity"]), text(row["type"]), truthy(row["asserted"]))
        for info in self.entities.values():
            for values in (info.synonyms, info.acronyms, info.types, info.inferred_types):
                values.sort()

    def _add_type(self, entity: str, cls: str, asserted: bool) -> None:
        info = self.entities.get(entity)
        if info is None:
            return
        _add(info.types if asserted else info.inferred_types, cls)
        if cls in self.classes:
            _add(self.classes[cls].members, entity)

    def _load_evidence(self) -> None:
        for row in self.graph.select("index-claims"):
            start = text(row["start"])
            claim = ClaimRow(
                text(row["claim"]),
                (text(row["subject"]), text(row["relation"]), text(row["object"])),
                text(row["quote"]), int(start) if start.lstrip("-").isdigit() else None,
                text(row["section"]),
            )  # fmt: skip
            self.claims.append(claim)
            self._claim_by_iri[claim.iri] = claim
            self.claims_of.setdefault(claim.triple, []).append(claim)
        for row in self.graph.select("index-premises"):
            self._premises.setdefault(text(row["inference"]), []).append(text(row["premise"]))

    def _load_edges(self) -> None:
        why: dict[tuple[str, str, str], tuple[str, str]] = {}
        for row in self.graph.select("index-inferences"):
            key = (text(row["subject"]), text(row["relation"]), text(row["object"]))
            why[key] = (text(row["rule"]), text(row["why"]))
            self._inference_of[key] = text(row["inference"])
        for row in self.graph.select("index-edges"):
            s, p, o = text(row["subject"]), text(row["relation"]), text(row["object"])
            if p not in self.relations or o not in self.entities:
                continue
            rule, reason = why.get((s, p, o), ("", ""))
            edge = EdgeRow(s, p, o, truthy(row["asserted"]), rule, reason)
            self.edges_of.setdefault(s, []).append(edge)
            if o != s:
                self.edges_of.setdefault(o, []).append(edge)
            self.edges_by_relation.setdefault(p, []).append(edge)
            self.edge_keys.add((s, p, o))

    def is_redundant(self, edge: EdgeRow) -> bool:
        """True for an inferred edge when a more specific relation links the same two
        entities the same way (asserted edges are always shown)."""
        if edge.asserted:
            return False
        subs = self.subrelations.get(edge.relation, ())
        return any((edge.subject, q, edge.object) in self.edge_keys for q in subs)

    def evidence(self, edge: EdgeRow) -> list[tuple[ClaimRow, bool]]:
        """Claims of the edge itself (direct) or, for an inferred one, of its premises."""
        key = (edge.subject, edge.relation, edge.object)
        direct = self.claims_of.get(key, [])
        if direct:
            return [(c, True) for c in direct]
        inference = self._inference_of.get(key)
        return [(c, False) for c in self._grounds_of(inference)] if inference else []

    def _grounds_of(self, inference: str) -> list[ClaimRow]:
        """Every claim an inference rests on, through chains of premises (memoised)."""
        if inference in self._grounds:
            return self._grounds[inference]
        self._grounds[inference] = []  # guards against a premise cycle
        found: list[ClaimRow] = []
        for premise in self._premises.get(inference, ()):
            claim = self._claim_by_iri.get(premise)
            for c in [claim] if claim else self._grounds_of(premise):
                if c not in found:
                    found.append(c)
        self._grounds[inference] = found
        return found

    @cached_property
    def search(self) -> SearchIndex:
        names = []
        for info in self.entities.values():
            names.append((info.iri, info.label, "label"))
            names.extend((info.iri, a, "acronym") for a in info.acronyms)
            names.extend((info.iri, s, "synonym") for s in info.synonyms)
        return SearchIndex(names)

    def class_path(self, cls: str) -> list[str]:
        """Root-first chain of first parents down to ``cls``."""
        path, seen = [cls], {cls}
        while True:
            info = self.classes.get(path[0])
            parent = next((p for p in info.parents if p in self.classes), None) if info else None
            if parent is None or parent in seen:
                return path
            path.insert(0, parent)
            seen.add(parent)

    def most_specific(self, classes: Iterable[str]) -> list[str]:
        """The given classes minus any that is an ancestor of another given class."""
        given = [c for c in classes if c in self.classes]
        ancestors = {a for c in given for a in self.class_path(c)[:-1]}
        return sorted((c for c in given if c not in ancestors), key=self.label)


def _add(values: list[str], value: str) -> None:
    if value and value not in values:
        values.append(value)


def _closure(start: str, step) -> set[str]:
    seen: set[str] = set()
    todo = list(step(start))
    while todo:
        item = todo.pop()
        if item not in seen and item != start:
            seen.add(item)
            todo.extend(step(item))
    return seen
