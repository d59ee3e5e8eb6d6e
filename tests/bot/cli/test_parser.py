"""The command line's parser, built as often as a process needs it."""

from __future__ import annotations

from bot.cli import build_parser


def test_a_new_parser_never_gets_the_groups_of_an_old_one(monkeypatch):
    """CPython reuses the id() of a collected object: groups cached by id were handed to a
    later parser ("conflicting subparser: benchmark" when main() ran twice in one process).
    Every object having the same id makes that reuse certain."""
    monkeypatch.setattr("bot.cli.groups.id", lambda _: 1, raising=False)
    build_parser()
    parser = build_parser()
    args = parser.parse_args(["import", "benchmark", "figures.csv", "--year", "2014"])
    assert args.year == 2014
