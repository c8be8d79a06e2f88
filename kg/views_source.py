"""View model of the article page: sections in order, each cut into segments so that
every quoted passage is highlighted, anchored (``q-<offset>``) and followed by links to
the entities it supports."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.views import Ref, Views
from kg.views_index import compact, local_name, text


@dataclass
class Passage:
    quote: str
    anchor: str
    entities: list[Ref] = field(default_factory=list)
    relations: list[Ref] = field(default_factory=list)


@dataclass
class Segment:
    text: str
    marked: bool
    anchors: list[str] = field(default_factory=list)  # quotes starting here
    closes: list[Passage] = field(default_factory=list)  # quotes ending here


@dataclass
class SectionView:
    section: Ref
    anchor: str
    title: str
    depth: int
    segments: list[Segment]
    passages: int


@dataclass
class SourcePage:
    title: str
    sections: list[SectionView]
    passages: int


def source_page(views: Views, title: str) -> SourcePage:
    """The article with its evidence passages (built once per process by the caller)."""
    passages = _passages(views)
    sections = []
    for row in views.graph.select("source-sections"):
        iri = text(row["section"])
        body = text(row["text"])
        found = passages.get(iri, {})
        ref = Ref("section", iri, compact(iri), text(row["label"]) or local_name(iri))
        depth = 1 if row["parent"] is not None else 0
        segments = _segments(body, list(found.values()))
        sections.append(
            SectionView(
                ref, f"sec-{local_name(iri)}", text(row["title"]), depth, segments, len(found)
            )
        )
    _unique_anchors(sections)
    total = sum(s.passages for s in sections)
    return SourcePage(title, sections, total)


def _passages(views: Views) -> dict[str, dict[str, Passage]]:
    """section IRI -> quote -> passage with the entities and relations it backs."""
    out: dict[str, dict[str, Passage]] = {}
    for claim in views.index.claims:
        start = claim.start
        anchor = f"q-{start}" if start is not None else f"sec-{local_name(claim.section)}"
        passage = out.setdefault(claim.section, {}).setdefault(
            claim.quote, Passage(claim.quote, anchor)
        )
        subject, relation, obj = (views.ref(i) for i in claim.triple)
        for ref in (subject, obj):
            if ref.kind == "entity" and ref not in passage.entities:
                passage.entities.append(ref)
        if relation not in passage.relations:
            passage.relations.append(relation)
    for by_quote in out.values():
        for passage in by_quote.values():
            passage.entities.sort(key=lambda r: r.label.lower())
    return out


def _segments(body: str, passages: list[Passage]) -> list[Segment]:
    """Cut ``body`` at every quote start and end; mark the covered stretches."""
    spans = []
    for passage in passages:
        at = body.find(passage.quote)
        if at >= 0 and passage.quote:
            spans.append((at, at + len(passage.quote), passage))
    cuts = sorted({0, len(body), *(a for a, _, _ in spans), *(b for _, b, _ in spans)})
    segments = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covered = any(s <= a and b <= e for s, e, _ in spans)
        anchors = [p.anchor for s, _, p in spans if s == a]
        closes = [p for _, e, p in spans if e == b]
        segments.append(Segment(body[a:b], covered, anchors, closes))
    if not segments and body:
        segments.append(Segment(body, False))
    return segments


def _unique_anchors(sections: list[SectionView]) -> None:
    """Keep the first element per anchor id: two quotes may start at the same offset."""
    seen = {s.anchor for s in sections}
    for section in sections:
        for segment in section.segments:
            fresh = [a for a in dict.fromkeys(segment.anchors) if a not in seen]
            seen.update(fresh)
            segment.anchors = fresh
