"""The three rooms: imports point one way, bot -> commands -> storage."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLATFORM_LIBRARIES = ("slack_bolt", "slack_sdk", "microsoft_agents", "aiohttp")
FORBIDDEN = {
    "commands": ("bot", *PLATFORM_LIBRARIES),
    "storage": ("bot", "commands", *PLATFORM_LIBRARIES),
}


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


@pytest.mark.parametrize("room", sorted(FORBIDDEN))
def test_rooms_do_not_import_upwards_or_platforms(room):
    offences = []
    for path in sorted((ROOT / room).rglob("*.py")):
        for module in imported_modules(path):
            top = module.split(".")[0]
            if top in FORBIDDEN[room]:
                offences.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offences == []


# What bot/ may import from commands/: the core and its vocabulary, the registry and what is
# registered in it, and the feature list. Features themselves reach bot/ only through these.
COMMANDS_PUBLIC_SURFACE = {
    "commands.context",
    "commands.conversation",
    "commands.core",
    "commands.failures",
    "commands.files",
    "commands.jobs",
    "commands.messages",
    "commands.offload",
    "commands.port",
    "commands.registry",
    "commands.reply",
    "commands.routes",
    "commands.surface",
    "commands.tools",
}
FEATURE_LIST = {"build_registry", "register"}  # what ``from commands import …`` may name


def imports_past_the_surface(source: str) -> list[str]:
    """The imports in ``source`` of commands/ modules outside its public surface."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "commands":
                found += [f"commands.{a.name}" for a in node.names if a.name not in FEATURE_LIST]
                continue
            modules = [node.module]
        else:
            continue
        found += [
            module
            for module in modules
            if module.startswith("commands.") and module not in COMMANDS_PUBLIC_SURFACE
        ]
    return found


def test_adapters_import_no_feature_only_the_public_surface_of_commands():
    offences = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        source = path.read_text(encoding="utf-8")
        offences += [f"{relative} imports {m}" for m in imports_past_the_surface(source)]
    assert offences == []


@pytest.mark.parametrize(
    "line",
    [
        "from commands.pilots.log import LOG_FORM",
        "import commands.benchmark.imports",
        "from commands import pilots",
        "from commands.reminders.dispatch import Dispatcher",
        "def f():\n    from commands.events.calendar import calendar_for_token",
    ],
)
def test_the_surface_check_catches_a_feature_imported_by_an_adapter(line):
    assert imports_past_the_surface(line) != []


@pytest.mark.parametrize(
    "line",
    [
        "from commands import build_registry",
        "from commands.core import Core",
        "import commands.reply",
        "from bot.slack import render",
        "from . import sibling",
    ],
)
def test_the_surface_check_lets_the_public_surface_through(line):
    assert imports_past_the_surface(line) == []


def test_heavy_libraries_are_not_imported_at_start_up():
    """pandas and friends load when a command needs them, not when the bot starts."""
    import subprocess
    import sys

    probe = (
        "import sys, bot.cli, bot.server, commands;"
        "heavy = [m for m in ('pandas', 'numpy', 'matplotlib', 'openpyxl') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


# Features know no platform -----------------------------------------------------------------

PLATFORM_NAMES = frozenset({"slack", "teams", "console"})
HTTP_CLIENTS = (
    "requests",
    "aiohttp",
    "httpx",
    "urllib.request",
    "urllib3",
    "http.client",
    "slack_sdk",
)
# What builds SQL by hand; bot/ leaves every query to storage.
QUERY_BUILDERS = tuple(
    f"sqlalchemy.{name}"
    for name in ("select", "insert", "update", "delete", "text", "func", "sql", "orm.Query")
)
# Markup one platform renders and the others print as it is: Slack's mentions, broadcasts
# (<!channel>), dates and links, Teams' <at> mentions, Block Kit and Adaptive Card structure.
PLATFORM_MARKUP = re.compile(
    r"<[@#](?:[\w({\[]|$)|<!(?:channel|here|everyone|date|subteam)|</?at>|<https?://"
    r"|\bmrkdwn\b|\bplain_text\b|AdaptiveCard|\bTextBlock\b"
    r"|\bAction\.(Submit|Execute|OpenUrl)\b|\bInput\.(Text|ChoiceSet|Date)\b"
)
# Slack's *bold*; Reply's Bold is what a command uses, and each platform renders it.
SLACK_BOLD = re.compile(r"(?<![\w*])\*\w(?:[^*\n]*\w)?\*(?![\w*])")
PLATFORM_WORDS = re.compile(r"\b(Slack|Teams)\b")


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string nodes that are docstrings: read by developers, never by users."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    skip = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


def _names_a_platform(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr == "platform"
    return isinstance(node, ast.Name) and node.id.lower().endswith("platform")


def _is_a_name(node: ast.AST) -> bool:
    """A value that can only be a platform's name: a string, a constant, a literal of them."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Name):
        return node.id.isupper()
    return isinstance(node, ast.Tuple | ast.List | ast.Set)


def platform_branches(source: str) -> list[str]:
    """Where a source tells platforms apart by name: a platform's name spelled as a value, or
    a platform compared with a name (a stored row's with a person's, or with None, is fine)."""
    tree = ast.parse(source)
    found = [
        (line, f"the platform name “{value}”")
        for line, value in _strings(tree)
        if value.strip().lower() in PLATFORM_NAMES
    ]
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = (node.left, *node.comparators)
            if any(map(_names_a_platform, sides)) and any(map(_is_a_name, sides)):
                found.append((node.lineno, "compares a platform"))
        elif isinstance(node, ast.Match) and _names_a_platform(node.subject):
            found.append((node.lineno, "matches on a platform"))
    return _by_line(found)


def _by_line(found: list[tuple[int, str]]) -> list[str]:
    return [f"line {line}: {what}" for line, what in sorted(found, key=lambda item: item[0])]


def platform_wording(source: str) -> list[str]:
    """Strings users could read that hold one platform's markup or name a platform."""
    found = []
    for line, value in _strings(ast.parse(source)):
        for pattern, what in (
            (PLATFORM_MARKUP, "platform markup"),
            (SLACK_BOLD, "Slack's *bold*"),
            (PLATFORM_WORDS, "a platform's name"),
        ):
            found += [(line, f"{what} “{hit.group(0)}”") for hit in pattern.finditer(value)]
    return _by_line(found)


def _sources(room: str) -> list[tuple[str, str]]:
    return [
        (str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / room).rglob("*.py"))
    ]


def test_commands_tell_no_platform_apart_by_name():
    offences = [
        f"{path} {found}"
        for path, source in _sources("commands")
        for found in platform_branches(source)
    ]
    assert offences == []


def test_commands_hold_no_platform_markup_and_name_no_platform_to_users():
    offences = [
        f"{path} {found}"
        for path, source in _sources("commands")
        for found in platform_wording(source)
    ]
    assert offences == []


def imported_names(path: Path) -> list[str]:
    """Every module a file imports; ``from http import client`` counts as ``http.client``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return found


def imports_of(root: Path, room: str, modules: tuple[str, ...]) -> list[str]:
    """Where the room imports one of ``modules`` or anything inside them."""
    return [
        f"{path.relative_to(root)} imports {name}"
        for path in sorted((root / room).rglob("*.py"))
        for name in dict.fromkeys(imported_names(path))
        if any(name == module or name.startswith(f"{module}.") for module in modules)
    ]


def test_storage_makes_no_network_calls():
    assert imports_of(ROOT, "storage", HTTP_CLIENTS) == []


def test_bot_builds_no_queries():
    """The CLI and the adapters call commands or storage functions, which own every query."""
    assert imports_of(ROOT, "bot", QUERY_BUILDERS) == []


# The checks above catch what they are for --------------------------------------------------


def test_platform_branches_are_found_and_identities_may_be_compared():
    source = """
def reply(ctx, upload, hints):
    if ctx.identity.platform == "teams":
        pass
    if platform != TEAMS:
        pass
    if ctx.identity.platform in ("slack", "teams"):
        pass
    match ctx.identity.platform:
        case _:
            pass
    hint = hints.get(upload.platform, "slack")
    if upload.platform != ctx.identity.platform:
        pass
    return "Console output"
"""
    assert platform_branches(source) == [
        "line 3: the platform name “teams”",
        "line 3: compares a platform",
        "line 5: compares a platform",
        "line 7: the platform name “slack”",
        "line 7: the platform name “teams”",
        "line 7: compares a platform",
        "line 9: matches on a platform",
        "line 12: the platform name “slack”",
    ]


def test_platform_markup_and_names_are_found_in_what_users_read_not_in_docstrings():
    source = '''
def reply(user):
    """Answers as Slack would, in *bold*, with <@U1> and an AdaptiveCard."""
    return [
        f"Hi <@{user}>, see <https://example.org|the page>",
        "Attention <!channel>",
        "Written to <at>Ada</at>",
        {"type": "AdaptiveCard", "body": [{"type": "TextBlock"}]},
        "This is *important* now",
        "Use your Slack time zone",
        "In Teams the bot reads mentions",
        "5 * 3 * 2 and a footnote*",
    ]
'''
    assert platform_wording(source) == [
        "line 5: platform markup “<@”",
        "line 5: platform markup “<https://”",
        "line 6: platform markup “<!channel”",
        "line 7: platform markup “<at>”",
        "line 7: platform markup “</at>”",
        "line 8: platform markup “AdaptiveCard”",
        "line 8: platform markup “TextBlock”",
        "line 9: Slack's *bold* “*important*”",
        "line 10: a platform's name “Slack”",
        "line 11: a platform's name “Teams”",
    ]


def test_imports_are_found_however_they_are_written(tmp_path):
    (tmp_path / "storage").mkdir()
    (tmp_path / "storage" / "fetching.py").write_text(
        "import requests\n"
        "from urllib import request\n"
        "from http.client import HTTPSConnection\n"
        "import urllib.parse\n"
        "def late():\n"
        "    import httpx\n"
    )
    assert imports_of(tmp_path, "storage", HTTP_CLIENTS) == [
        f"{Path('storage/fetching.py')} imports requests",
        f"{Path('storage/fetching.py')} imports urllib.request",
        f"{Path('storage/fetching.py')} imports http.client",
        f"{Path('storage/fetching.py')} imports http.client.HTTPSConnection",
        f"{Path('storage/fetching.py')} imports httpx",
    ]
