"""``legkg federate``: join legkg's cross-references with a remote endpoint via SERVICE.

    legkg federate --endpoint http://127.0.0.1:8000/sparql \\
                   --service http://127.0.0.1:8001/sparql \\
                   [--prefix http://purl.obolibrary.org/obo/HP_] [--query FILE]

``--endpoint`` is a legkg server started with ``--allow-service`` for the remote
endpoint; the join runs *in that server* (SPARQL 1.1 Federated Query), this command only
sends the query with SPARQLWrapper and prints the answer.

Why two steps by default: Oxigraph sends a SERVICE block to the remote as it is written,
without the bindings of the rest of the query, so ``SERVICE <r> { ?term rdfs:label ?l }``
would fetch every label of the remote (and a remote with a row cap would silently cut
it). We first ask legkg which terms its cross-references point to under ``--prefix``,
then put them in a ``VALUES`` block inside the SERVICE block, so the remote answers only
for those terms. ``--query FILE`` sends any query of yours instead.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from SPARQLWrapper import JSON, POST, SPARQLWrapper

MATCHES = "skos:exactMatch skos:closeMatch skos:broadMatch skos:narrowMatch"
PREFIXES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
TERMS_QUERY = (
    PREFIXES
    + """SELECT DISTINCT ?term WHERE {{
  VALUES ?match {{ {matches} }}
  ?entity ?match ?term .
  FILTER STRSTARTS(STR(?term), "{prefix}")
}}"""
)
JOIN_QUERY = (
    PREFIXES
    + """SELECT ?entity ?label ?match ?term ?remoteLabel WHERE {{
  VALUES ?match {{ {matches} }}
  ?entity ?match ?term ;
          rdfs:label ?label .
  SERVICE <{service}> {{
    VALUES ?term {{ {terms} }}
    ?term rdfs:label ?remoteLabel .
  }}
}}
ORDER BY LCASE(STR(?label)) ?term"""
)


def select(endpoint: str, query: str, timeout: float = 60) -> tuple[list[str], list[dict]]:
    """Variables and bindings of a SELECT query sent to ``endpoint`` (HTTP POST)."""
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)  # long VALUES blocks do not fit in a URL
    client.setReturnFormat(JSON)
    client.setTimeout(int(timeout))
    client.setQuery(query)
    answer = client.queryAndConvert()
    if not isinstance(answer, dict) or "results" not in answer:
        raise ValueError(f"{endpoint} did not answer a SELECT query with JSON results")
    return answer["head"]["vars"], answer["results"]["bindings"]


def join_query(endpoint: str, service: str, prefix: str) -> str:
    """The federated query, with legkg's terms under ``prefix`` pushed into SERVICE."""
    _, rows = select(endpoint, TERMS_QUERY.format(matches=MATCHES, prefix=prefix))
    terms = " ".join(f"<{row['term']['value']}>" for row in rows)
    if not terms:
        raise ValueError(f"no legkg cross-reference points under {prefix}")
    return JOIN_QUERY.format(matches=MATCHES, service=service, terms=terms)


def _cell(binding: dict | None) -> str:
    if binding is None:
        return ""
    value = binding["value"]
    return value.replace("\t", " ").replace("\n", " ")


def print_rows(variables: list[str], rows: list[dict]) -> None:
    print("\t".join(variables))
    for row in rows:
        print("\t".join(_cell(row.get(v)) for v in variables))
    print(f"({len(rows)} rows)", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="legkg federate", description=__doc__.split("\n")[0].replace("``", "")
    )
    p.add_argument("--endpoint", required=True, help="legkg /sparql started with --allow-service")
    p.add_argument("--service", help="remote SPARQL endpoint for the SERVICE block")
    p.add_argument(
        "--prefix",
        default="http://purl.obolibrary.org/obo/HP_",
        help="IRI prefix of the remote's terms (default: HPO)",
    )
    p.add_argument("--query", help="send this query file instead (it holds its own SERVICE)")
    p.add_argument("--timeout", type=float, default=60, help="seconds (60)")
    p.add_argument("--show-query", action="store_true", help="print the query, do not send it")
    return p


def main(argv: list[str]) -> int:
    """Entry point of ``legkg federate``: rows as TSV on stdout, exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.query:
            query = Path(args.query).read_text(encoding="utf-8")
        elif args.service:
            query = join_query(args.endpoint, args.service, args.prefix)
        else:
            raise ValueError("give --service URL (or --query FILE)")
        if args.show_query:
            print(query)
            return 0
        print_rows(*select(args.endpoint, query, args.timeout))
    except Exception as exc:  # SPARQLWrapper and urllib raise many types; report, no traceback
        print(f"legkg federate: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    return 0
