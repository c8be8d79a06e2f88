"""`legkg check`: passes on the real data, fails naming the row on seeded problems."""

from __future__ import annotations

from rdflib import Literal

from kg import namespaces as ns
from kg.build import build
from kg.checks import run_checks, violation_queries
from kg.hermit import hermit_consistency
from kg.namespaces import LEGKG


def test_real_data_passes_every_check(built):
    report = run_checks(built, with_hermit=True)
    assert report.ok, report.render()
    assert list(report.results) == ["shacl", "violation queries", "hermit consistency"]


def test_every_section_backs_an_edge_and_every_quote_is_verbatim(built):
    article = built.curated.article
    quoted = {e.section for e in built.curated.edges}
    assert quoted == set(article.sections)
    for edge in built.curated.edges:
        assert edge.quote in article.section_text(edge.section)
        assert article.text[edge.quote_start : edge.quote_start + len(edge.quote)] == edge.quote


def test_violation_query_names_the_offending_claim(built):
    from kg.checks import to_oxigraph

    claim = next(iter(built.graphs[ns.GRAPH_ASSERTED].subjects(LEGKG.quote, None)))
    asserted = built.graphs[ns.GRAPH_ASSERTED]
    old = asserted.value(claim, LEGKG.quote)
    asserted.set((claim, LEGKG.quote, Literal("words the article never says")))
    try:
        problems = violation_queries(to_oxigraph(built))
    finally:
        asserted.set((claim, LEGKG.quote, old))
    assert any(
        "quote-not-in-section-violation.rq" in p and claim.split("/")[-1] in p for p in problems
    )


def test_hermit_flags_an_entity_in_disjoint_classes(data_copy):
    path = data_copy / "entities.tsv"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + "OddThing\tCondition | AnatomicalSite\todd thing\t\t\tA seeded error.\t\n",
        encoding="utf-8",
    )
    result = build(data_copy)
    reason = hermit_consistency(result.graphs[ns.GRAPH_ONTOLOGY], result.graphs[ns.GRAPH_ASSERTED])
    assert reason is not None and "inconsistent" in reason
