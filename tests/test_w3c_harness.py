"""Unit tests of the W3C harness's result comparison (no suite or server needed)."""

from __future__ import annotations

from tests.w3c.matching import rows_match
from tests.w3c.query_text import has_dataset_clause, is_ordered
from tests.w3c.results import Boolean, Solutions, compare, parse_csv
from tests.w3c.terms import XSD, bnode, iri, literal


def _rows(*pairs: tuple) -> list[dict]:
    return [dict(zip(("x", "y"), pair, strict=False)) for pair in pairs]


def test_blank_nodes_match_up_to_renaming_but_keep_sharing() -> None:
    expected = _rows((bnode("a"), bnode("a")), (bnode("b"), iri("urn:x")))
    assert rows_match(expected, _rows((bnode("q"), iri("urn:x")), (bnode("p"), bnode("p"))), False)
    assert not rows_match(
        expected, _rows((bnode("p"), bnode("r")), (bnode("q"), iri("urn:x"))), False
    )
    assert not rows_match(
        expected, _rows((bnode("p"), bnode("p")), (bnode("p"), iri("urn:x"))), False
    )


def test_multisets_and_order() -> None:
    one, two = literal("1", XSD + "integer"), literal("2", XSD + "integer")
    assert rows_match(_rows((one,), (two,)), _rows((two,), (one,)), ordered=False)
    assert not rows_match(_rows((one,), (two,)), _rows((two,), (one,)), ordered=True)
    assert not rows_match(_rows((one,), (one,)), _rows((one,), (two,)), ordered=False)


def test_literal_equivalence() -> None:
    def same(a: tuple, b: tuple) -> bool:
        return rows_match(_rows((a,)), _rows((b,)), False)

    assert same(literal("1.0", XSD + "decimal"), literal("1.00", XSD + "decimal"))
    assert same(literal("1E0", XSD + "double"), literal("1.0e0", XSD + "double"))
    assert same(literal("a"), literal("a", XSD + "string"))
    assert same(literal("a", language="EN"), literal("a", language="en"))
    assert not same(literal("1", XSD + "integer"), literal("1.0", XSD + "decimal"))
    assert not same(literal("a"), literal("a", language="en"))
    assert not same(literal("01", XSD + "date"), literal("1", XSD + "date"))


def test_compare_kinds_and_csv() -> None:
    assert compare(Boolean(True), Boolean(True), False) is None
    assert compare(Boolean(True), Boolean(False), False)
    assert compare(Boolean(True), Solutions((), []), False)
    table = "s,o\r\nhttp://a,_:b0\r\nhttp://c,\r\n"
    assert compare(parse_csv(table), parse_csv(table.replace("b0", "z")), False) is None
    assert compare(parse_csv(table), parse_csv(table.replace("http://c", "http://d")), False)


def test_query_text_analysis() -> None:
    assert is_ordered("SELECT * { ?s ?p ?o } ORDER BY ?s")
    assert not is_ordered("SELECT * { { SELECT * { ?s ?p ?o } ORDER BY ?s LIMIT 1 } }")
    assert not is_ordered('SELECT * { ?s ?p "ORDER BY" } # ORDER BY ?s')
    assert has_dataset_clause("SELECT * FROM <g> { ?s ?p ?o }")
    assert not has_dataset_clause("SELECT * { ?s <http://x/FROM> ?o }")
