"""Stream an OBO file as OBO-in-OWL RDF quads, one stanza at a time.

Tag-value lines are parsed by obonet (``obonet.read.parse_stanza``); we only split the
file into stanzas ourselves so that a big ontology is never held in memory as a whole
(``obonet.read_obo`` builds a networkx graph of the full file first).

The mapping follows the OBO 1.4 to OWL translation as ROBOT and the OBO PURLs use it:

* ``HP:0001234`` -> ``http://purl.obolibrary.org/obo/HP_0001234`` (an ``idspace``
  header line overrides it for its prefix); each ``[Term]`` is an ``owl:Class``.
* ``name`` -> rdfs:label, ``def`` -> IAO:0000115, ``is_a`` -> rdfs:subClassOf,
  ``relationship: R X`` -> rdfs:subClassOf [owl:onProperty R; owl:someValuesFrom X],
  ``synonym`` -> oboInOwl:has{Exact,Broad,Narrow,Related}Synonym, ``xref`` ->
  oboInOwl:hasDbXref (a string, as in OBO-in-OWL), ``is_obsolete`` -> owl:deprecated,
  ``replaced_by`` -> IAO:0100001, ``property_value`` -> the annotation it names.
* Not translated (documented limits): ``intersection_of``/``union_of`` logical
  definitions, axiom annotations on definitions and synonyms, ``[Instance]`` stanzas.

Relation ids without a prefix (``part_of``) map to the IRI of the typedef's OBO-style
xref (``BFO:0000050``) per the OBO 1.4 spec, so a cheap first pass reads the typedefs.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from obonet.read import (
    header_tag_singularity,
    parse_tag_line,
    term_tag_singularity,
    typedef_tag_singularity,
)
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

OBO = "http://purl.obolibrary.org/obo/"
OIO = "http://www.geneontology.org/formats/oboInOwl#"
DEFINITION = ox.NamedNode(OBO + "IAO_0000115")
REPLACED_BY = ox.NamedNode(OBO + "IAO_0100001")
OWL_ONTOLOGY = ox.NamedNode(str(OWL.Ontology))
OWL_RESTRICTION = ox.NamedNode(str(OWL.Restriction))
OWL_DEPRECATED = ox.NamedNode(str(OWL.deprecated))
OWL_ONPROPERTY = ox.NamedNode(str(OWL.onProperty))
OWL_SOMEVALUESFROM = ox.NamedNode(str(OWL.someValuesFrom))
OWL_VERSIONINFO = ox.NamedNode(str(OWL.versionInfo))
RDF_TYPE = ox.NamedNode(str(RDF.type))
RDFS_COMMENT = ox.NamedNode(str(RDFS.comment))
RDFS_LABEL = ox.NamedNode(str(RDFS.label))
RDFS_SUBCLASSOF = ox.NamedNode(str(RDFS.subClassOf))
RDFS_SUBPROPERTYOF = ox.NamedNode(str(RDFS.subPropertyOf))
XSD_BOOLEAN = ox.NamedNode(str(XSD.boolean))
OIO_CONSIDER = ox.NamedNode(OIO + "consider")
OIO_HASOBONAMESPACE = ox.NamedNode(OIO + "hasOBONamespace")
OIO_ID = ox.NamedNode(OIO + "id")
TRUE = ox.Literal("true", datatype=XSD_BOOLEAN)

# Prefixes every OBO file may use without declaring them (W3C vocabularies).
_BUILTIN_PREFIXES = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "oboInOwl": OIO,
}
_SYNONYM_SCOPES = {
    scope: ox.NamedNode(f"{OIO}has{scope.title()}Synonym")
    for scope in ("EXACT", "BROAD", "NARROW", "RELATED")
}
_XREF_TAGS = (
    ("xref", ox.NamedNode(OIO + "hasDbXref")),
    ("alt_id", ox.NamedNode(OIO + "hasAlternativeId")),
)
_QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"\s*(.*)$')
_ESCAPES = {"n": "\n", "t": "\t", "W": " "}
_CURIE = re.compile(r"^([A-Za-z_][\w.-]*):(\S+)$")

Emit = Callable[[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.Literal], None]


def unquote(value: str) -> tuple[str, str] | None:
    """(unescaped text, rest of the line) of a value starting with a quoted string."""
    match = _QUOTED.match(value)
    if match is None:
        return None
    text = re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), match.group(1))
    return text, match.group(2)


def parse_stanza(lines: list[str], singularity: dict[str, bool]) -> dict:
    """obonet's ``parse_stanza``, with a fast path for plain ``tag: value`` lines.

    obonet's tag-line regular expression costs most of the load time; a line without
    ``!`` (comment) or ``{`` (trailing modifier) means the same to it as a split on the
    first colon, so only the other lines go through ``obonet.read.parse_tag_line``.
    Quoted values are kept whole (their modifiers are ignored when unquoted).
    """
    stanza: dict = {}
    for line in lines:
        if line.startswith("!"):
            continue
        tag, sep, value = line.partition(":")
        value = value.strip()
        if not sep or not tag:
            parse_tag_line(line)  # raises obonet's ValueError for a bad line
        elif ("!" in line or "{" in line) and not value.startswith('"'):
            # a quoted value (def, synonym) may itself hold " !", which obonet would
            # cut as a comment; ``unquote`` reads up to the closing quote instead
            parsed = parse_tag_line(line)
            tag, value = parsed.tag, parsed.value
        if singularity.get(tag, False):
            stanza[tag] = value
        else:
            stanza.setdefault(tag, []).append(value)
    return stanza


def stanzas(lines: Iterable[str]) -> Iterator[tuple[str, list[str]]]:
    """(stanza type, tag lines) per stanza; the header comes first with type ``header``."""
    for blank, group in itertools.groupby(lines, lambda line: line.strip() == ""):
        if blank:
            continue
        first, *rest = (line.rstrip("\n") for line in group)
        if first.startswith("[") and first.rstrip().endswith("]"):
            yield first.strip()[1:-1], rest
        else:
            yield "header", [first, *rest]


class OboConverter:
    """Turns parsed stanzas into triples; knows the file's id spaces and relation ids."""

    def __init__(self, header: dict, typedef_xrefs: dict[str, str]) -> None:
        self.ontology = str(header.get("ontology", "")).removesuffix(".obo")
        self.prefixes = dict(_BUILTIN_PREFIXES)
        for line in header.get("idspace", []):
            parts = line.split()
            if len(parts) >= 2:
                self.prefixes[parts[0]] = parts[1]
        self.typedef_xrefs = typedef_xrefs
        self._iris: dict[str, ox.NamedNode] = {}  # parents and relations recur often

    def iri(self, ident: str) -> ox.NamedNode:
        """IRI of an OBO identifier (prefixed id, bare relation id or full IRI)."""
        node = self._iris.get(ident)
        if node is None:
            node = self._iris[ident] = self._make_iri(ident.strip())
        return node

    def _make_iri(self, ident: str) -> ox.NamedNode:
        if "://" in ident or ident.startswith("urn:"):
            return ox.NamedNode(ident)
        if ident in self.typedef_xrefs:
            ident = self.typedef_xrefs[ident]
        prefix, sep, local = ident.partition(":")
        if not sep:
            return ox.NamedNode(f"{OBO}{self.ontology}#{ident}")
        if prefix in self.prefixes:
            return ox.NamedNode(self.prefixes[prefix] + local)
        return ox.NamedNode(f"{OBO}{prefix}_{local}")

    def ontology_triples(self, header: dict, emit: Emit) -> None:
        if not self.ontology:
            return
        node = ox.NamedNode(f"{OBO}{self.ontology}.owl")
        emit(node, RDF_TYPE, OWL_ONTOLOGY)
        if header.get("data-version"):
            version = OWL_VERSIONINFO
            emit(node, version, ox.Literal(str(header["data-version"])))

    def stanza_triples(self, kind: str, tags: dict, emit: Emit) -> None:
        """Triples of one ``[Term]`` or ``[Typedef]`` stanza."""
        if "id" not in tags:
            return
        node = self._make_iri(tags["id"].strip())  # not cached: each id occurs once
        owl_type = OWL.Class if kind == "Term" else OWL.ObjectProperty
        emit(node, RDF_TYPE, ox.NamedNode(str(owl_type)))
        emit(node, OIO_ID, ox.Literal(tags["id"]))
        self._literals(node, tags, emit)
        self._links(node, tags, emit, kind)
        for value in tags.get("synonym", []):
            self._synonym(node, value, emit)
        for value in tags.get("property_value", []):
            self._property_value(node, value, emit)

    def _literals(self, node: ox.NamedNode, tags: dict, emit: Emit) -> None:
        for name in _listed(tags.get("name")):
            emit(node, RDFS_LABEL, ox.Literal(name))
        definition = unquote(tags.get("def") or "")
        if definition:
            emit(node, DEFINITION, ox.Literal(definition[0]))
        for comment in _listed(tags.get("comment")):
            emit(node, RDFS_COMMENT, ox.Literal(comment))
        for namespace in _listed(tags.get("namespace")):
            emit(node, OIO_HASOBONAMESPACE, ox.Literal(namespace))
        for tag, prop in _XREF_TAGS:
            for value in tags.get(tag, []):
                xref = value.split(" ", 1)[0]  # drop an optional quoted description
                emit(node, prop, ox.Literal(xref))
        if tags.get("is_obsolete") == "true":
            emit(node, OWL_DEPRECATED, TRUE)

    def _links(self, node: ox.NamedNode, tags: dict, emit: Emit, kind: str) -> None:
        sub = RDFS_SUBPROPERTYOF if kind != "Term" else RDFS_SUBCLASSOF
        for parent in tags.get("is_a", []):
            emit(node, sub, self.iri(parent))
        for target in tags.get("replaced_by", []):
            emit(node, REPLACED_BY, self.iri(target))
        for target in tags.get("consider", []):
            emit(node, OIO_CONSIDER, ox.Literal(target))
        for value in tags.get("relationship", []):
            parts = value.split()
            if len(parts) >= 2 and kind == "Term":
                self._some_values(node, self.iri(parts[0]), self.iri(parts[1]), emit)

    def _some_values(
        self, node: ox.NamedNode, prop: ox.NamedNode, target: ox.NamedNode, emit: Emit
    ) -> None:
        restriction = ox.BlankNode()
        emit(node, RDFS_SUBCLASSOF, restriction)
        emit(restriction, RDF_TYPE, OWL_RESTRICTION)
        emit(restriction, OWL_ONPROPERTY, prop)
        emit(restriction, OWL_SOMEVALUESFROM, target)

    def _synonym(self, node: ox.NamedNode, value: str, emit: Emit) -> None:
        parsed = unquote(value)
        if parsed is None:
            return
        text, rest = parsed
        scope = rest.split(" ", 1)[0] if rest else "RELATED"
        emit(node, _SYNONYM_SCOPES.get(scope, _SYNONYM_SCOPES["RELATED"]), ox.Literal(text))

    def _property_value(self, node: ox.NamedNode, value: str, emit: Emit) -> None:
        prop, _, rest = value.partition(" ")
        if not rest:
            return
        quoted = unquote(rest)
        if quoted is None:
            obj: ox.NamedNode | ox.Literal = self.iri(rest.split()[0])
        else:
            datatype = quoted[1].split()[0] if quoted[1] else ""
            dt = self.iri(datatype) if _CURIE.match(datatype) else None
            string = dt is None or dt.value == str(XSD.string)
            obj = ox.Literal(quoted[0]) if string else ox.Literal(quoted[0], datatype=dt)
        emit(node, self.iri(prop), obj)


def _listed(value: str | list[str] | None) -> list[str]:
    """A tag's values as a list: obonet gives a string for single-valued tags."""
    if not value:
        return []
    return value if isinstance(value, list) else [value]


_SINGULARITY = {"Term": term_tag_singularity, "Typedef": typedef_tag_singularity}


def read_typedef_xrefs(path: Path) -> tuple[dict, dict[str, str]]:
    """First pass: the header and ``{bare relation id: OBO-style xref}`` of the typedefs."""
    header: dict = {}
    xrefs: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for kind, lines in stanzas(fh):
            if kind == "header":
                for key, value in parse_stanza(lines, header_tag_singularity).items():
                    # a header split by blank lines: merge its parts
                    merged = header.get(key, []) + value if isinstance(value, list) else value
                    header[key] = merged
            elif kind == "Typedef":
                tags = parse_stanza(lines, typedef_tag_singularity)
                ident = tags.get("id", "")
                target = next((x for x in tags.get("xref", []) if _CURIE.match(x)), None)
                if ident and ":" not in ident and target:
                    xrefs[ident] = target
    return header, xrefs


def obo_quads(
    path: str | Path,
    graph: ox.NamedNode,
    progress: Callable[[int], None] | None = None,
) -> Iterator[ox.Quad]:
    """Quads of an OBO file in ``graph``; ``progress(chars read so far)`` per stanza."""
    header, typedef_xrefs = read_typedef_xrefs(Path(path))
    conv = OboConverter(header, typedef_xrefs)
    pending: list[ox.Quad] = []

    def emit(s: ox.NamedNode | ox.BlankNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal):
        pending.append(ox.Quad(s, p, o, graph))

    conv.ontology_triples(header, emit)
    read = 0
    with open(path, encoding="utf-8") as fh:
        for kind, lines in stanzas(fh):
            read += sum(len(line) + 1 for line in lines) + 1
            if kind in _SINGULARITY:
                conv.stanza_triples(kind, parse_stanza(lines, _SINGULARITY[kind]), emit)
            yield from pending
            pending.clear()
            if progress is not None:
                progress(read)
