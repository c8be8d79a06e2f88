"""Match solution sequences up to a bijection between blank nodes (backtracking search)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests.w3c.terms import Term, comparison_key

Row = dict[str, Term]
Mapping = dict[str, str]


def _has_bnode(row: Row) -> bool:
    return any(term[0] == "B" for term in row.values())


def _signature(row: Row) -> frozenset[tuple[str, Any]]:
    """The row with blank-node labels erased: rows can only match if signatures are equal."""
    return frozenset(
        (var, ("B",) if term[0] == "B" else comparison_key(term)) for var, term in row.items()
    )


def _unify(expected: Row, actual: Row, forward: Mapping, backward: Mapping) -> bool:
    """Extend the blank-node bijection so the rows match; undo nothing on failure."""
    if expected.keys() != actual.keys():
        return False
    for var, term in expected.items():
        other = actual[var]
        if term[0] != "B" or other[0] != "B":
            if term[0] == "B" or other[0] == "B":
                return False
            if comparison_key(term) != comparison_key(other):
                return False
            continue
        if forward.get(term[1], other[1]) != other[1]:
            return False
        if backward.get(other[1], term[1]) != term[1]:
            return False
        forward[term[1]] = other[1]
        backward[other[1]] = term[1]
    return True


def _search(
    expected: list[Row], actual: list[Row], used: list[bool], forward: Mapping, backward: Mapping
) -> bool:
    if not expected:
        return True
    head, rest = expected[0], expected[1:]
    signature = _signature(head)
    for index, candidate in enumerate(actual):
        if used[index] or _signature(candidate) != signature:
            continue
        fwd, bwd = dict(forward), dict(backward)
        if _unify(head, candidate, fwd, bwd):
            used[index] = True
            if _search(rest, actual, used, fwd, bwd):
                return True
            used[index] = False
    return False


def rows_match(expected: list[Row], actual: list[Row], ordered: bool) -> bool:
    """True if the solution sequences are equal up to blank-node renaming."""
    if len(expected) != len(actual):
        return False
    if ordered:
        forward: Mapping = {}
        backward: Mapping = {}
        return all(_unify(e, a, forward, backward) for e, a in zip(expected, actual, strict=True))
    if Counter(map(_signature, expected)) != Counter(map(_signature, actual)):
        return False
    if not any(map(_has_bnode, expected)):
        return True
    return _search(sorted(expected, key=_has_bnode), actual, [False] * len(actual), {}, {})
