"""Finding one thing by the name a person typed: exact aliases first, then forgiving typos."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from storage.text import fold

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")

# A typo such as "Limburgg" or "Nowara" scores 83-93; unrelated names stay below 65.
ACCEPT_SCORE = 80.0
# A runner-up this close to the best makes the answer ambiguous ("west": two regions).
AMBIGUITY_MARGIN = 5.0
# Very short aliases ("SH") match only exactly; fuzzy scores on them are noise.
MIN_FUZZY_LENGTH = 3


@dataclass(frozen=True)
class NameMatch(Generic[K]):
    """The outcome of a lookup: one ``match``, or none with the closest ``candidates``.

    ``ambiguous`` says the candidates matched equally well (the input fits several),
    as opposed to merely being the nearest names to an unknown input.
    """

    query: str
    match: K | None
    candidates: tuple[K, ...] = ()
    ambiguous: bool = False

    def map(self, convert: Callable[[K], T]) -> NameMatch[T]:
        return NameMatch(
            query=self.query,
            match=None if self.match is None else convert(self.match),
            candidates=tuple(convert(key) for key in self.candidates),
            ambiguous=self.ambiguous,
        )


def match_name(query: str, names: Iterable[tuple[str, K]], *, suggestions: int = 3) -> NameMatch[K]:
    """Match ``query`` against ``(folded name, key)`` pairs; several names may share a key."""
    folded = fold(query)
    pairs = list(names)
    if not folded:
        return NameMatch(query, None)
    exact = list(dict.fromkeys(key for name, key in pairs if name == folded))
    if len(exact) == 1:
        return NameMatch(query, exact[0])
    if exact:
        return NameMatch(query, None, tuple(exact), ambiguous=True)

    # Imported here: most lookups are exact, and a start resolves names without it.
    from rapidfuzz import fuzz

    best: dict[K, float] = {}
    for name, key in pairs:
        if len(name) < MIN_FUZZY_LENGTH:
            continue
        score = fuzz.WRatio(folded, name)
        if score > best.get(key, -1.0):
            best[key] = score
    ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)
    if not ranked:
        return NameMatch(query, None)
    top_key, top_score = ranked[0]
    if len(folded) >= MIN_FUZZY_LENGTH and top_score >= ACCEPT_SCORE:
        rivals = [key for key, score in ranked[1:] if score > top_score - AMBIGUITY_MARGIN]
        if not rivals:
            return NameMatch(query, top_key)
        return NameMatch(query, None, (top_key, *rivals), ambiguous=True)
    return NameMatch(query, None, tuple(key for key, _ in ranked[:suggestions]))
