"""Run one W3C test against an endpoint and say whether it passed."""

from __future__ import annotations

from tests.w3c.dataset import EMPTY_GRAPH
from tests.w3c.endpoints import Endpoint, Request, Response
from tests.w3c.manifest import W3CTest
from tests.w3c.query_text import has_dataset_clause, is_ordered, with_base
from tests.w3c.results import (
    GraphResult,
    Result,
    ResultError,
    compare,
    read_expected,
    read_response,
)

ACCEPT_FOR_RESULT_FILE = {".srx": "xml", ".srj": "json", ".tsv": "tsv", ".csv": "csv"}


class W3CFailure(AssertionError):
    """A test did not behave as the suite requires."""


def _accept(test: W3CTest, expected: Result) -> str:
    if isinstance(expected, GraphResult):
        return "turtle"
    assert test.result is not None
    return ACCEPT_FOR_RESULT_FILE.get(test.result.suffix, "json")


def build_request(test: W3CTest, accept: str) -> Request:
    """The protocol request for an evaluation test.

    The test's dataset is given with default-graph-uri / named-graph-uri, except when the query
    has its own FROM / FROM NAMED (which the protocol dataset would override). No default data
    means an empty default graph; no graph data means no named graphs.
    """
    query = with_base(test.query_text, test.query_iri)
    if has_dataset_clause(test.query_text):
        return Request(query, accept)
    default = tuple(g.name for g in test.data) or (EMPTY_GRAPH,)
    return Request(query, accept, default, tuple(g.name for g in test.graph_data))


def _describe(test: W3CTest, request: Request, response: Response) -> str:
    body = response.body[:2000].decode("utf-8", "replace")
    return (
        f"{test.test_id} ({test.name})\nquery file: {test.query}\n"
        f"default graphs: {request.default_graphs}\nnamed graphs: {request.named_graphs}\n"
        f"HTTP {response.status} {response.content_type}\n{body}"
    )


def run_evaluation(test: W3CTest, endpoint: Endpoint) -> None:
    """Raise :class:`W3CFailure` unless the endpoint's answer matches the expected result."""
    assert test.result is not None
    expected = read_expected(test.result, test.result_iri)
    request = build_request(test, _accept(test, expected))
    response = endpoint.send(request)
    if response.status != 200:
        raise W3CFailure("query failed:\n" + _describe(test, request, response))
    try:
        actual = read_response(response.body, response.content_type)
    except ResultError as error:
        raise W3CFailure(f"{error}\n" + _describe(test, request, response)) from error
    problem = compare(expected, actual, is_ordered(test.query_text))
    if problem:
        raise W3CFailure(f"{test.test_id} ({test.name}) query {test.query}\n{problem}")


def run_syntax(test: W3CTest, endpoint: Endpoint) -> None:
    """Positive syntax tests must be accepted (200), negative ones refused with 400."""
    request = Request(
        with_base(test.query_text, test.query_iri), "any", (EMPTY_GRAPH,), (), direct=True
    )
    response = endpoint.send(request)
    positive = test.kind == "positive-syntax"
    if positive and response.status != 200:
        raise W3CFailure("valid query refused:\n" + _describe(test, request, response))
    if not positive and response.status != 400:
        raise W3CFailure(
            "invalid query not refused with 400:\n" + _describe(test, request, response)
        )


def run_test(test: W3CTest, endpoint: Endpoint) -> None:
    """Run any supported test."""
    if test.kind == "eval":
        run_evaluation(test, endpoint)
    elif test.kind in ("positive-syntax", "negative-syntax"):
        run_syntax(test, endpoint)
    else:
        raise ValueError(f"unsupported test type {test.type_iri}")
