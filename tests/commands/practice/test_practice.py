"""``/practice`` as people use it: typed lines, buttons and form submissions through the core."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from bot.console.render import render
from bot.console.repl import run_console
from commands import build_registry
from commands.core import Core
from commands.practice.form import ADD_FORM, EDIT_FORM
from commands.practice.search import SEARCH_ACTION
from commands.practice.views import DETAILS_ACTION
from commands.reply import Actions, FormErrors, Paragraph, Table, plain
from storage.regions import list_regions
from tests.conftest import FIXED_NOW
from tests.support.forms import stored_state
from tests.support.practices import console_identity, count, get, join

SUMMARY_WORD = "spectrometers"
NEW_PRACTICE = (
    "Shared analytics lab for SMEs | Limburg | R&D, financing | "
    f"SMEs book time on mass {SUMMARY_WORD} in a shared lab."
)


def results(reply) -> list[Paragraph]:
    return [p for p in reply.parts if isinstance(p, Paragraph) and p.button]


def buttons(reply) -> list:
    return [b for part in reply.parts if isinstance(part, Actions) for b in part.buttons]


def form_values(**changes) -> dict[str, str]:
    values = {
        "title": "Shared analytics lab for SMEs",
        "region": "limburg",
        "theme": "Shared R&D facilities",
        "other_themes": "",
        "pilots": "",
        "category": "",
        "organisation": "",
        "summary": "SMEs book time on a shared mass spectrometer.",
        "description": "",
        "resources_needed": "",
        "evidence_of_success": "",
        "difficulties_met": "",
        "potential_for_transfer": "",
        "contact": "",
        "link": "",
        "year": "",
    }
    return values | changes


# Done when -------------------------------------------------------------------------------------


def test_practice_training_returns_ranked_practices_each_naming_its_region(core, partner):
    with core.sessions() as session:
        regions = [r.name for r in list_regions(session=session, group_id=1)]
    reply = core.run_line(partner, "/practice training")
    assert reply.private is False
    items = results(reply)
    assert len(items) == 5
    for rank, item in enumerate(items, start=1):
        shown = plain(item.text)
        assert shown.startswith(f"{rank}. ")
        assert any(f"\n{region} · " in shown for region in regions), shown
        assert item.button.action_id == DETAILS_ACTION
        assert f"#{item.button.value}" in shown
    assert "training" in plain(items[0].text).split("\n")[0].lower()
    assert plain(reply.parts[0].text).startswith("13 practices match “training”, best first")
    (more,) = buttons(reply)
    assert (more.label, more.action_id, more.value) == ("More results", SEARCH_ACTION, "5|training")
    assert "illustrative" in plain(reply.footnote)


def theme_counts(reply) -> dict[str, int]:
    themes = next(p for p in reply.parts if isinstance(p, Table))
    return {row[0]: int(row[1]) for row in themes.rows}


def test_practice_alone_lists_themes_with_counts_that_sum_to_the_library(core, coordinator):
    reply = core.run_line(coordinator, "/practice")
    counts = theme_counts(reply)
    total = counts.pop("All practices")
    assert total == count(core.sessions) == 25
    assert sum(counts.values()) == total
    assert len(counts) == 8
    assert "main (first-listed) theme" in render(reply)
    regions = [p for p in reply.parts if isinstance(p, Table)][1]
    assert dict(regions.rows)["Schleswig-Holstein"] == "0"

    core.run_line(coordinator, f"/practice add {NEW_PRACTICE}")
    counts = theme_counts(core.run_line(coordinator, "/practice"))
    assert counts.pop("All practices") == sum(counts.values()) == 26


def test_practice_zzqx_is_answered_privately_with_suggestions(core, partner):
    reply = core.run_line(partner, "/practice zzqx")
    assert reply.private is True
    assert reply.summary == "No practice matches “zzqx”."
    suggested = buttons(reply)
    assert {b.label for b in suggested} >= {"Skills and training", "Financing"}
    assert all(b.action_id == SEARCH_ACTION for b in suggested)
    typo = core.run_line(partner, "/practice trainig")
    assert "training" in [b.label for b in buttons(typo)]
    followed = core.run_action(partner, SEARCH_ACTION, "0|training")
    assert len(results(followed)) == 5


def test_a_practice_added_in_the_console_is_found_by_a_word_from_its_summary(sessions, tmp_path):
    console = Core(
        build_registry(), sessions, coordinators=frozenset({"console"}), clock=lambda: FIXED_NOW
    )
    lines = io.StringIO(f"/practice add {NEW_PRACTICE}\n/practice {SUMMARY_WORD}\n")
    out = io.StringIO()
    run_console(console, console_identity(), out_dir=tmp_path, stdin=lines, stdout=out)
    added, found = out.getvalue().strip().split("\n\n")[:2]
    assert added.startswith("New good practice #26")
    assert "1 practice matches “spectrometers”" in found
    assert "Shared analytics lab for SMEs  #26\nLimburg · Shared R&D facilities, Financing" in found
    practice = get(sessions, 26)
    assert practice.created_by.platform_user_id == "console"
    assert practice.is_sample is False


# Search ----------------------------------------------------------------------------------------


def test_more_results_and_details_buttons_answer_the_person_who_clicked(core, partner):
    first = [item.button.value for item in results(core.run_line(partner, "/practice training"))]
    page = core.run_action(partner, SEARCH_ACTION, "5|training")
    assert page.private is True
    second = [item.button.value for item in results(page)]
    assert len(second) == 5
    assert not set(first) & set(second)
    assert plain(results(page)[0].text).startswith("6. ")
    typed = core.run_line(partner, "/practice training page:2")
    assert [item.button.value for item in results(typed)] == second
    record = core.run_action(partner, DETAILS_ACTION, first[0])
    assert record.private is True
    assert record.heading == get(core.sessions, int(first[0])).title


def test_words_and_filters_mix_and_quotes_hold_several_words(core, partner):
    reply = core.run_line(partner, "/practice labs region:limburg")
    regions = {plain(i.text).split("\n")[1].split(" · ")[0] for i in results(reply)}
    assert regions == {"Limburg"}
    assert plain(reply.parts[0].text).startswith("2 practices from Limburg match “labs”")
    for typed in ('theme:"open innovation"', "theme:“open innovation”", "theme:oi"):
        quoted = core.run_line(partner, f"/practice {typed} pilot:skills")
        assert plain(quoted.parts[0].text).startswith(
            "1 practice on Open innovation for the pilot “Skills foresight”"
        ), typed
    theme_only = core.run_line(partner, "/practice theme:train")
    assert plain(theme_only.parts[0].text).startswith("12 practices on Skills and training")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("/practice region:atlantis", "I don't know a region called “atlantis”. Closest:"),
        ("/practice region:west", "“west” fits several:"),
        ("/practice theme:astrology", "I don't know a theme called “astrology”."),
        ("/practice pilot:moon", "I don't know a pilot action called “moon”."),
        ("/practice year:2010", "There is no “year:” filter"),
        ("/practice region:limburg region:novara", "Give one region: filter at a time."),
        ("/practice training page:0", "“0” is not a page number."),
        ("/practice training page:9", "There are only 13 results"),
        ("/practice show", "Say which practice"),
        ("/practice show eight", "“eight” is not a practice number"),
        ("/practice show 999", "There is no practice #999."),
    ],
)
def test_bad_searches_get_a_private_answer_that_says_what_was_wrong(core, partner, typed, message):
    reply = core.run_line(partner, typed)
    assert reply.private is True
    assert message in render(reply)
    assert "Usage:" in render(reply)


def test_a_region_without_practices_invites_its_first(core, partner):
    reply = core.run_line(partner, "/practice region:SH")
    assert reply.private is True
    assert reply.summary == "No practice from Schleswig-Holstein is in the library yet."
    filtered = core.run_line(partner, "/practice apprentice region:novara")
    assert filtered.summary == "No practice from Novara matches “apprentice”."
    everywhere = core.run_line(partner, "/practice apprentice")
    assert f"Without the filters, {everywhere.summary.split(' match')[0]} match." in render(
        filtered
    )
    assert any(b.value == "0|apprentice" for b in buttons(filtered))


def test_show_gives_the_whole_record_with_the_sample_note(core, partner):
    reply = core.run_line(partner, "/practice show #8")
    assert reply.heading == "Open innovation at Brightlands Chemelot Campus"
    shown = render(reply)
    for piece in (
        "Region         Limburg",
        "Pilot actions  Chemical parks as knowledge sites, Open innovation",
        "#8, sample record",
        "Evidence of success\nProgress is measured",
        "https://www.brightlands.com",
    ):
        assert piece in shown
    assert "/practice edit 8" not in shown  # a partner may not change a sample record
    assert "illustrative" in plain(reply.footnote)


# Adding and changing ---------------------------------------------------------------------------


def test_partners_add_for_their_own_region_only(core, partner):
    refused = core.run_line(partner, f"/practice add {NEW_PRACTICE}")
    assert refused.private is True
    assert "/chemclust join" in render(refused)
    join(core, partner, "Novara")
    other = core.run_line(partner, f"/practice add {NEW_PRACTICE}")
    assert "Partners add practices of their own region (Novara), not Limburg" in render(other)
    assert count(core.sessions) == 25
    own = core.run_line(partner, f"/practice add {NEW_PRACTICE.replace('Limburg', 'Novara')}")
    assert own.heading == "New good practice #26"
    assert get(core.sessions, 26).region.name == "Novara"


def test_console_add_explains_every_problem_and_writes_nothing(core, coordinator):
    parts = core.run_line(coordinator, "/practice add Only a title | Limburg")
    assert "Give four parts separated by “|”, not 2" in render(parts)
    bad = core.run_line(coordinator, "/practice add Labs | Atlantis | astrology | ")
    shown = render(bad)
    for line in (
        "• Title: Give the title at least 5 characters.",
        "• Region: I don't know a partner region called “Atlantis”.",
        "• Themes: “astrology” is not a theme.",
        "• Summary: Fill in the summary.",
    ):
        assert line in shown
    usage = core.run_line(coordinator, "/practice add")
    assert "Usage:\n/practice add <title> | <region> | <theme> | <summary>" in render(usage)
    assert count(core.sessions) == 25


def test_the_author_and_coordinators_edit_others_may_not(core, partner, coordinator):
    join(core, partner, "Limburg")
    core.run_line(partner, f"/practice add {NEW_PRACTICE}")
    changed = core.run_line(partner, "/practice edit 26 year=2011 | organisation=LIOF")
    assert "updated: Organisation, Year." in render(changed)
    assert get(core.sessions, 26).year == 2011
    same = core.run_line(partner, "/practice edit 26 year=2011")
    assert "updated: nothing changed." in render(same)

    stranger = partner.__class__(**{**partner.__dict__, "user_id": "USTRANGER"})
    join(core, stranger, "Limburg")
    refused = core.run_line(stranger, "/practice edit 26 year=2012")
    assert "Only the person who added practice #26 and the coordinators" in render(refused)
    assert core.run_line(partner, "/practice edit 8 year=2013").private is True
    assert get(core.sessions, 8).year == 2012

    moved = core.run_line(coordinator, "/practice edit 8 themes=financing, open innovation")
    assert "updated: Themes." in render(moved)
    assert get(core.sessions, 8).theme_names == ["Financing", "Open innovation"]


def test_edit_syntax_errors_are_explained(core, coordinator):
    unknown = core.run_line(coordinator, "/practice edit 8 colour=blue")
    assert "“colour=blue” does not name a field. Fields: title, region" in render(unknown)
    bad = core.run_line(coordinator, "/practice edit 8 link=not a link")
    assert "• Link: Give a web address" in render(bad)
    missing = core.run_line(coordinator, "/practice edit 999 year=2011")
    assert "There is no practice #999." in render(missing)
    current = core.run_line(coordinator, "/practice edit 8")
    assert "title=Open innovation at Brightlands Chemelot Campus" in render(current)
    assert "year=2012" in render(current)


# The modal ------------------------------------------------------------------------------------


def test_add_opens_a_form_with_the_partners_region_only(core, partner, coordinator):
    join(core, partner, "Limburg")
    form = core.run_command(partner, "practice", "add", can_open_forms=True).form
    assert form.form_id == ADD_FORM
    names = [f.name for f in form.fields]
    assert names[:4] == ["title", "region", "theme", "other_themes"]
    region = form.fields[1]
    assert region.options == (("limburg", "Limburg"),)
    assert region.initial == "limburg"
    assert {f.name for f in form.fields if f.required} == {"title", "region", "theme", "summary"}
    everyone = core.run_command(coordinator, "practice", "add", can_open_forms=True).form
    assert len(everyone.fields[1].options) == 10


def test_edit_opens_the_form_filled_in(core, coordinator):
    form = core.run_command(coordinator, "practice", "edit 8", can_open_forms=True).form
    assert form.form_id == EDIT_FORM
    assert stored_state(core.sessions, form.state) == "8"
    initial = {f.name: f.initial for f in form.fields}
    assert initial["title"] == "Open innovation at Brightlands Chemelot Campus"
    assert initial["region"] == "limburg"
    assert initial["theme"] == "Shared R&D facilities"
    assert initial["other_themes"] == "Open innovation, Chemical parks"
    assert initial["year"] == "2012"


def test_form_problems_go_back_to_their_fields_and_nothing_is_written(core, partner):
    join(core, partner, "Limburg")
    token = core.run_command(partner, "practice", "add", can_open_forms=True).form.state
    with pytest.raises(FormErrors) as raised:
        core.submit_form(
            partner,
            ADD_FORM,
            form_values(
                title="",
                summary="x" * 501,
                link="www.example.org",
                year="2031",
                other_themes="astrology",
                pilots="moon",
            ),
            token,
        )
    errors = raised.value.errors
    assert set(errors) == {"title", "summary", "link", "year", "other_themes", "pilots"}
    assert errors["title"] == "Fill in the title."
    assert errors["summary"] == "Summary is 501 characters long; the most is 500."
    with pytest.raises(FormErrors) as elsewhere:
        core.submit_form(partner, ADD_FORM, form_values(region="novara"), token)
    assert "own region (Limburg)" in elsewhere.value.errors["region"]
    assert count(core.sessions) == 25


def test_a_valid_form_adds_the_practice_and_announces_it(core, partner):
    join(core, partner, "Limburg")
    token = core.run_command(partner, "practice", "add", can_open_forms=True).form.state
    reply = core.submit_form(
        partner, ADD_FORM, form_values(pilots="skills", other_themes="financing"), token
    ).reply
    assert reply.private is False
    assert reply.summary == "New good practice from Limburg: Shared analytics lab for SMEs"
    practice = get(core.sessions, 26)
    assert practice.theme_names == ["Shared R&D facilities", "Financing"]
    assert [p.key for p in practice.pilots] == ["skills"]
    assert practice.created_by.platform_user_id == partner.user_id
    same_otherwise = form_values(pilots="skills", other_themes="financing", year="2010")
    token = core.run_command(partner, "practice", "edit 26", can_open_forms=True).form.state
    edited = core.submit_form(partner, EDIT_FORM, same_otherwise, token).reply
    assert "updated: Year." in render(edited)


# Export ----------------------------------------------------------------------------------------


def test_export_sends_a_workbook_and_a_csv_privately(core, partner):
    reply = core.run_line(partner, "/practice export")
    assert reply.private is True
    workbook, table = reply.files
    assert workbook.filename == "good-practices-2026-11-28.xlsx"
    assert table.mime_type == "text/csv"
    assert load_workbook(io.BytesIO(workbook.content)).active.max_row == 26
    assert len(list(csv.reader(io.StringIO(table.content.decode("utf-8-sig"))))) == 26
    limburg = core.run_line(partner, "/practice export region:limburg")
    assert load_workbook(io.BytesIO(limburg.files[0].content)).active.max_row == 4
    nothing = core.run_line(partner, "/practice export zzqx")
    assert nothing.files == ()
    assert "No practice to export" in render(nothing)


def test_help_shows_examples(core, partner):
    reply = core.run_line(partner, "/practice help")
    assert reply.private is True
    assert "/practice pilot plant region:limburg" in render(reply)
