"""Reading updates out of messages: what counts as an update, and what is conversation."""

from __future__ import annotations

import pytest

from commands.pilots.parse import (
    UpdateText,
    looks_like_update,
    parse_milestone_ref,
    parse_status,
    parse_update,
    split_pilot,
)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "update skills: Teacher training held in Warsaw, 24 teachers",
            UpdateText("skills", "Teacher training held in Warsaw, 24 teachers"),
        ),
        (
            "Update open innovation: Workshop moved [delayed]",
            UpdateText("open innovation", "Workshop moved", status="delayed"),
        ),
        (
            "UPDATE   parks : [On Track] [M2] site visit at 10:30",
            UpdateText("parks", "site visit at 10:30", status="on_track", milestone=2),
        ),
        ("update: [done] report sent", UpdateText(None, "report sent", status="done")),
        (
            "update skills: [milestone 3] curriculum [draft] ready",
            UpdateText("skills", "curriculum [draft] ready", milestone=3),
        ),
        (
            "update skills: [done] first\n[delayed] second line",
            UpdateText("skills", "first\nsecond line", status="done", conflicts=("[delayed]",)),
        ),
        ("update skills: [done]", UpdateText("skills", "", status="done")),
    ],
)
def test_updates_are_read_with_their_tags(message, expected):
    assert parse_update(message) == expected


@pytest.mark.parametrize(
    "message",
    [
        "Good morning!",
        "I will update the slides tonight",
        "Updated the agenda: see the pinned doc",
        "update skills",
        "update from the meeting with the regional ministry yesterday: all fine",
        "Can someone update me: when is the workshop?",
        "",
    ],
)
def test_conversation_is_not_an_update(message):
    assert parse_update(message) is None


def test_the_cheap_first_look_lets_through_only_messages_starting_with_update():
    assert looks_like_update("update skills: x")
    assert looks_like_update("  Update: x")
    assert not looks_like_update("updates are welcome")
    assert not looks_like_update("Good morning, update skills: x")


def test_statuses_and_milestone_references_as_people_type_them():
    assert parse_status("On-track") == "on_track"
    assert parse_status("late") == "delayed"
    assert parse_status("maybe") is None
    assert [parse_milestone_ref(v) for v in ("M2", "m 2", "2", "#2", "milestone 12", "x2")] == [
        2,
        2,
        2,
        2,
        12,
        None,
    ]


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ("skills: Teacher training", ("skills", "Teacher training")),
        ("open innovation Workshop held", ("open innovation", "Workshop held")),
        ("skils Workshop held", ("skils", "Workshop held")),
        ("open innovation: Workshop at 10:30", ("open innovation", "Workshop at 10:30")),
        ("skills line one\nline two", ("skills", "line one\nline two")),
        ("skills see http://x.org", ("skills", "see http://x.org")),
        ("skils: typo before a colon", ("skils", "typo before a colon")),
        ("", ("", "")),
    ],
)
def test_a_pilot_is_split_off_the_front_of_a_command(arguments, expected):
    spellings = {"skills", "open innovation", "open-innovation", "parks"}
    assert split_pilot(arguments, spellings) == expected
