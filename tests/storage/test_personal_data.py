"""Rewriting a person's identifiers: whole words only, inside JSON too, longest name first."""

from __future__ import annotations

import re
from pathlib import Path

from storage.personal_data import rewritten

REPLACE = {"U0ADA": "former-member-3", "Ada Lovelace": "former member 3", "Ada": "former member 3"}


def test_whole_words_are_replaced_and_parts_of_words_are_not():
    said = rewritten("Thanks <@U0ADA>, Ada Lovelace and Ada; Adamant stays", REPLACE)
    assert said == ("Thanks <@former-member-3>, former member 3 and former member 3; Adamant stays")


def test_json_values_and_keys_are_rewritten_and_other_values_kept():
    value = {"user": "U0ADA", "names": ["Ada Lovelace", 7], "U0ADA": True, "at": None}
    assert rewritten(value, REPLACE) == {
        "user": "former-member-3",
        "names": ["former member 3", 7],
        "former-member-3": True,
        "at": None,
    }


def test_a_short_name_is_replaced_only_as_a_whole_cell():
    short = {"Al": "former member 4"}
    assert rewritten("Al", short) == "former member 4"
    assert rewritten("Al wrote this", short) == "Al wrote this"


def test_nothing_in_the_bot_updates_or_deletes_audit_rows_but_the_erasure():
    root = Path(__file__).resolve().parents[2]
    writes = re.compile(
        r"(update|delete)\(\s*AuditEntry|AuditEntry\.__table__|audit_entry\b.*(UPDATE|DELETE)"
    )
    offenders = [
        str(path.relative_to(root))
        for folder in ("bot", "commands", "storage")
        for path in (root / folder).rglob("*.py")
        if "migrations" not in path.parts and writes.search(path.read_text())
    ]
    assert offenders == []
