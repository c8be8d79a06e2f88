"""Registry of named queries: ``queries/*.rq`` files with a comment header.

Header lines (before the query text)::

    # @title Conditions a symptom may point to
    # @description Longer text.
    # @kind select
    # @param symptom iri legkg:NightCramps  the symptom to start from

``@param NAME TYPE [DEFAULT]  description``: TYPE is iri, string, integer or boolean; the
default may be a CURIE. Values are bound as terms (pyoxigraph ``substitutions`` /
rdflib ``initBindings``), never pasted into the query text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.store import Term

PARAM_TYPES = ("iri", "string", "integer", "boolean")
XSD = "http://www.w3.org/2001/XMLSchema#"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_HEADER = re.compile(r"^#\s*@(\w+)\s*(.*)$")
_CURIE = re.compile(r"^([A-Za-z][\w.-]*)?:([^\s<>\"{}|^`\\]*)$")


class ParamError(ValueError):
    """A parameter value that cannot be used; ``name`` says which one."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"parameter {name!r}: {message}")
        self.name = name


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None = None
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    text: str
    description: str = ""
    kind: str = "select"
    params: tuple[Param, ...] = field(default_factory=tuple)
    values_at: int | None = None  # just inside the WHERE group's opening brace

    def bind(self, values: Mapping[str, str], prefixes: Mapping[str, str]) -> dict[str, Term]:
        """Terms for the declared parameters (given value, else default); ParamError if bad."""
        unknown = sorted(set(values) - {p.name for p in self.params})
        if unknown:
            raise ParamError(unknown[0], f"not a parameter of query {self.name!r}")
        bound: dict[str, Term] = {}
        for param in self.params:
            raw = values.get(param.name, param.default)
            if raw is None or raw == "":
                raise ParamError(param.name, "a value is required")
            bound[param.name] = to_term(param, raw, prefixes)
        return bound


def to_term(param: Param, raw: str, prefixes: Mapping[str, str]) -> Term:
    """Convert one raw parameter value to an RDF term of the declared type."""
    if param.type == "iri":
        return ox.NamedNode(expand_iri(param.name, raw, prefixes))
    if param.type == "string":
        return ox.Literal(raw)
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", raw.strip()):
            raise ParamError(param.name, f"{raw!r} is not an integer")
        return ox.Literal(str(int(raw)), datatype=ox.NamedNode(XSD + "integer"))
    if param.type == "boolean":
        lowered = raw.strip().lower()
        if lowered not in ("true", "false", "1", "0"):
            raise ParamError(param.name, f"{raw!r} is not a boolean (true or false)")
        value = "true" if lowered in ("true", "1") else "false"
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "boolean"))
    raise ParamError(param.name, f"unknown type {param.type!r}")


def expand_iri(name: str, raw: str, prefixes: Mapping[str, str]) -> str:
    """Absolute http(s)/urn IRI from ``<iri>``, a bare IRI or a CURIE with a known prefix."""
    value = raw.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if re.match(r"^(https?://|urn:)[^\s<>\"{}|^`\\]+$", value):
        return value
    match = _CURIE.match(value)
    if match and (match.group(1) or "") in prefixes:
        return prefixes[match.group(1) or ""] + match.group(2)
    raise ParamError(name, f"{raw!r} is not an http(s) IRI or a CURIE with a known prefix")


def parse_named_query(path: Path) -> NamedQuery:
    """Read one ``.rq`` file and its header (ValueError on a malformed header)."""
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        match = _HEADER.match(stripped)
        if not match:
            continue
        key, value = match.group(1), match.group(2).strip()
        if key == "param":
            params.append(_parse_param(path, value))
        else:
            meta[key] = value
    return NamedQuery(
        name=path.stem,
        title=meta.get("title", path.stem),
        text=text,
        description=meta.get("description", ""),
        kind=meta.get("kind", "select").lower(),
        params=tuple(params),
        values_at=where_group_start(text),
    )


_TOKENS = re.compile(
    "|".join(
        (
            r"#[^\n]*",  # comment
            r"<[^<>\"{}|^`\\\s]*>",  # IRI
            r"'''(?:[^'\\]|\\.|'(?!''))*'''",
            r'"""(?:[^"\\]|\\.|"(?!""))*"""',
            r"'(?:[^'\\\n]|\\.)*'",
            r'"(?:[^"\\\n]|\\.)*"',
            r"\bCONSTRUCT\b",
            r"[{}]",
        )
    ),
    re.IGNORECASE,
)


def where_group_start(text: str) -> int | None:
    """Offset just after the ``{`` opening the WHERE group, skipping comments, IRIs,
    strings and a CONSTRUCT template; None when it cannot be found."""
    depth, in_template = 0, False
    for match in _TOKENS.finditer(text):
        token = match.group(0)
        if token.upper() == "CONSTRUCT":
            in_template = True
        elif token == "{":
            if depth == 0 and not in_template:
                return match.end()
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0:
                in_template = False
    return None


def _parse_param(path: Path, spec: str) -> Param:
    pieces = re.split(r"\s{2,}|\t", spec.strip(), maxsplit=1)
    description = pieces[1] if len(pieces) > 1 else ""
    parts = pieces[0].split()
    if not 2 <= len(parts) <= 3 or parts[1] not in PARAM_TYPES or not parts[0].isidentifier():
        raise ValueError(f"{path}: bad @param line {spec!r} (NAME TYPE [DEFAULT]  description)")
    default = parts[2] if len(parts) == 3 else None
    return Param(parts[0], parts[1], default, description.strip())


def load_registry(directory: Path | str) -> dict[str, NamedQuery]:
    """All ``*.rq`` directly in ``directory`` (subfolders such as checks/ excluded)."""
    folder = Path(directory)
    if not folder.is_dir():
        return {}
    registry = {}
    for path in sorted(folder.glob("*.rq")):
        if _NAME.match(path.stem):
            registry[path.stem] = parse_named_query(path)
    return registry
