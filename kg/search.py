"""Label, synonym and acronym search over the graph's entities, built once at load.

Ranking tiers, best first: the exact label; an exact acronym or synonym; a name that
starts with the query's whole words, then one that starts with the query; a name whose
words start with the query's words (any order); a name that contains the query; and
last a name whose words are within a small edit distance of the query's words
("restles legs", "sciatca"). Matching ignores case, accents and punctuation. Within a
tier, labels beat acronyms beat synonyms, then shorter names win, then alphabetical
order, so results are deterministic.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

MAX_QUERY = 200
_NON_WORD = re.compile(r"[^0-9a-z]+")
KIND_ORDER = {"label": 0, "acronym": 1, "synonym": 2}

EXACT_LABEL, EXACT_NAME, WHOLE_WORD_PREFIX, PREFIX, WORD_PREFIX, SUBSTRING, FUZZY = range(7)


def normalize(text: str) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _NON_WORD.sub(" ", plain).strip()


@dataclass(frozen=True)
class Name:
    """One searchable name of an entity."""

    key: str  # the entity's key (its IRI)
    text: str  # as written in the graph
    kind: str  # label | acronym | synonym
    norm: str = ""
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    key: str
    matched: str
    kind: str
    tier: int
    rank: tuple = field(compare=False, default=())


def within(a: str, b: str, limit: int) -> bool:
    """True when the Levenshtein distance of a and b is at most ``limit`` (banded)."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        low = limit + 1
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            low = min(low, current[j])
        if low > limit:
            return False
        previous = current
    return previous[-1] <= limit


def typo_budget(word: str) -> int:
    """Edits allowed for one word: none below 4 letters, 1 up to 7, then 2."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


class SearchIndex:
    """In-memory index of names; ``search`` is pure Python and takes well under 1 ms."""

    def __init__(self, names: Iterable[tuple[str, str, str]]) -> None:
        self.names: list[Name] = []
        seen: set[tuple[str, str]] = set()
        for key, text, kind in names:
            norm = normalize(text)
            if not norm or (key, norm) in seen:
                continue
            seen.add((key, norm))
            self.names.append(Name(key, text, kind, norm, tuple(norm.split())))
        self.vocabulary = sorted({w for n in self.names for w in n.words})
        self._deletes = _deletion_index(self.vocabulary)

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """Best match per entity, best first."""
        norm = normalize(query)
        if not norm:
            return []
        words = norm.split()
        close = self._close_words(words)
        best: dict[str, Hit] = {}
        for name in self.names:
            tier = self._tier(name, norm, words, close)
            if tier is None:
                continue
            rank = (tier, KIND_ORDER.get(name.kind, 3), len(name.norm), name.norm)
            hit = Hit(name.key, name.text, name.kind, tier, rank)
            current = best.get(name.key)
            if current is None or rank < current.rank:
                best[name.key] = hit
        return sorted(best.values(), key=lambda h: h.rank)[:limit]

    def suggest(self, prefix: str, limit: int = 8) -> list[Hit]:
        """Names starting with (or with a word starting with) the prefix, for autocomplete."""
        hits = self.search(prefix, limit=limit * 2)
        return [h for h in hits if h.tier <= WORD_PREFIX][:limit]

    def _close_words(self, words: list[str]) -> dict[str, set[str]]:
        """For each query word, the vocabulary words it could be a typo of (or of a prefix of).

        Candidates come from a deletion index (SymSpell): two strings within distance k
        share a string reachable from both by at most k deletions; each is then checked.
        """
        close: dict[str, set[str]] = {}
        for word in words:
            budget = typo_budget(word)
            candidates: set[str] = set()
            for variant in _deletions(word, budget) if budget else ():
                candidates |= self._deletes.get(variant, set())
            close[word] = {v for v in candidates if _near(word, v, budget)}
        return close

    @staticmethod
    def _tier(name: Name, norm: str, words: list[str], close: dict[str, set[str]]) -> int | None:
        if name.norm == norm:
            return EXACT_LABEL if name.kind == "label" else EXACT_NAME
        if name.norm.startswith(norm):
            return WHOLE_WORD_PREFIX if name.norm[len(norm)] == " " else PREFIX
        if all(any(w.startswith(q) for w in name.words) for q in words):
            return WORD_PREFIX
        if norm in name.norm:
            return SUBSTRING
        if all(any(w in close[q] or w.startswith(q) for w in name.words) for q in words):
            return FUZZY
        return None


def _deletions(word: str, depth: int) -> set[str]:
    """``word`` and every string made from it by deleting up to ``depth`` letters."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def _deletion_index(vocabulary: list[str]) -> dict[str, set[str]]:
    """Deletion variants (up to 2) of every vocabulary word and of its prefixes of 4+ letters."""
    index: dict[str, set[str]] = {}
    for vocab in vocabulary:
        for end in range(min(len(vocab), 4), len(vocab) + 1):
            for variant in _deletions(vocab[:end], 2 if end >= 6 else 1):
                index.setdefault(variant, set()).add(vocab)
    return index


def _near(word: str, vocab: str, budget: int) -> bool:
    """``word`` is within ``budget`` edits of ``vocab`` or of one of its prefixes."""
    if within(word, vocab, budget):
        return True
    low, high = max(1, len(word) - budget), min(len(vocab), len(word) + budget)
    return any(within(word, vocab[:end], budget) for end in range(low, high + 1))
