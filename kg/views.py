"""Flask-free view models of the browse pages, built from the named queries in
``queries/browse/`` and the per-process ``BrowseIndex``.

Views hold terms as ``Ref`` (kind, IRI, CURIE, label); the web layer turns a Ref into
a URL. Edge policy of the entity page: an edge is hidden when the same two entities
are linked by a more specific relation (``related to`` under ``worsened by``), and of
two edges that state one fact in both directions (an edge and its owl:inverseOf) only
one is shown: the asserted one, else the one that was not inferred by ``prp-inv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.views_index import BrowseIndex, ClaimRow, EdgeRow, Row, compact, local_name, text

SECTION_BASE = "https://w3id.org/legkg/section/"
MAX_QUERY = 200
_SAFE_IRI = re.compile(r"^[^\s<>\"{}|^`\\]+$")
SKOS = "http://www.w3.org/2004/02/skos/core#"
LEGKG = "https://w3id.org/legkg/"
DESCRIPTION = LEGKG + "articleDescription"

# SKOS mapping predicates as a reader says them ("the target is a broader term").
MAPPING_WORDS = {
    "exactMatch": "exact match",
    "closeMatch": "close match",
    "broadMatch": "broader term",
    "narrowMatch": "narrower term",
    "relatedMatch": "related term",
}


@dataclass(frozen=True)
class Ref:
    """Something a page links to: ``kind`` is entity, class, relation, section or external."""

    kind: str
    iri: str
    curie: str
    label: str


@dataclass
class Evidence:
    quote: str
    section: Ref
    start: int | None
    anchor: str
    direct: bool  # a claim of this very edge (False: a premise of an inferred edge)


@dataclass
class Edge:
    subject: Ref
    relation: Ref
    object: Ref
    sentence: str
    asserted: bool
    rule: str = ""
    explanation: str = ""
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class EdgeGroup:
    relation: Ref
    heading: str
    edges: list[Edge]


@dataclass
class TypeView:
    cls: Ref
    path: list[Ref]
    inferred: bool


@dataclass
class XrefGroup:
    terminology: str
    items: list[Ref]


@dataclass
class EntityPage:
    entity: Ref
    definition: str
    synonyms: list[str]
    acronyms: list[str]
    cause_number: int | None
    descriptions: list[str]
    types: list[TypeView]
    outgoing: list[EdgeGroup]
    incoming: list[EdgeGroup]
    xrefs: list[XrefGroup]
    editor_query: str


@dataclass
class RelationPage:
    relation: Ref
    definition: str
    sentence: str
    inverse_sentence: str
    inverse: Ref | None
    domain: list[Ref]
    range: list[Ref]
    parents: list[Ref]
    children: list[Ref]
    pairs: list[Edge]
    via_specific: int  # pairs it links only as a generalisation of a more specific relation


@dataclass
class ClassNode:
    cls: Ref
    count: int
    children: list[ClassNode]


@dataclass
class ClassPage:
    cls: Ref
    definition: str
    path: list[Ref]
    parents: list[Ref]
    children: list[ClassNode]
    members: list[Ref]


@dataclass
class SearchResult:
    entity: Ref
    type: str
    matched: str


@dataclass
class SearchPage:
    query: str
    message: str
    results: list[SearchResult]


@dataclass
class HomePage:
    title: str
    entity_count: int
    counts: list[ClassNode]
    causes: list[Ref]


class Views:
    """Builds every page's view model; one per process, read-only after load."""

    def __init__(self, index: BrowseIndex) -> None:
        self.index = index
        self.graph = index.graph
        self._refs: dict[str, Ref] = {}

    # ------------------------------------------------------------------ refs
    def ref(self, iri: str) -> Ref:
        """The Ref of an IRI (memoised: the graph is read-only)."""
        ref = self._refs.get(iri)
        if ref is None:
            ref = self._refs[iri] = self._make_ref(iri)
        return ref

    def _make_ref(self, iri: str) -> Ref:
        ix = self.index
        kind = "external"
        if iri in ix.entities:
            kind = "entity"
        elif iri in ix.relations:
            kind = "relation"
        elif iri in ix.classes:
            kind = "class"
        elif iri.startswith(SECTION_BASE):
            kind = "section"
        return Ref(kind, iri, compact(iri), ix.label(iri))

    def refs(self, iris: list[str]) -> list[Ref]:
        return sorted((self.ref(i) for i in iris), key=lambda r: r.label.lower())

    # ------------------------------------------------------------------ home
    def home(self, title: str) -> HomePage:
        ix = self.index
        causes = sorted(
            (e for e in ix.entities.values() if e.cause_number is not None),
            key=lambda e: (e.cause_number, e.label),
        )
        counts = [n for n in self.class_tree() if n.count]
        top = counts[0].children if len(counts) == 1 else counts
        return HomePage(title, len(ix.entities), top, [self.ref(e.iri) for e in causes])

    # ------------------------------------------------------------------ entity
    def entity(self, iri: str) -> EntityPage | None:
        info = self.index.entities.get(iri)
        if info is None:
            return None
        edges = self._edges(self.index.edges_of.get(iri, []))
        outgoing, incoming = self._split(edges, iri)
        literals = self.graph.select("entity-literals", entity=iri)
        return EntityPage(
            entity=self.ref(iri),
            definition=info.definition,
            synonyms=info.synonyms,
            acronyms=info.acronyms,
            cause_number=info.cause_number,
            descriptions=sorted(text(r["value"]) for r in literals if _is(r, DESCRIPTION)),
            types=self._types(info.types, info.inferred_types),
            outgoing=self._group(outgoing, outgoing=True),
            incoming=self._group(incoming, outgoing=False),
            xrefs=self._xrefs(iri),
            editor_query=self.editor_query(iri),
        )

    def editor_query(self, iri: str) -> str:
        """The neighbourhood query for the SPARQL editor, bound with a trailing VALUES."""
        body = self.graph.queries["editor-entity"].text
        lines = [line for line in body.splitlines() if not line.startswith("# @")]
        target = iri if _SAFE_IRI.match(iri) else LEGKG
        return "\n".join(lines).strip() + f"\nVALUES ?entity {{ <{target}> }}\n"

    def _types(self, asserted: list[str], inferred: list[str]) -> list[TypeView]:
        ix = self.index
        shown = ix.most_specific(asserted) or ix.most_specific(inferred)
        extra = [c for c in ix.most_specific([*asserted, *inferred]) if c not in shown]
        views = []
        for cls in [*shown, *extra]:
            path = [self.ref(c) for c in ix.class_path(cls)]
            views.append(TypeView(self.ref(cls), path, cls not in asserted))
        return views

    def _xrefs(self, iri: str) -> list[XrefGroup]:
        """Cross-references grouped by terminology, the SKOS predicate in words."""
        groups: dict[str, list[Ref]] = {}
        for row in self.graph.select("entity-xrefs", entity=iri):
            target = text(row["target"])
            short = _external_curie(target)
            label = text(row["targetLabel"]) or short
            mapping = MAPPING_WORDS.get(local_name(text(row["mapping"])), "related term")
            terminology = short.split(":", 1)[0] if ":" in short else "other"
            groups.setdefault(terminology, []).append(Ref(mapping, target, short, label))
        return [
            XrefGroup(t, sorted(items, key=lambda r: r.curie))
            for t, items in sorted(groups.items())
        ]

    # ------------------------------------------------------------------ edges
    def _edges(self, rows: list[EdgeRow]) -> list[Edge]:
        """Edge views with evidence, minus generalisations of a more specific edge."""
        return [self._edge(r) for r in rows if not self.index.is_redundant(r)]

    def _edge(self, row: EdgeRow) -> Edge:
        info = self.index.relations[row.relation]
        edge = Edge(
            self.ref(row.subject), self.ref(row.relation), self.ref(row.object),
            info.sentence, row.asserted, row.rule, row.why,
        )  # fmt: skip
        seen: set[tuple[str, str]] = set()
        for claim, direct in self.index.evidence(row):
            if (claim.quote, claim.section) not in seen:
                seen.add((claim.quote, claim.section))
                edge.evidence.append(self._evidence(claim, direct))
        return edge

    def _evidence(self, claim: ClaimRow, direct: bool) -> Evidence:
        section = claim.section
        anchor = f"q-{claim.start}" if claim.start is not None else f"sec-{local_name(section)}"
        ref = Ref("section", section, compact(section), self.index.label(section))
        return Evidence(claim.quote, ref, claim.start, anchor, direct)

    def _split(self, edges: list[Edge], focus: str) -> tuple[list[Edge], list[Edge]]:
        """Outgoing and incoming edges, keeping one edge of each inverse pair."""
        ix = self.index
        keys = {(e.subject.iri, e.relation.iri, e.object.iri): e for e in edges}
        kept = []
        for edge in edges:
            inverse = ix.relations[edge.relation.iri].inverse
            twin = keys.get((edge.object.iri, inverse, edge.subject.iri)) if inverse else None
            if twin is None or twin is edge or _prefer(edge, twin, focus):
                kept.append(edge)
        outgoing = [e for e in kept if e.subject.iri == focus]
        incoming = [e for e in kept if e.subject.iri != focus]
        return outgoing, incoming

    def _group(self, edges: list[Edge], outgoing: bool) -> list[EdgeGroup]:
        groups: dict[str, list[Edge]] = {}
        for edge in edges:
            groups.setdefault(edge.relation.iri, []).append(edge)
        result = []
        for rel, items in groups.items():
            info = self.index.relations[rel]
            heading = info.sentence if outgoing else info.label
            other = (lambda e: e.object.label) if outgoing else (lambda e: e.subject.label)
            items.sort(key=lambda e: (not e.asserted, other(e).lower()))
            result.append(EdgeGroup(self.ref(rel), heading, items))
        return sorted(result, key=lambda g: (not any(e.asserted for e in g.edges), g.heading))

    # ------------------------------------------------------------------ relation
    def relation(self, iri: str) -> RelationPage | None:
        info = self.index.relations.get(iri)
        if info is None:
            return None
        rows = self.index.edges_by_relation.get(iri, [])
        pairs = self._edges(rows)
        pairs.sort(key=lambda e: (not e.asserted, e.subject.label.lower(), e.object.label))
        children = [r.iri for r in self.index.relations.values() if iri in r.parents]
        return RelationPage(
            relation=self.ref(iri),
            definition=info.definition,
            sentence=info.sentence,
            inverse_sentence=info.inverse_sentence,
            inverse=self.ref(info.inverse) if info.inverse else None,
            domain=self.refs(info.domain),
            range=self.refs(info.range),
            parents=self.refs(info.parents),
            children=self.refs(children),
            pairs=pairs,
            via_specific=len(rows) - len(pairs),
        )

    # ------------------------------------------------------------------ classes
    def class_tree(self) -> list[ClassNode]:
        ix = self.index
        roots = [c for c in ix.classes.values() if not any(p in ix.classes for p in c.parents)]
        roots.sort(key=lambda c: (c.iri != LEGKG + "Entity", c.label))
        return [self._node(c.iri, set()) for c in roots]

    def _node(self, iri: str, seen: set[str]) -> ClassNode:
        info = self.index.classes[iri]
        seen = seen | {iri}
        kids = [self._node(c, seen) for c in info.children if c not in seen]
        return ClassNode(self.ref(iri), len(info.members), kids)

    def cls(self, iri: str) -> ClassPage | None:
        info = self.index.classes.get(iri)
        if info is None:
            return None
        node = self._node(iri, set())
        return ClassPage(
            cls=self.ref(iri),
            definition=info.definition,
            path=[self.ref(c) for c in self.index.class_path(iri)],
            parents=self.refs(info.parents),
            children=node.children,
            members=self.refs(info.members),
        )

    # ------------------------------------------------------------------ search
    def search(self, query: str, limit: int = 20) -> SearchPage:
        query = query.strip()
        if not query:
            return SearchPage(query, "Type a name, a synonym or an acronym, e.g. PAD.", [])
        if len(query) > MAX_QUERY:
            return SearchPage(
                query[:MAX_QUERY], f"The query is longer than {MAX_QUERY} characters.", []
            )
        results = [self._result(h.key, h.matched) for h in self.index.search.search(query, limit)]
        message = "" if results else f"Nothing matches “{query}”."
        return SearchPage(query, message, results)

    def suggest(self, prefix: str, limit: int = 8) -> list[SearchResult]:
        prefix = prefix.strip()[:MAX_QUERY]
        return [self._result(h.key, h.matched) for h in self.index.search.suggest(prefix, limit)]

    def _result(self, iri: str, matched: str) -> SearchResult:
        info = self.index.entities[iri]
        types = self.index.most_specific(info.types) or info.types
        kind = ", ".join(self.index.label(t) for t in types)
        return SearchResult(self.ref(iri), kind, matched)


def _prefer(edge: Edge, twin: Edge, focus: str) -> bool:
    """Of an edge and its inverse twin, is ``edge`` the one to show?"""
    if edge.asserted != twin.asserted:
        return edge.asserted
    if (edge.rule == "prp-inv") != (twin.rule == "prp-inv"):
        return twin.rule == "prp-inv"
    return (
        edge.subject.iri == focus
        if focus in (edge.subject.iri, twin.subject.iri)
        else (edge.subject.iri < twin.subject.iri)
    )


def _is(row: Row, predicate: str) -> bool:
    return text(row["property"]) == predicate


def _external_curie(iri: str) -> str:
    try:
        from kg.curie import compress

        short = compress(iri)
    except Exception:  # an IRI outside the prefix map keeps its full form
        return iri
    return short or iri
