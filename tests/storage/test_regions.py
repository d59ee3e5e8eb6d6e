"""Finding a region by whatever people type."""

from __future__ import annotations

import pytest

from storage.groups import default_group
from storage.pilots import resolve_pilot
from storage.regions import resolve_region
from storage.text import fold


@pytest.fixture
def lookup(sessions):
    def find(query: str):
        with sessions() as session:
            group = default_group(session=session)
            return resolve_region(session=session, group_id=group.id, query=query)

    return find


@pytest.mark.parametrize(
    ("typed", "region"),
    [
        ("NRW", "North Rhine-Westphalia"),
        ("nordrhein-westfalen", "North Rhine-Westphalia"),
        ("teesside", "Tees Valley"),
        ("Ústí", "Ústí"),
        ("Usti", "Ústí"),
        ("ústecký KRAJ", "Ústí"),
        ("NL42", "Limburg"),
        ("nl42", "Limburg"),
        ("DEA2", "North Rhine-Westphalia"),
        ("PL12", "Masovia"),
        ("Limburgg", "Limburg"),
        ("Mazowieckie", "Masovia"),
        ("Mazovia", "Masovia"),
        ("Sachsen-Anhalt", "Saxony-Anhalt"),
        ("saxony", "Saxony-Anhalt"),
        ("Cheshire West and Chester", "Cheshire West and Chester"),
        ("cwac", "Cheshire West and Chester"),
        ("Nowara", "Novara"),
        ("  schleswig   holstein ", "Schleswig-Holstein"),
    ],
)
def test_names_people_type_find_the_region(lookup, typed, region):
    found = lookup(typed)
    assert found.match is not None, found
    assert found.match.name == region


def test_unknown_name_offers_the_closest_regions(lookup):
    found = lookup("Atlantis")
    assert found.match is None
    assert not found.ambiguous
    assert len(found.candidates) == 3
    assert len({r.id for r in found.candidates}) == 3


def test_input_that_fits_two_regions_is_ambiguous(lookup):
    found = lookup("west")
    assert found.match is None
    assert found.ambiguous
    assert {r.name for r in found.candidates} == {
        "North Rhine-Westphalia",
        "Cheshire West and Chester",
    }


@pytest.mark.parametrize("typed", ["", "   ", "!!", "x"])
def test_empty_or_tiny_input_matches_nothing(lookup, typed):
    assert lookup(typed).match is None


def test_fold_drops_case_accents_and_punctuation():
    assert fold("Ústecký-Kraj") == "ustecky kraj"
    assert fold("Województwo  mazowieckie") == "wojewodztwo mazowieckie"
    assert fold("Cheshire West & Chester") == "cheshire west chester"


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("skills", "skills"),
        ("Open innovation", "open-innovation"),
        ("open inovation", "open-innovation"),
        ("chemical parks", "parks"),
        ("knowledge sites", "parks"),
    ],
)
def test_pilots_are_found_by_key_name_or_close_spelling(sessions, typed, key):
    with sessions() as session:
        group = default_group(session=session)
        found = resolve_pilot(session=session, group_id=group.id, query=typed)
    assert found.match is not None
    assert found.match.key == key
