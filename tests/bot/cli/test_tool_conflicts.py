"""A feature's tool that would take the words of another tool or of the command line's own
sub-commands (``db``, ``run``, ``export audit``) is refused where it registers, in one line naming
both, instead of argparse's "conflicting subparser" traceback when the command line is built."""

from __future__ import annotations

import sys
import types

import pytest

from bot.cli import main, own_words
from commands.registry import RegistrationConflict, Registry
from commands.tools import EXPORT, Tool, ToolGroup, ToolOutcome


def wipe(_ctx, _args) -> ToolOutcome:
    return ToolOutcome()


def pilots_again(_ctx, _args) -> ToolOutcome:
    return ToolOutcome()


def tool(group: ToolGroup, name: str, run=wipe) -> Tool:
    return Tool(group, name, help="h", topic="t", arguments=lambda _parser: None, run=run)


DB = ToolGroup("db", "the group's own database chores")
RUN = ToolGroup("run", "runs")
HERE = __name__


def test_a_second_tool_with_the_same_words_is_refused_naming_both():
    registry = Registry()
    registry.add_tool(tool(EXPORT, "pilots", run=pilots_again))
    with pytest.raises(RegistrationConflict) as refused:
        registry.add_tool(tool(EXPORT, "pilots"))
    assert str(refused.value) == (
        f"tool 'export pilots' ({HERE}.wipe) has the words of tool 'export pilots' "
        f"({HERE}.pilots_again): give one of them another name"
    )
    assert registry.tools[("export", "pilots")].run is pilots_again


@pytest.mark.parametrize(
    ("taking", "words", "owner"),
    [
        (tool(DB, "wipe"), "group 'db'", "bot.cli.db"),
        (tool(RUN, "fast"), "group 'run'", "bot.cli.run"),
        (tool(ToolGroup("group", "g"), "merge"), "group 'group'", "bot.cli.working_groups"),
        (tool(EXPORT, "audit"), "words 'export audit'", "bot.cli.export_audit"),
    ],
    ids=lambda value: value.key[0] if isinstance(value, Tool) else None,
)
def test_a_tool_taking_the_command_lines_own_words_is_refused_naming_both(taking, words, owner):
    registry = Registry()
    registry.take_tool_words(own_words())
    with pytest.raises(RegistrationConflict) as refused:
        registry.add_tool(taking)
    said = str(refused.value)
    assert said.startswith(f"tool {' '.join(taking.key)!r} ({HERE}.wipe) has the {words} ")
    assert f"of the command line's own sub-command ({owner})" in said
    assert registry.tools == {}

    # Registered before the words were taken, it is refused when they are.
    earlier = Registry()
    earlier.add_tool(taking)
    with pytest.raises(RegistrationConflict, match=owner):
        earlier.take_tool_words(own_words())


def test_the_shared_groups_still_take_tools_of_other_names():
    registry = Registry()
    registry.take_tool_words(own_words())
    registry.add_tool(tool(EXPORT, "minutes"))
    assert ("export", "minutes") in registry.tools


def _feature(monkeypatch, name: str, *tools: Tool) -> None:
    """A module named in CHEMCLUST_FEATURES whose ``register`` adds ``tools``."""
    module = types.ModuleType(name)
    module.register = lambda registry: [registry.add_tool(each) for each in tools]
    monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setenv("CHEMCLUST_FEATURES", name)


@pytest.mark.parametrize(
    ("taking", "named"),
    [
        (tool(DB, "wipe"), "has the group 'db' of the command line's own sub-command (bot.cli.db)"),
        (
            tool(EXPORT, "pilots"),
            "has the words of tool 'export pilots' (commands.pilots.tools.export_pilots)",
        ),
    ],
    ids=["db", "export pilots"],
)
def test_the_command_line_says_which_feature_and_which_words_in_one_line(
    taking, named, monkeypatch, capsys
):
    _feature(monkeypatch, "made_up_feature", taking)
    code = main(["--help"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert "Traceback" not in err
    (line,) = err.splitlines()
    assert line.startswith(
        "chemclust-bot: CHEMCLUST_FEATURES names made_up_feature, whose registration is "
        f"refused: tool {' '.join(taking.key)!r} ({HERE}.wipe) "
    )
    assert named in line


def test_a_registry_handed_to_the_command_line_is_held_to_its_words(capsys):
    registry = Registry()
    registry.add_tool(tool(DB, "wipe"))
    assert main(["--help"], registry=registry) == 2
    assert capsys.readouterr().err.startswith(f"chemclust-bot: tool 'db wipe' ({HERE}.wipe) has")
