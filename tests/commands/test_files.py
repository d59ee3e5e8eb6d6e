"""Core.receive_file: the intakes are asked in turn; the first that claims a file reads it."""

from __future__ import annotations

from commands.core import Core
from commands.files import FileIntake, IncomingFile
from commands.registry import Registry
from commands.reply import Paragraph, Reply, plain, text
from tests.conftest import FIXED_NOW


def answering(name: str, seen: list[str]) -> FileIntake:
    def receive(ctx, incoming: IncomingFile) -> Reply:
        seen.append(f"{name}:{incoming.filename}")
        return Reply(parts=(Paragraph(text(f"{name} read it")),))

    return FileIntake(
        reads=f"{name} files (.{name})",
        claims=lambda incoming: incoming.filename.endswith("." + name),
        receive=receive,
    )


def core_with(sessions, *intakes: FileIntake) -> Core:
    registry = Registry()
    for intake in intakes:
        registry.add_file_intake(intake)
    return Core(registry, sessions, clock=lambda: FIXED_NOW)


def test_the_first_intake_that_claims_the_file_reads_it(sessions, partner):
    seen: list[str] = []
    core = core_with(sessions, answering("csv", seen), answering("txt", seen))
    reply = core.receive_file(partner, IncomingFile("notes\x00.txt", b"hi", "D1:1:F1"))
    assert plain(reply.parts[0].text) == "txt read it"
    assert seen == ["txt:notes.txt"]  # the name cleaned like any text people send


def test_a_file_nobody_claims_is_answered_privately_and_read_by_none(sessions, partner):
    seen: list[str] = []
    core = core_with(sessions, answering("csv", seen), answering("txt", seen))
    reply = core.receive_file(partner, IncomingFile("photo.png", b"\x89PNG", "D1:1:F2"))
    assert reply.private
    assert reply.summary == "I read csv files (.csv); txt files (.txt)."
    assert seen == []


def test_a_bot_with_no_intake_says_it_reads_no_files(sessions, partner):
    reply = core_with(sessions).receive_file(partner, IncomingFile("a.csv", b"", "D1:1:F3"))
    assert reply.summary == "The bot reads no files."
