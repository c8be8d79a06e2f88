"""Curation helper: propose, inspect and fill cross-references from the real data.

Candidates are only proposals: a curator reads each one (meaning, not just string) and
chooses the SKOS predicate before a row goes into kg/data/xrefs.tsv.

    python -m kg.xref_candidates propose [--id PeripheralArteryDisease] [--out FILE]
    python -m kg.xref_candidates search "restless legs"
    python -m kg.xref_candidates show MONDO:0005294 HP:0004950
    python -m kg.xref_candidates fill kg/data/xrefs.tsv   # labels + sources in place
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from kg.terminologies import VOUCHED_PREFIXES, Terminologies, default
from kg.xrefs import COLUMNS, normalize, read_tsv

DATA_DIR = Path(__file__).parent / "data"
STOP = {"of", "the", "and", "in", "to", "a", "an", "or", "nos", "unspecified", "with"}


def _tokens(text: str) -> frozenset[str]:
    # crude singular form so "varicose veins" meets "varicose vein"
    words = (
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
        for w in normalize(text).split()
    )
    return frozenset(w for w in words if w not in STOP)


class Index:
    """Every live label and synonym of every terminology, by normalized text and token."""

    def __init__(self, terms: Terminologies) -> None:
        self.terms = terms
        self.exact: dict[frozenset[str], set[tuple[str, str, str]]] = defaultdict(set)
        self.by_token: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
        for prefix in terms.prefixes():
            for termin in terms.terminologies(prefix):
                for term in termin.terms.values():
                    if term.obsolete or term.primary:
                        continue
                    names = [(term.label, "LABEL"), *term.synonyms]
                    for text, scope in names:
                        entry = (term.curie, text, scope)
                        toks = _tokens(text)
                        self.exact[toks].add(entry)
                        for tok in toks:
                            self.by_token[tok].add(entry)

    def search(self, query: str, loose: bool = True) -> list[tuple[float, str, str, str]]:
        """(score, curie, matched name, scope): 1.0 same tokens, less for near matches."""
        q = _tokens(query)
        if not q:
            return []
        hits = {(1.0, *e) for e in self.exact.get(q, ())}
        if loose:
            pools = [self.by_token.get(t, set()) for t in q]
            for entry in set.intersection(*pools) if pools else set():
                extra = len(_tokens(entry[1]) - q)
                if 0 < extra <= 3:
                    hits.add((round(0.9 - 0.15 * extra, 2), *entry))
        return sorted(hits, key=lambda h: (-h[0], h[1]))


def propose(index: Index, entities: list[dict[str, str]], limit: int = 12) -> list[list[str]]:
    """Candidate rows: entity id, query, score, curie, label, matched name, scope."""
    out = []
    for ent in entities:
        queries = [ent["label"], *_split(ent.get("synonyms", ""))]
        queries += [a for a in _split(ent.get("acronyms", "")) if len(a) > 2]
        seen: set[str] = set()
        for query in queries:
            for score, curie, name, scope in index.search(query)[:limit]:
                if curie in seen:
                    continue
                seen.add(curie)
                label = index.terms.lookup(curie).term.label
                out.append([ent["id"], query, str(score), curie, label, name, scope])
    return out


def _split(cell: str) -> list[str]:
    return [v.strip() for v in cell.split("|") if v.strip()]


def show(terms: Terminologies, curie: str) -> str:
    """A term with its synonyms, xrefs and the open terms that list it as an xref."""
    found = terms.lookup(curie)
    lines = [f"{curie}: " + ("NOT FOUND" if not found.term else repr(found.term.label))]
    if found.term:
        term = found.term
        lines.append(f"  source: {found.source.describe()}  obsolete={term.obsolete}")
        lines += [f"  synonym [{scope}]: {text}" for text, scope in term.synonyms]
        for xref in term.xrefs:
            xt = terms.lookup(xref).term if xref.split(":")[0] not in VOUCHED_PREFIXES else None
            lines.append(f"  xref: {xref}" + (f"  {xt.label!r}" if xt else ""))
    lines += [
        f"  listed as xref by: {v} {terms.lookup(v).term.label!r}"
        for v in sorted(terms.vouchers(curie))
    ]
    return "\n".join(lines)


def fill(path: Path, terms: Terminologies) -> int:
    """Write each row's ``object_label`` and ``source`` from the data; returns rows changed.

    For UMLS/SNOMED the label stays empty (no open label) and the source names the
    vouching term that the same subject is mapped to.
    """
    rows = read_tsv(path)
    mapped = defaultdict(dict)
    for _, row in rows:
        mapped[row["subject"]][row["object"]] = row["predicate"]
    changed = 0
    for _, row in rows:
        before = (row.get("object_label", ""), row.get("source", ""))
        _fill_row(row, mapped[row["subject"]], terms)
        changed += before != (row["object_label"], row["source"])
    header = [
        line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")
    ]
    body = ["\t".join(COLUMNS)] + ["\t".join(r.get(c, "") for c in COLUMNS) for _, r in rows]
    path.write_text("\n".join(header + body) + "\n", encoding="utf-8")
    return changed


def _fill_row(row: dict[str, str], mapped: dict[str, str], terms: Terminologies) -> None:
    curie = row["object"]
    if curie.split(":")[0] in VOUCHED_PREFIXES:
        # MONDO's are curated exact matches, so they are the preferred voucher to cite
        order = {"MONDO": 0, "HP": 1, "DOID": 2}
        same = sorted(
            (v for v in terms.vouchers(curie) if mapped.get(v) == row["predicate"]),
            key=lambda v: (order.get(v.split(":")[0], 9), v),
        )
        if same:
            src = terms.lookup(same[0]).source
            row["object_label"] = ""
            row["source"] = f"xref of {same[0]} in {src.describe()}"
        return
    found = terms.lookup(curie)
    if found.term and not found.term.obsolete:
        row["object_label"] = found.term.label  # always the preferred label, as spelt
        row["source"] = found.source.describe()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.xref_candidates")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("propose")
    p.add_argument("--id", action="append", default=[])
    p.add_argument("--out", type=Path)
    sub.add_parser("search").add_argument("text")
    sub.add_parser("show").add_argument("curies", nargs="+")
    sub.add_parser("fill").add_argument("file", type=Path)
    args = parser.parse_args(argv)
    terms = default()
    if args.cmd == "show":
        print("\n".join(show(terms, c) for c in args.curies))
    elif args.cmd == "fill":
        print(f"{fill(args.file, terms)} rows updated")
    elif args.cmd == "search":
        for score, curie, name, scope in Index(terms).search(args.text)[:40]:
            print(f"{score}\t{curie}\t{terms.lookup(curie).term.label}\t{name}\t{scope}")
    else:
        ents = [
            r for _, r in read_tsv(DATA_DIR / "entities.tsv") if not args.id or r["id"] in args.id
        ]
        rows = propose(Index(terms), ents)
        out = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
        out.write("\n".join("\t".join(r) for r in rows) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
