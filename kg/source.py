"""The source article, split into the sections that evidence quotes point to.

Sections are derived from the text itself (headings, bullets, "Question N:",
"Tip N:"), so the coverage test never depends on a hand-kept list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SOURCE_FILE = Path(__file__).parent / "sources" / "why-leg-hurts-when-lying-down.txt"
ARTICLE_TITLE = "9+ Reasons Why Leg Hurts When I Lay Down [Explained]"

_CAUSE = re.compile(r"^(\d+)\. (.+)$")
_BULLET = re.compile(r"^\s+• (.+)$")
_QUESTION = re.compile(r"^Question (\d+): (.+)$")
_TIP = re.compile(r"^Tip (\d+): (.+)$")
_FAQ_HEADING = "Frequently Asked Questions"
_TIPS_HEADING = "Tips for Managing"
_CONCLUSION_HEADING = "Understanding Lower Extremity Discomfort"


@dataclass
class Section:
    """One passage of the article: a cause, a bullet, an FAQ answer, a tip..."""

    id: str
    label: str
    title: str
    parent: str | None
    order: int
    kind: str
    spans: list[tuple[int, int]]  # (start, end) offsets of its paragraphs in the text

    def text(self, source: str) -> str:
        return "\n\n".join(source[a:b] for a, b in self.spans)

    def find(self, source: str, quote: str) -> int | None:
        """Offset of ``quote`` in this section (in the whole text), or None."""
        for a, b in self.spans:
            at = source.find(quote, a, b)
            if at >= 0:
                return at
        return None


@dataclass
class Article:
    title: str
    text: str
    sections: dict[str, Section]

    def section_text(self, section_id: str) -> str:
        return self.sections[section_id].text(self.text)


def _paragraphs(text: str):
    """Yield (start, end, stripped line) for every non-blank line."""
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            yield pos + lead, pos + lead + len(stripped), line.rstrip("\n")
        pos += len(line)


class _Builder:
    def __init__(self) -> None:
        self.sections: dict[str, Section] = {}
        self.current: Section | None = None
        self.cause: Section | None = None
        self.group: Section | None = None  # FAQ or Tips

    def open(self, sid, label, title, parent, kind, heading_span=None) -> Section:
        sec = Section(sid, label, title, parent, len(self.sections) + 1, kind, [])
        if heading_span:
            sec.spans.append(heading_span)
        self.sections[sid] = sec
        self.current = sec
        return sec

    def add(self, span: tuple[int, int]) -> None:
        assert self.current is not None
        self.current.spans.append(span)


def _parse(text: str) -> dict[str, Section]:
    b = _Builder()
    lines = list(_paragraphs(text))
    b.open("title", "Title", ARTICLE_TITLE, None, "title", (lines[0][0], lines[0][1]))
    b.open("intro", "Introduction", "Introduction", None, "introduction")
    single_paragraph = False  # FAQ answers and tips are one paragraph each
    for start, end, raw in lines[1:]:
        line = raw.strip()
        span = (start, end)
        if line == ARTICLE_TITLE:
            b.sections["title"].spans.append(span)
            continue
        if m := _CAUSE.match(line):
            n, name = m.groups()
            b.cause = b.open(f"c{n}", f"{n} {name}", name, None, "cause", span)
            b.bullets = 0
            continue
        if (m := _BULLET.match(raw)) and b.cause is not None:
            b.bullets += 1
            sid = f"{b.cause.id}.{b.bullets}"
            b.open(sid, f"{b.cause.label} / {m.group(1)}", m.group(1), b.cause.id, "bullet", span)
            continue
        if line == _FAQ_HEADING or line.startswith(_TIPS_HEADING):
            faq = line == _FAQ_HEADING
            sid, label = ("faq", "FAQ") if faq else ("tips", "Tips")
            b.group = b.open(sid, label, line, None, sid, span)
            b.cause = None
            continue
        if line.startswith(_CONCLUSION_HEADING):
            b.open("conclusion", "Conclusion", line, None, "conclusion", span)
            b.group = None
            continue
        if (m := _QUESTION.match(line)) or (m := _TIP.match(line)):
            n, title = m.groups()
            faq = line.startswith("Question")
            sid, label = (f"faq{n}", f"FAQ {n}") if faq else (f"tip{n}", f"Tip {n}")
            b.open(sid, label, title, b.group.id, "faq-answer" if faq else "tip", span)
            single_paragraph = True
            continue
        if single_paragraph:
            b.add(span)
            single_paragraph = False
            b.current = b.group
            continue
        if not raw.startswith(" ") and b.current is not None and b.current.kind == "bullet":
            b.current = b.sections[b.current.parent]  # closing summary of a cause
        b.add(span)
    return b.sections


@cache
def load_article(path: Path = SOURCE_FILE) -> Article:
    """Parse the committed article into its sections."""
    text = path.read_text(encoding="utf-8")
    return Article(ARTICLE_TITLE, text, _parse(text))
