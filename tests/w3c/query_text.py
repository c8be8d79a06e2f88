"""Light lexical analysis of a SPARQL query: strings, IRIs and comments are blanked out first."""

from __future__ import annotations

import re

_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*",
)
_FROM = re.compile(r"\bFROM\b", re.IGNORECASE)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


def scrub(query: str) -> str:
    """The query with string literals, IRIs and comments replaced by neutral placeholders."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token.startswith("#"):
            return " "
        return "<>" if token.startswith("<") else '""'

    return _TOKENS.sub(replace, query)


def has_dataset_clause(query: str) -> bool:
    """True if the query names its own dataset with FROM / FROM NAMED."""
    return bool(_FROM.search(scrub(query)))


def is_ordered(query: str) -> bool:
    """True if the outermost query has ORDER BY (ORDER BY inside a subquery does not count)."""
    text = scrub(query)
    depth = 0
    for index, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and _ORDER_BY.match(text, index):
            return True
    return False


def with_base(query: str, base_iri: str) -> str:
    """Prefix the query with a BASE so relative IRIs resolve as the suite says."""
    return f"BASE <{base_iri}>\n{query}"
