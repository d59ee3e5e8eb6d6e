"""The closed vocabularies of the good-practice library: themes and the inventory's categories."""

from __future__ import annotations

from dataclasses import dataclass

from storage.lookup import NameMatch, match_name
from storage.text import fold

# Shorter typed words are matched whole only: "re" or "op" would start too many names.
MIN_PREFIX = 3


@dataclass(frozen=True)
class Theme:
    name: str
    # Other words people use for it; prefixes of these and of the name match too ("train").
    keywords: tuple[str, ...] = ()


THEMES = (
    Theme(
        "Shared R&D facilities",
        (
            "R&D",
            "RD",
            "shared facilities",
            "research facilities",
            "facilities",
            "laboratories",
            "labs",
            "pilot plants",
            "infrastructure",
        ),
    ),
    Theme(
        "Skills and training",
        ("skills", "training", "education", "apprenticeships", "teaching", "talent"),
    ),
    Theme(
        "Soft support services",
        ("soft support", "support services", "support", "services", "advice", "brokerage"),
    ),
    Theme("Open innovation", ("OI", "open", "innovation")),
    Theme("Cluster management", ("cluster", "clusters", "management", "networks")),
    Theme("Chemical parks", ("parks", "park", "chemical sites", "sites", "knowledge sites")),
    Theme("Regulation", ("regulations", "rules", "permits", "permitting", "legislation")),
    Theme("Financing", ("finance", "funding", "funds", "grants", "capital", "investment")),
)
THEME_NAMES = tuple(theme.name for theme in THEMES)

# The three headings of the ChemClust inventory of good practices.
CATEGORIES = ("Jointly used R&D facilities", "Training", "Soft support services")


def resolve_theme(query: str) -> NameMatch[Theme]:
    """A theme from its name, a keyword, a prefix of either ("train"), or a near miss."""
    spellings = [(fold(theme.name), theme) for theme in THEMES]
    spellings += [(fold(keyword), theme) for theme in THEMES for keyword in theme.keywords]
    folded = fold(query)
    exact = {theme for spelling, theme in spellings if spelling == folded}
    if not exact and len(folded) >= MIN_PREFIX:
        starting = [
            theme
            for spelling, theme in spellings
            if spelling.startswith(folded) or f" {folded}" in f" {spelling}"
        ]
        found = tuple(dict.fromkeys(starting))
        if len(found) == 1:
            return NameMatch(query, found[0])
        if found:
            return NameMatch(query, None, found, ambiguous=True)
    return match_name(query, spellings)


def resolve_category(query: str) -> str | None:
    """The category named (ignoring case and accents, a prefix will do), else None."""
    folded = fold(query)
    if not folded:
        return None
    matching = [c for c in CATEGORIES if fold(c) == folded or fold(c).startswith(folded)]
    return matching[0] if len(matching) == 1 else None
