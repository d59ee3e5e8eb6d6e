"""Reading a working group's file (YAML): every problem is found, with its line, before anything
is written, so a wrong file is refused whole and its author can fix it in one pass.

It lives in storage, beside the other importers that answer with row or line numbers
(practice_files, benchmark_cells), because the seed reads ChemClust's own file with it at every
start and storage cannot reach up into bot: one checker for the shipped file and for
``chemclust-bot group create --config``. Its wording is for whoever wrote the file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from storage.group_creation import (
    CoordinatorSpec,
    GroupSpec,
    IndicatorSpec,
    PilotSpec,
    RegionSpec,
    region_names,
)
from storage.text import fold

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{1,63}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_NUTS = re.compile(r"[A-Z]{2}[A-Z0-9]{0,3}")
_CODE = re.compile(r"[A-Z0-9_]{1,32}")
_DIRECTIONS = {"higher": True, "lower": False}
_PLATFORMS = ("slack", "teams")
# libyaml's loader reads ChemClust's file at every start in 8 ms instead of 57; same line marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Problems:
    """What is wrong with the file, each as "line N: what", in the order found."""

    lines: list[str] = field(default_factory=list)

    def add(self, node: Node, message: str) -> None:
        self.lines.append(f"line {node.start_mark.line + 1}: {message}")


def _fields(node: Node, what: str, allowed: set[str], problems: Problems) -> dict[str, Node]:
    if not isinstance(node, MappingNode):
        problems.add(node, f"{what} must be a set of `key: value` lines")
        return {}
    fields: dict[str, Node] = {}
    for key, value in node.value:
        name = key.value if isinstance(key, ScalarNode) else ""
        if name not in allowed:
            problems.add(
                key, f"{what} has no field `{name}` (fields: {', '.join(sorted(allowed))})"
            )
        elif name in fields:
            problems.add(key, f"{what} gives `{name}` twice")
        else:
            fields[name] = value
    return fields


def _text(
    fields: dict[str, Node],
    name: str,
    what: str,
    problems: Problems,
    parent: Node,
    *,
    required: bool = True,
    longest: int = 200,
    pattern: re.Pattern[str] | None = None,
    example: str = "",
) -> str:
    node = fields.get(name)
    if node is None:
        if required:
            problems.add(
                parent,
                f"{what} needs `{name}`" + (f", e.g. `{name}: {example}`" if example else ""),
            )
        return ""
    if not isinstance(node, ScalarNode) or not str(node.value).strip():
        problems.add(node, f"{what}: `{name}` must be a piece of text")
        return ""
    value = str(node.value).strip()
    if len(value) > longest:
        problems.add(node, f"{what}: `{name}` is longer than {longest} characters")
    elif pattern is not None and not pattern.fullmatch(value):
        problems.add(node, f"{what}: `{name}` {value!r} should look like {example!r}")
    return value


def _texts(node: Node | None, what: str, problems: Problems) -> list[tuple[str, Node]]:
    if node is None:
        return []
    if not isinstance(node, SequenceNode):
        problems.add(node, f"{what} must be a list, e.g. `[A, B]`")
        return []
    items = []
    for item in node.value:
        if isinstance(item, ScalarNode) and str(item.value).strip():
            items.append((str(item.value).strip(), item))
        else:
            problems.add(item, f"{what}: each entry must be a piece of text")
    return items


def _list(fields: dict[str, Node], name: str, problems: Problems, parent: Node) -> list[Node]:
    node = fields.get(name)
    if node is None:
        problems.add(parent, f"the file needs `{name}:` with at least one entry")
        return []
    if not isinstance(node, SequenceNode) or not node.value:
        problems.add(node, f"`{name}` must be a list with at least one `- ` entry")
        return []
    return list(node.value)


def _slug_of(name: str) -> str:
    return fold(name).replace(" ", "-")[:32]


def _regions(nodes: list[Node], problems: Problems) -> tuple[list[RegionSpec], dict[str, str]]:
    regions: list[RegionSpec] = []
    known: dict[str, str] = {}  # every folded name a region answers to -> its key
    for node in nodes:
        what = "a region"
        fields = _fields(
            node,
            what,
            {"name", "key", "aliases", "country", "nuts", "nuts_aliases", "cluster"},
            problems,
        )
        if not fields:
            continue
        name = _text(fields, "name", what, problems, node, longest=120, example="Limburg")
        what = f"region {name!r}" if name else what
        key = _text(fields, "key", what, problems, node, required=False, longest=64) or _slug_of(
            name
        )
        country = _text(fields, "country", what, problems, node, pattern=_COUNTRY, example="NL")
        nuts = _text(fields, "nuts", what, problems, node, pattern=_NUTS, example="NL42")
        cluster = _text(fields, "cluster", what, problems, node, required=False, longest=300)
        aliases = _texts(fields.get("aliases"), f"{what}: aliases", problems)
        nuts_aliases = _texts(fields.get("nuts_aliases"), f"{what}: nuts_aliases", problems)
        for code, code_node in nuts_aliases:
            if not _NUTS.fullmatch(code):
                problems.add(code_node, f"{what}: nuts_aliases: {code!r} should look like 'NL421'")
        if any(region.key == key for region in regions):
            problems.add(
                node, f"{what}: another region has the key {key!r}; give it its own `key:`"
            )
        spec = RegionSpec(
            key,
            name,
            country,
            nuts,
            tuple(a for a, _ in aliases),
            cluster,
            tuple(code for code, _ in nuts_aliases),
        )
        alias_nodes = dict(aliases + nuts_aliases)
        for alias, _kind in region_names(spec):
            folded = fold(alias)
            if known.get(folded, key) != key:
                problems.add(
                    alias_nodes.get(alias, node), f"{what}: {alias!r} already names another region"
                )
            known[folded] = key
        regions.append(spec)
    return regions, known


def _pilots(nodes: list[Node], regions: dict[str, str], problems: Problems) -> list[PilotSpec]:
    pilots: list[PilotSpec] = []
    keys: set[str] = set()
    for node in nodes:
        what = "a pilot action"
        fields = _fields(
            node, what, {"name", "key", "regions", "description", "keywords"}, problems
        )
        if not fields:
            continue
        name = _text(fields, "name", what, problems, node, example="Open innovation")
        what = f"pilot {name!r}" if name else what
        key = _text(fields, "key", what, problems, node, required=False, longest=32) or _slug_of(
            name
        )
        if key in keys:
            problems.add(node, f"{what}: another pilot has the key {key!r}; give it its own `key:`")
        keys.add(key)
        description = _text(
            fields, "description", what, problems, node, required=False, longest=5000
        )
        keywords = _text(fields, "keywords", what, problems, node, required=False, longest=300)
        region_keys = []
        for region, region_node in _texts(fields.get("regions"), f"{what}: regions", problems):
            if fold(region) in regions:
                region_keys.append(regions[fold(region)])
            else:
                problems.add(region_node, f"{what}: no partner region {region!r} in this file")
        if "regions" not in fields:
            problems.add(node, f"{what} needs `regions: [...]`, the partner regions taking part")
        pilots.append(
            PilotSpec(key, name, tuple(dict.fromkeys(region_keys)), description, keywords)
        )
    return pilots


def _indicators(nodes: list[Node], problems: Problems) -> list[IndicatorSpec]:
    indicators: list[IndicatorSpec] = []
    codes: set[str] = set()
    allowed = {"code", "name", "unit", "direction", "theme", "description"}
    for node in nodes:
        fields = _fields(node, "an indicator", allowed, problems)
        if not fields:
            continue
        code = _text(fields, "code", "an indicator", problems, node, pattern=_CODE, example="TERT")
        what = f"indicator {code!r}" if code else "an indicator"
        if code in codes:
            problems.add(node, f"{what} is given twice")
        codes.add(code)
        name = _text(fields, "name", what, problems, node, example="Tertiary education")
        unit = _text(fields, "unit", what, problems, node, longest=60, example="% of GDP")
        direction = _text(fields, "direction", what, problems, node, example="higher")
        if direction and direction not in _DIRECTIONS:
            problems.add(
                fields["direction"], f"{what}: `direction` is `higher` or `lower` (which is better)"
            )
        theme = _text(fields, "theme", what, problems, node, required=False, longest=80)
        description = _text(
            fields, "description", what, problems, node, required=False, longest=5000
        )
        indicators.append(
            IndicatorSpec(code, name, unit, _DIRECTIONS.get(direction, True), theme, description)
        )
    return indicators


def _coordinator(node: Node | None, problems: Problems) -> CoordinatorSpec | None:
    if node is None:
        return None
    fields = _fields(node, "the coordinator", {"platform", "user", "name"}, problems)
    if not fields:
        return None
    platform = _text(fields, "platform", "the coordinator", problems, node, example="slack")
    if platform and platform not in _PLATFORMS:
        problems.add(fields["platform"], "the coordinator: `platform` is `slack` or `teams`")
    user = _text(
        fields, "user", "the coordinator", problems, node, longest=128, example="U0123ABCD"
    )
    name = _text(fields, "name", "the coordinator", problems, node, required=False) or None
    return CoordinatorSpec(platform, user, name)


def read_group_file(text: str) -> tuple[GroupSpec | None, list[str], int | None]:
    """(the group, [], the slug's line) when the file is right, else (None, every problem, ...)."""
    problems = Problems()
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        return None, [f"{where}this is not YAML: {getattr(error, 'problem', error)}"], None
    if root is None:
        return (
            None,
            ["line 1: the file is empty; it needs name, slug, timezone, regions, ..."],
            None,
        )
    allowed = {"name", "slug", "timezone", "regions", "pilots", "indicators", "coordinator"}
    fields = _fields(root, "the file", allowed, problems)
    if not fields:
        return None, problems.lines, None
    name = _text(fields, "name", "the file", problems, root, example="Batteries Working Group")
    slug = _text(
        fields, "slug", "the file", problems, root, longest=64, pattern=_SLUG, example="batteries"
    )
    timezone = _text(
        fields, "timezone", "the file", problems, root, longest=64, example="Europe/Brussels"
    )
    if timezone:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.add(
                fields["timezone"], f"no time zone {timezone!r}; write one like `Europe/Brussels`"
            )
    regions, known = _regions(_list(fields, "regions", problems, root), problems)
    pilots = _pilots(_list(fields, "pilots", problems, root), known, problems)
    indicators = _indicators(_list(fields, "indicators", problems, root), problems)
    coordinator = _coordinator(fields.get("coordinator"), problems)
    slug_line = fields["slug"].start_mark.line + 1 if "slug" in fields else None
    if problems.lines:
        return None, problems.lines, slug_line
    spec = GroupSpec(
        name, slug, timezone, tuple(regions), tuple(pilots), tuple(indicators), coordinator
    )
    return spec, [], slug_line
