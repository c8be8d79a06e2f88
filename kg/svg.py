"""Server-rendered SVG picture of an entity's neighbourhood: the entity in the middle,
its neighbours on a circle, one line per neighbour labelled with the relations.

Pure string building with every text and attribute escaped here, so the markup can be
inlined in a page; no script, no external resources.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

MAX_NEIGHBOURS = 18
LABEL_CHARS = 26


@dataclass
class Neighbour:
    label: str
    href: str | None
    relations: list[str] = field(default_factory=list)  # sentence forms, as read from centre
    outgoing: bool = True
    inferred: bool = True  # every edge to it inferred


def _esc(text: str) -> str:
    """Text content escaped, quotes included (so it is safe in any position)."""
    return escape(text, {'"': "&#34;", "'": "&#39;"})


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _text(x: float, y: float, body: str, cls: str, anchor: str = "middle") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{cls}">{_esc(body)}</text>'


def _link(href: str | None, inner: str, title: str) -> str:
    tip = f"<title>{_esc(title)}</title>"
    if not href:
        return f"<g>{tip}{inner}</g>"
    return f"<a href={quoteattr(href)}>{tip}{inner}</a>"


_RULES = (
    ".edge{stroke:#2e7d32;stroke-width:1.6}",
    ".edge.inferred{stroke:#8a6d00;stroke-dasharray:6 4}",
    ".node{fill:#e8eef9;stroke:#1a5fb4;stroke-width:2}",
    ".centre{fill:#1a5fb4}",
    "text{font-family:system-ui,sans-serif}",
    ".centre-label{fill:#fff;font-size:13px;font-weight:600}",
    ".node-label{font-size:13px;fill:#111}",
    ".edge-label{font-size:11px;fill:#555}",
    ".more{font-size:12px;fill:#555}",
    "marker path{fill:#555}",
    "a:hover .node,a:focus .node{fill:#c7d7f5}",
)
# Scoped to the picture: the SVG is inlined into pages whose own classes must not change.
STYLE = "".join(f"svg.neighbourhood {rule}" for rule in _RULES)


def neighbourhood_svg(centre: str, neighbours: list[Neighbour], size: int = 700) -> str:
    """An accessible, self-contained inline SVG (role=img, title, description, own CSS)."""
    shown = neighbours[:MAX_NEIGHBOURS]
    hidden = len(neighbours) - len(shown)
    mid, width = size / 2, size + 240  # room left and right for labels
    outer = size / 2 - 90
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-120 0 {width} {size}" '
        f'class="neighbourhood" role="img" aria-labelledby="nbh-title nbh-desc">',
        f'<title id="nbh-title">Neighbourhood of {_esc(centre)}</title>',
        f'<desc id="nbh-desc">{_esc(_description(centre, neighbours))}</desc>',
        f"<style>{STYLE}</style>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/>'
        "</marker></defs>",
    ]
    staggered = len(shown) > 8  # alternate two rings so that labels do not collide
    for i, nb in enumerate(shown):
        angle = 2 * math.pi * i / max(len(shown), 1) - math.pi / 2
        radius = outer * (0.62 if staggered and i % 2 else 1.0)
        parts.append(_spoke(mid, radius, angle, nb))
    parts.append(f'<circle cx="{mid}" cy="{mid}" r="52" class="centre"/>')
    lines = _wrap(centre)
    for n, line in enumerate(lines):
        parts.append(_text(mid, mid + 5 + 16 * (n - (len(lines) - 1) / 2), line, "centre-label"))
    if hidden:
        parts.append(_text(mid, size - 10, f"and {hidden} more (listed above)", "more"))
    parts.append("</svg>")
    return "".join(parts)


def _spoke(mid: float, radius: float, angle: float, nb: Neighbour) -> str:
    cos, sin = math.cos(angle), math.sin(angle)
    x, y = mid + radius * cos, mid + radius * sin
    sx, sy = mid + 54 * cos, mid + 54 * sin
    ex, ey = x - 11 * cos, y - 11 * sin
    marker = 'marker-end="url(#arrow)"' if nb.outgoing else 'marker-start="url(#arrow)"'
    style = "edge inferred" if nb.inferred else "edge"
    anchor = "start" if cos > 0.35 else "end" if cos < -0.35 else "middle"
    tx = x + 14 * cos
    ty = y + (22 if sin > 0.35 else -18 if sin < -0.35 else 4)
    inner = (
        f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" class="{style}" {marker}/>'
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" class="node"/>'
        + _text(tx, ty, _short(nb.label), "node-label", anchor)
        + _text(tx, ty + 14, _short(", ".join(nb.relations), 30), "edge-label", anchor)
    )
    title = f"{', '.join(nb.relations)}: {nb.label}"
    return _link(nb.href, inner, title)


def _wrap(label: str, width: int = 13, most: int = 3) -> list[str]:
    """The centre label in up to ``most`` short lines."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > most:
        lines = [*lines[: most - 1], _short(" ".join(lines[most - 1 :]), width)]
    return [_short(line, width + 2) for line in lines] or [""]


def _description(centre: str, neighbours: list[Neighbour]) -> str:
    if not neighbours:
        return f"{centre} has no relationships in the graph."
    items = "; ".join(f"{', '.join(n.relations)} {n.label}" for n in neighbours[:MAX_NEIGHBOURS])
    return f"{centre}: {items}."
