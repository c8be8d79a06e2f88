"""Server-rendered SVG picture of an entity's neighbourhood: the entity in the middle,
its neighbours on a circle, one line per neighbour labelled with the relations.

Pure string building with every text and attribute escaped here, so the markup can be
inlined in a page; no script, no external resources.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

MAX_NEIGHBOURS = 14
LABEL_CHARS = 26


@dataclass
class Neighbour:
    label: str
    href: str | None
    relations: list[str] = field(default_factory=list)  # sentence forms, as read from centre
    outgoing: bool = True
    inferred: bool = True  # every edge to it inferred


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text(x: float, y: float, body: str, cls: str, anchor: str = "middle") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{cls}">'
        f"{escape(body)}</text>"
    )


def _link(href: str | None, inner: str, title: str) -> str:
    tip = f"<title>{escape(title)}</title>"
    if not href:
        return f"<g>{tip}{inner}</g>"
    return f"<a href={quoteattr(href)}>{tip}{inner}</a>"


def neighbourhood_svg(centre: str, neighbours: list[Neighbour], size: int = 640) -> str:
    """An accessible inline SVG (role=img, title, description)."""
    shown = neighbours[:MAX_NEIGHBOURS]
    hidden = len(neighbours) - len(shown)
    mid = size / 2
    radius = size / 2 - 90 if shown else 0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'class="neighbourhood" role="img" aria-labelledby="nbh-title nbh-desc">',
        f'<title id="nbh-title">Neighbourhood of {escape(centre)}</title>',
        f'<desc id="nbh-desc">{escape(_description(centre, neighbours))}</desc>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>',
    ]
    for i, nb in enumerate(shown):
        angle = 2 * math.pi * i / max(len(shown), 1) - math.pi / 2
        parts.append(_spoke(mid, radius, angle, nb))
    parts.append(f'<circle cx="{mid}" cy="{mid}" r="46" class="centre"/>')
    parts.append(_text(mid, mid + 5, _short(centre, 22), "centre-label"))
    if hidden:
        parts.append(_text(mid, size - 12, f"and {hidden} more (listed below)", "more"))
    parts.append("</svg>")
    return "".join(parts)


def _spoke(mid: float, radius: float, angle: float, nb: Neighbour) -> str:
    x, y = mid + radius * math.cos(angle), mid + radius * math.sin(angle)
    sx, sy = mid + 48 * math.cos(angle), mid + 48 * math.sin(angle)
    ex, ey = x - 30 * math.cos(angle), y - 30 * math.sin(angle)
    marker = 'marker-end="url(#arrow)"' if nb.outgoing else 'marker-start="url(#arrow)"'
    style = "edge inferred" if nb.inferred else "edge"
    relation = _short(", ".join(nb.relations), 30)
    lx, ly = (sx + ex) / 2, (sy + ey) / 2 - 4
    label_y = y + 44 if math.sin(angle) >= -0.2 else y - 36
    inner = (
        f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" class="{style}" {marker}/>'
        + _text(lx, ly, relation, "edge-label")
        + f'<circle cx="{x:.1f}" cy="{y:.1f}" r="28" class="node"/>'
        + _text(x, label_y, _short(nb.label), "node-label")
    )
    title = f"{', '.join(nb.relations)}: {nb.label}"
    return _link(nb.href, inner, title)


def _description(centre: str, neighbours: list[Neighbour]) -> str:
    if not neighbours:
        return f"{centre} has no relationships in the graph."
    items = "; ".join(f"{', '.join(n.relations)} {n.label}" for n in neighbours[:MAX_NEIGHBOURS])
    return f"{centre}: {items}."
