"""Full-text search over the library ranks and filters alike on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from storage.models import Practice
from storage.pilots import resolve_pilot
from storage.practice_search import (
    PracticeQuery,
    close_terms,
    search_practices,
    search_words,
)
from storage.practices import library_overview
from storage.regions import resolve_region
from tests.support.practices import GROUP_ID, add_practice


def search(sessions, words: str = "", **filters) -> list[int]:
    with sessions() as session:
        query = PracticeQuery(words=search_words(words), **filters)
        return search_practices(session=session, group_id=GROUP_ID, query=query, limit=None).ids


def titles(sessions, ids: list[int]) -> list[str]:
    with sessions() as session:
        found = {p.id: p.title for p in session.scalars(select(Practice))}
    return [found[i] for i in ids]


def region_id(sessions, name: str) -> int:
    with sessions() as session:
        return resolve_region(session=session, group_id=GROUP_ID, query=name).match.id


def test_a_word_finds_its_other_forms(sessions):
    trained = search(sessions, "train")
    training = search(sessions, "training")
    assert trained == training
    assert len(trained) >= 10
    with_training_in_title = [t for t in titles(sessions, trained) if "training" in t.lower()]
    assert with_training_in_title
    # "apprentice" finds "apprenticeships" and "apprentices" as well
    found = " ".join(titles(sessions, search(sessions, "apprentice"))).lower()
    assert "apprenticeships" in found
    assert "apprentice training" in found


def test_title_weighs_more_than_summary_and_summary_more_than_description(sessions):
    in_description = add_practice(
        sessions,
        title="Pilot hall for solvents",
        summary="Shared hall for solvent trials.",
        description="Zeolite catalysts are tested here. Zeolite work is the main use.",
    )
    in_summary = add_practice(
        sessions,
        title="Catalyst testing for small firms",
        summary="Small firms test zeolite catalysts in shared reactors.",
    )
    in_title = add_practice(
        sessions,
        title="Zeolite centre of the region",
        summary="A centre for catalysts.",
    )
    assert search(sessions, "zeolite") == [in_title, in_summary, in_description]


def test_case_and_accents_do_not_matter(sessions):
    strasse = add_practice(
        sessions, title="Training on the Chemiestraße", summary="Courses held at the Straße site."
    )
    for typed in ("Płock", "PLOCK", "plock"):
        assert len(search(sessions, typed)) == 3, typed
    assert search(sessions, "usti") == search(sessions, "ÚSTÍ") != []
    assert search(sessions, "STRASSE") == search(sessions, "straße") == [strasse]


def test_region_theme_and_pilot_filters_mix_with_words(sessions):
    limburg = region_id(sessions, "Limburg")
    in_limburg = search(sessions, region_id=limburg)
    assert len(in_limburg) == 3
    assert search(sessions, "labs", region_id=limburg) == [
        i for i in search(sessions, "labs") if i in in_limburg
    ]
    financing = search(sessions, theme="Financing")
    assert len(financing) == 2
    with sessions() as session:
        skills = resolve_pilot(session=session, group_id=GROUP_ID, query="skills").match.id
        themes = {p.id: p.theme_names for p in session.scalars(select(Practice))}
        pilots = {
            p.id: {x.key for x in p.pilots}
            for p in session.scalars(select(Practice).options(selectinload(Practice.pilots)))
        }
    assert all("Financing" in themes[i] for i in financing)
    in_skills = search(sessions, "training", pilot_id=skills)
    assert in_skills
    assert all("skills" in pilots[i] for i in in_skills)
    assert set(in_skills) < set(search(sessions, "training"))
    assert search(sessions, "training", region_id=limburg, theme="Financing") == []


def test_a_theme_filter_matches_whole_theme_names_only(sessions):
    # "Open innovation" must not match a practice whose themes merely contain the words.
    odd = add_practice(sessions, themes="Financing", summary="Open innovation is not its theme.")
    assert odd not in search(sessions, theme="Open innovation")
    assert odd in search(sessions, theme="Financing")


def test_several_words_need_all_of_them_else_any_of_them(sessions):
    zeolite = add_practice(sessions, title="Zeolite testing bench")
    membrane = add_practice(sessions, title="Membrane testing bench")

    def page(words: str):
        with sessions() as session:
            query = PracticeQuery(words=search_words(words))
            return search_practices(session=session, group_id=GROUP_ID, query=query)

    some = page("zeolite membrane")
    assert some.some_words is True
    assert sorted(some.ids) == sorted([zeolite, membrane])
    both = add_practice(sessions, title="Zeolite membrane pilot line")
    every = page("zeolite membrane")
    assert every.some_words is False
    assert every.ids == [both]


def test_pages_do_not_overlap_and_cover_every_match(sessions):
    everything = search(sessions, "training")
    pages = []
    with sessions() as session:
        for offset in range(0, len(everything), 5):
            pages += search_practices(
                session=session,
                group_id=GROUP_ID,
                query=PracticeQuery(words=("training",)),
                offset=offset,
                limit=5,
            ).ids
    assert pages == everything


def test_the_index_follows_changes_and_deletions(sessions):
    added = add_practice(sessions, title="Glassware exchange between labs")
    assert search(sessions, "glassware") == [added]
    with sessions.begin() as session:
        session.get(Practice, added).title = "Quartzware exchange between labs"
    assert search(sessions, "glassware") == []
    assert search(sessions, "quartzware") == [added]
    with sessions.begin() as session:
        session.execute(delete(Practice).where(Practice.id == added))
    assert search(sessions, "quartzware") == []


@pytest.mark.parametrize(
    "typed",
    [
        '"',
        "*",
        "train*",
        "a:b",
        "x & y | !z",
        "NEAR(a b)",
        "OR AND NOT",
        "(",
        "'; DROP TABLE",
        "r&d",
    ],
)
def test_query_syntax_of_the_databases_cannot_be_typed_in(sessions, typed):
    search(sessions, typed)  # no error from either database


def test_stop_words_are_not_searched_for(sessions):
    assert search_words("the training of the teachers") == ("training", "teachers")
    assert search(sessions, "the training") == search(sessions, "training")


def test_close_terms_offer_the_library_words_a_typo_meant(sessions):
    with sessions() as session:
        terms = close_terms(session=session, group_id=GROUP_ID, words=("trainig", "inovation"))
        nothing = close_terms(session=session, group_id=GROUP_ID, words=("zzqx",))
    assert "training" in terms
    assert "innovation" in terms
    assert nothing == []


def test_overview_counts_each_practice_once_by_its_main_theme(sessions):
    add_practice(sessions, themes="Regulation, Financing", region="Schleswig-Holstein")
    with sessions() as session:
        overview = library_overview(session=session, group_id=GROUP_ID)
    assert overview.total == 26
    assert sum(overview.main_themes.values()) == 26
    assert overview.main_themes["Regulation"] == 1
    assert overview.tagged_themes["Financing"] == 3
    assert sum(overview.tagged_themes.values()) > 26  # practices carry several themes
    assert dict((r.name, n) for r, n in overview.regions)["Schleswig-Holstein"] == 1
    assert overview.samples == 25
