"""Protocol-independent SPARQL execution with a row cap, and W3C results serialisers.

``execute(store, job)`` is what the killable executor process runs: it evaluates one
query, stops after ``max_rows`` rows (or triples), and serialises the answer in the
format picked for its kind. Formats are short names; media types live in the service.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.store import XSD_STRING, Result, Store, StoreError, Term

SOLUTION_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "ntriples", "rdfxml", "jsonld")
ROWS = "rows"  # pseudo-format: return the terms themselves (for HTML pages)
_MAX_COUNTED_NAMES = 8  # two passes over the body per name: bound the work
NATIVE_BUDGET = 8 * 1024 * 1024  # bytes of SPARQL JSON pyoxigraph may write before we fall back

_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}
_UPDATE = re.compile(
    r"^(?:\s|#[^\n]*\n)*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)(?:\s|#[^\n]*\n)*)*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)


class QueryFailure(Exception):
    """A query we refuse or cannot answer; ``kind`` maps to an HTTP status upstream."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass
class QueryJob:
    """One query to run; formats are names from SOLUTION_FORMATS/GRAPH_FORMATS or ROWS."""

    text: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    bindings: dict[str, Term] | None = None
    values_at: int | None = None  # where a VALUES block may bind ``bindings`` (oxigraph)
    solutions_format: str | None = "json"
    graph_format: str | None = "turtle"
    max_rows: int = 10_000
    prefixes: dict[str, str] = field(default_factory=dict)


@dataclass
class QueryOutcome:
    """A serialised answer (``body``) or, for format ROWS, the terms (``rows``)."""

    kind: str
    format: str
    body: bytes
    variables: list[str]
    rows: list[list[Term | None]] | None
    boolean: bool | None
    count: int
    truncated: bool
    elapsed_ms: float


def looks_like_update(text: str) -> bool:
    """True when the text is a SPARQL Update request (after its prologue)."""
    return bool(_UPDATE.match(text))


def execute(store: Store, job: QueryJob) -> QueryOutcome:
    """Run ``job`` on ``store``; raise QueryFailure for refused or failed queries."""
    if looks_like_update(job.text):
        raise QueryFailure("update", "this endpoint is read-only: SPARQL Update is refused")
    start = time.perf_counter()
    text, bindings = job.text, job.bindings or None
    if bindings and store.engine == "oxigraph" and job.values_at is not None:
        text, bindings = inject_values(text, job.values_at, bindings), None
    try:
        result = store.query(text, job.default_graphs, job.named_graphs, bindings)
        if result.native is not None and job.solutions_format == "json":
            outcome = _native_json(result, job, start)
            if outcome is not None:
                return outcome
            result = store.query(text, job.default_graphs, job.named_graphs, bindings)
        return _finish(result, job, start)
    except StoreError as exc:
        raise QueryFailure(exc.kind, exc.message) from None
    except QueryFailure:
        raise
    except (OSError, ValueError, TypeError, RuntimeError) as exc:  # evaluation errors
        raise QueryFailure("evaluation", str(exc)) from None


def inject_values(text: str, at: int, bindings: dict[str, Term]) -> str:
    """Open the WHERE group at offset ``at`` with a VALUES row of the bound terms.

    pyoxigraph's ``substitutions`` only accepts projected variables, so parameters of
    named queries are bound by data: each term is written in its canonical N-Triples
    form by pyoxigraph (escaped, never formatted from raw input).
    """
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(str(term) for term in bindings.values())
    return f"{text[:at]} VALUES ({names}) {{ ({terms}) }} {text[at:]}"


class _OverBudget(Exception):
    """The natively serialised result outgrew NATIVE_BUDGET."""


class _Sink:
    """A binary sink for pyoxigraph's serialiser that stops at ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.limit = limit

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _OverBudget
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None


def _native_json(result: Result, job: QueryJob, start: float) -> QueryOutcome | None:
    """SPARQL JSON written by pyoxigraph itself (several times faster than term by term).

    The row count comes from reading the body back; None (the caller re-runs the query
    on the capped path) when the result has more than ``max_rows`` rows, is larger than
    NATIVE_BUDGET bytes, or fails, so the cap, truncation and errors behave as before.
    """
    sink = _Sink(NATIVE_BUDGET)
    try:
        result.native.serialize(sink, format=ox.QueryResultsFormat.JSON)
    except Exception:  # _OverBudget, or an evaluation error: the capped path reports it
        return None
    body = b"".join(sink.parts)
    variables = result.variables
    count = count_json_rows(body, variables)
    if count > job.max_rows:
        return None
    elapsed = (time.perf_counter() - start) * 1000
    return QueryOutcome("solutions", "json", body, variables, None, None, count, False, elapsed)


def count_json_rows(body: bytes, variables: Sequence[str]) -> int:
    """The number of solutions in a SPARQL JSON body written by pyoxigraph (compact).

    Counting byte patterns allocates nothing, where parsing the body builds three Python
    objects per value: measured under load, parsing a 50-row answer cost 15% of legkg's
    throughput. A non-empty solution opens with ``[{"v":`` or ``,{"v":`` where ``v`` is
    its first bound variable, and no string can hold that: inside a string a quote is
    escaped unless it closes the string, and a closing quote is followed by ``,``,
    ``}``, ``]`` or ``:``, never by a variable name. An empty solution (``{}``) cannot be
    told from text inside a literal, so a body holding ``{}`` is parsed, as are answers
    with triple terms, many or non-ASCII variable names, or a count that does not fit
    the number of terms (another layout: the row cap depends on this count).
    """
    names = [name.encode() for name in variables]
    if (
        b"{}" in body
        or b'"type":"triple"' in body
        or len(names) > _MAX_COUNTED_NAMES
        or not all(name.isascii() for name in names)
    ):
        return _parsed_rows(body)
    count = sum(body.count(b'[{"' + n + b'":') + body.count(b',{"' + n + b'":') for n in names)
    terms = body.count(b':{"type":')  # the values: one to len(names) per solution
    if not count <= terms <= count * len(names) or (not count and b'"bindings":[]' not in body):
        return _parsed_rows(body)
    return count


def _parsed_rows(body: bytes) -> int:
    return len(json.loads(body)["results"]["bindings"])


def _finish(result: Result, job: QueryJob, start: float) -> QueryOutcome:
    fmt = job.graph_format if result.kind == "graph" else job.solutions_format
    if fmt is None:
        raise QueryFailure("not_acceptable", f"no acceptable format for a {result.kind} result")
    rows: list[list[Term | None]] | None = None
    variables = result.variables
    boolean = result.boolean
    truncated = False
    if result.kind == "boolean":
        count = 1
        body = b"" if fmt == ROWS else serialize_boolean(bool(boolean), fmt)
    elif result.kind == "solutions":
        rows, truncated = _take(result.rows or iter(()), job.max_rows)
        count = len(rows)
        body = b"" if fmt == ROWS else serialize_solutions(variables, rows, fmt)
    else:
        triples, truncated = _take(result.triples or iter(()), job.max_rows)
        count = len(triples)
        if fmt == ROWS:
            variables = ["subject", "predicate", "object"]
            rows = [[t.subject, t.predicate, t.object] for t in triples]
            body = b""
        else:
            body = serialize_graph(triples, fmt, job.prefixes)
    if fmt != ROWS:
        rows = None
    elapsed = (time.perf_counter() - start) * 1000
    return QueryOutcome(result.kind, fmt, body, variables, rows, boolean, count, truncated, elapsed)


def _take(items: Iterable, cap: int) -> tuple[list, bool]:
    taken = list(islice(items, cap + 1))
    if len(taken) > cap:
        return taken[:cap], True
    return taken, False


# --- serialisers -------------------------------------------------------------------


def serialize_solutions(variables: list[str], rows: list[list[Term | None]], fmt: str) -> bytes:
    """SELECT results in a W3C format: json, xml, csv or tsv."""
    if fmt == "json":
        return _json_solutions(variables, rows)
    if fmt == "xml":
        return _xml_solutions(variables, rows)
    if fmt == "csv":
        return _csv_solutions(variables, rows)
    if fmt == "tsv":
        return _tsv_solutions(variables, rows)
    raise ValueError(f"not a solutions format: {fmt}")


def serialize_boolean(value: bool, fmt: str) -> bytes:
    """ASK result in a W3C format (csv/tsv use a single ``_askResult`` column)."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        text = "true" if value else "false"
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{text}</boolean></sparql>\n"
        ).encode()
    if fmt in ("csv", "tsv"):
        head = "_askResult" if fmt == "csv" else "?_askResult"
        return f"{head}\r\n{'true' if value else 'false'}\r\n".encode()
    raise ValueError(f"not a boolean format: {fmt}")


def serialize_graph(triples: list[ox.Triple], fmt: str, prefixes: Mapping[str, str]) -> bytes:
    """CONSTRUCT/DESCRIBE results: turtle, ntriples, rdfxml or jsonld."""
    rdf_format = _RDF_FORMATS[fmt]
    if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) and prefixes:
        return ox.serialize(triples, format=rdf_format, prefixes=dict(prefixes))
    return ox.serialize(triples, format=rdf_format)


def term_json(term: Term) -> dict:
    """One term as a SPARQL 1.1 JSON results binding value."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": term_json(term.subject),
            "predicate": term_json(term.predicate),
            "object": term_json(term.object),
        },
    }


def _json_solutions(variables: list[str], rows: list[list[Term | None]]) -> bytes:
    bindings = [
        {
            name: term_json(term)
            for name, term in zip(variables, row, strict=True)
            if term is not None
        }
        for row in rows
    ]
    doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def _term_xml(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            dt = quoteattr(term.datatype.value)
            return f"<literal datatype={dt}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    parts = (
        f"<subject>{_term_xml(term.subject)}</subject>"
        f"<predicate>{_term_xml(term.predicate)}</predicate>"
        f"<object>{_term_xml(term.object)}</object>"
    )
    return f"<triple>{parts}</triple>"


def _xml_solutions(variables: list[str], rows: list[list[Term | None]]) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out.extend(f"<variable name={quoteattr(v)}/>" for v in variables)
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        for name, term in zip(variables, row, strict=True):
            if term is not None:
                out.append(f"<binding name={quoteattr(name)}>{_term_xml(term)}</binding>")
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode()


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _csv_solutions(variables: list[str], rows: list[list[Term | None]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([_csv_value(t) for t in row] for row in rows)
    return buf.getvalue().encode()


def _tsv_solutions(variables: list[str], rows: list[list[Term | None]]) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines.extend("\t".join("" if t is None else str(t) for t in row) for row in rows)
    return ("\n".join(lines) + "\n").encode()
