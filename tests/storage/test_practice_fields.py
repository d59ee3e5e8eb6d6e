"""One validation for every way a practice comes in: each problem named by its field."""

from __future__ import annotations

import pytest

from storage.practice_fields import InvalidPractice, clean_practice, field_named
from tests.support.practices import GROUP_ID, add_practice

GOOD = {
    "title": "Shared spectrometer time for SMEs",
    "region": "limburgg",
    "themes": "r&d, train",
    "pilots": "skills, open innovation",
    "category": "training",
    "summary": "SMEs book time on a shared mass spectrometer.",
    "link": "https://example.org/spectrometer",
    "year": "2011.0",
}


def clean(sessions, **changes):
    with sessions() as session:
        return clean_practice(GOOD | changes, session=session, group_id=GROUP_ID, this_year=2026)


def errors(sessions, **changes) -> dict[str, str]:
    with pytest.raises(InvalidPractice) as raised:
        clean(sessions, **changes)
    return raised.value.errors


def test_forgiving_spellings_are_resolved_to_canonical_values(sessions):
    values = clean(sessions)
    assert values.region.name == "Limburg"
    assert values.themes == ("Shared R&D facilities", "Skills and training")
    assert [p.key for p in values.pilots] == ["skills", "open-innovation"]
    assert values.category == "Training"
    assert values.year == 2011


def test_required_fields_are_named_each(sessions):
    found = errors(sessions, title="", region="", themes="", summary="  ")
    assert set(found) == {"title", "region", "themes", "summary"}
    assert found["summary"] == "Fill in the summary."


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("title", "x" * 201, "201 characters long; the most is 200"),
        ("title", "Labs", "at least 5 characters"),
        ("summary", "y" * 501, "the most is 500"),
        ("region", "Atlantis", "I don't know a partner region called “Atlantis”"),
        ("region", "west", "fits several regions"),
        ("themes", "Financing, astrology", "“astrology” is not a theme"),
        ("pilots", "moon landing", "“moon landing” is not a pilot action"),
        ("category", "gardening", "“gardening” is not a category"),
        ("link", "ftp://example.org", "starting with http:// or https://"),
        ("link", "https://localhost", "starting with http:// or https://"),
        ("link", "https://exa mple.org", "starting with http:// or https://"),
        ("year", "1800", "from 1950 to 2026"),
        ("year", "2030", "from 1950 to 2026"),
        ("year", "twenty", "from 1950 to 2026"),
        ("year", "２０１１", "“２０１１” is not a year: write it with the digits 0–9, from 1950"),
        ("year", "²⁰¹¹", "“²⁰¹¹” is not a year"),
    ],
)
def test_each_bad_value_gets_a_message_for_its_field(sessions, field, value, expected):
    found = errors(sessions, **{field: value})
    assert list(found) == [field]
    assert expected in found[field]


def test_the_same_title_twice_in_one_region_is_refused_but_not_for_the_record_itself(sessions):
    existing = add_practice(sessions, title="Shared spectrometer time for SMEs")
    assert f"#{existing}" in errors(sessions)["title"]
    assert f"#{existing}" in errors(sessions, title="SHARED spectrometer time for smes")["title"]
    with sessions() as session:
        clean_practice(
            GOOD, session=session, group_id=GROUP_ID, this_year=2026, practice_id=existing
        )
    assert clean(sessions, region="Novara").region.name == "Novara"


def test_single_line_fields_lose_extra_spaces_and_long_texts_keep_their_lines(sessions):
    values = clean(
        sessions, title="  Shared   spectrometer\ttime ", description="First line.\r\nSecond line. "
    )
    assert values.title == "Shared spectrometer time"
    assert values.description == "First line.\nSecond line."


def test_fields_are_known_by_name_label_and_alias():
    assert field_named("Resources needed").name == "resources_needed"
    assert field_named("resources").name == "resources_needed"
    assert field_named("THEME").name == "themes"
    assert field_named("organization").name == "organisation"
    assert field_named("colour") is None
