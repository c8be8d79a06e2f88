"""Each competency question has a named query whose answers are exactly the expected set."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import namespaces as ns
from kg.paths import QUERIES_DIR

QUESTIONS = Path(__file__).parent.parent / "data" / "competency-questions.md"


def _questions() -> dict[str, list[str]]:
    text = QUESTIONS.read_text(encoding="utf-8")
    out = {}
    for number, body in re.findall(r"## Q(\d+)\..*?\n(.*?)(?=\n## |\Z)", text, re.S):
        answers = re.search(r"Expected answers: (.*)", body).group(1)
        out[number] = [a.strip() for a in answers.split(";")]
    return out


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _names(built, iri: str) -> set[str]:
    if iri.startswith(str(ns.SECTION)):
        sec = built.curated.article.sections[iri[len(str(ns.SECTION)) :]]
        return {_norm(sec.label)}
    entity = built.curated.entities[iri[len(ns.DEFAULT_BASE) :]]
    return {_norm(n) for n in (entity.label, *entity.synonyms, *entity.acronyms)}


def test_there_are_fifteen_questions():
    assert sorted(_questions()) == [f"{n:02d}" for n in range(1, 16)]


@pytest.mark.parametrize("number", sorted(_questions()))
def test_competency_question(built, store, number):
    files = sorted(QUERIES_DIR.glob(f"cq{number}-*.rq"))
    assert len(files) == 1, f"expected one queries/cq{number}-*.rq"
    rows = store.query(files[0].read_text(encoding="utf-8"), use_default_graph_as_union=True)
    items = sorted({row["item"].value for row in rows if isinstance(row["item"], ox.NamedNode)})
    expected = _questions()[number]
    names = {item: _names(built, item) for item in items}
    for answer in expected:
        matches = [item for item, n in names.items() if _norm(answer) in n]
        assert len(matches) == 1, f"Q{number}: {answer!r} matched {matches}"
    unexpected = [i for i, n in names.items() if not n & {_norm(a) for a in expected}]
    assert not unexpected, f"Q{number}: answers not in the expected set: {unexpected}"
