"""``/benchmark``: where the partner regions stand in the joint benchmark."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from sqlalchemy.orm import Session

from commands.benchmark import chart_views, moves, moves_views, views
from commands.benchmark.model import Benchmark, load
from commands.context import Context
from commands.errors import CommandError
from commands.numbers import read_number
from commands.reply import Actions, Button, Code, Paragraph, Reply, text
from storage.indicators import resolve_indicator
from storage.lookup import NameMatch
from storage.models import BenchmarkEdition, Region
from storage.numbers import YEAR, looks_like_number
from storage.regions import resolve_region
from storage.text import fold

USAGE = (
    "/benchmark",
    "/benchmark <region>",
    "/benchmark <region> vs <region>",
    "/benchmark <region> <edition year>",
    "/benchmark <region> chart",
    "/benchmark <region> trend",
    "/benchmark <region> changes",
    "/benchmark movers [<edition year>]",
    "/benchmark indicator <name|code>",
    "/benchmark export [<edition>]",
    "/benchmark help",
)
SUMMARY = "Where the partner regions stand in the joint benchmark of innovation."
PROFILE_ACTION = "benchmark.profile"
COMPARE_USAGE = "/benchmark <region> vs <region>"
CHART_USAGE = "/benchmark <region> chart\n/benchmark <region> trend"
INDICATOR_USAGE = "/benchmark indicator <name|code> [<edition year>]"
CHANGES_USAGE = "/benchmark <region> [<edition year>] changes"
MOVERS_USAGE = "/benchmark movers [<edition year>]"
CHANGES = ("changes", "change")
VIEWS = ("chart", "trend", *CHANGES)

# Different answers kept with each scored benchmark (see ``run``).
KEPT_REPLIES = 256

_VERSUS = re.compile(r"(?:^|\s+)(?:vs\.?|versus|v\.?)(?:\s+|$)", re.IGNORECASE)


def run(ctx: Context, arguments: str) -> Reply:
    query = " ".join(arguments.split())
    if fold(query) in {"help", "h", "usage"} or query == "?":
        return help_reply()
    first, _, rest = query.partition(" ")
    if fold(first) == "export":
        from commands.benchmark.export import export_command

        return export_command(ctx, rest)
    # One session reads the regions or indicator asked for (the scores' stamp came with the
    # group); the answer (a chart may take a while) is drawn once it is closed. An answer
    # given before from the same scores is given again without either.
    kept = _kept(query)
    with ctx.sessions() as session:
        bench = load(ctx, session=session, stamp=ctx.benchmark_version)
        reply = bench.replies.get(query) if kept else None
        if reply is not None:
            return reply
        answer = _answer(ctx, session, bench, query)
    reply = answer()
    if kept:
        if len(bench.replies) >= KEPT_REPLIES:  # many different words asked: start afresh
            bench.replies.clear()
        bench.replies[query] = reply
    return reply


def _kept(query: str) -> bool:
    """Whether the answer to ``query`` is drawn from the group's benchmark and regions alone,
    the same for everyone who asks (an indicator's ranking marks the asker's region; charts
    are files drawn each time)."""
    first = fold(query.partition(" ")[0])
    return first != "indicator" and _split_view(query)[1] not in ("chart", "trend")


def _answer(ctx: Context, session: Session, bench: Benchmark, query: str) -> Callable[[], Reply]:
    latest = bench.latest
    if latest is None:
        return partial(
            Reply, private=True, parts=(Paragraph(text("There are no benchmark figures yet.")),)
        )
    first, _, rest = query.partition(" ")
    if fold(first) == "indicator":
        return _indicator(ctx, session, bench, rest, latest)
    if fold(first) == "movers":
        return partial(_movers, bench, rest, latest)
    query, view = _split_view(query)
    query, edition = _split_edition(query, bench, latest)
    if view in CHANGES:
        return _changes(ctx, session, bench, edition, query)
    if view is not None:
        return _chart(ctx, session, bench, edition, query, view)
    if not query:
        return partial(views.league_table, bench, edition)
    sides = [side.strip() for side in _VERSUS.split(query)]
    if len(sides) > 2:
        raise CommandError("Compare two regions at a time.", usage=COMPARE_USAGE)
    if len(sides) == 2:
        return _compare(ctx, session, bench, edition, *sides)
    found = _resolve(ctx, session, query)
    if found.match is None:
        return partial(region_not_found, found, edition)
    return partial(views.profile, bench, edition, found.match)


def _split_view(query: str) -> tuple[str, str | None]:
    """Take ``chart`` or ``trend`` off the end: ``Limburg 2012 chart``."""
    head, _, last = query.rpartition(" ")
    if fold(last) in VIEWS:
        return head.strip(), fold(last)
    if fold(query) in VIEWS:
        return "", fold(query)
    return query, None


def _chart(
    ctx: Context,
    session: Session,
    bench: Benchmark,
    edition: BenchmarkEdition,
    query: str,
    view: str,
) -> Callable[[], Reply]:
    if not query:
        raise CommandError("Say which region to draw.", usage=CHART_USAGE)
    region = _region_or_error(ctx, session, query, usage=CHART_USAGE)
    if view == "trend":
        return partial(chart_views.trend_chart, bench, region)
    return partial(chart_views.region_chart, bench, edition, region)


def _indicator(
    ctx: Context, session: Session, bench: Benchmark, query: str, latest: BenchmarkEdition
) -> Callable[[], Reply]:
    query, edition = _split_edition(query, bench, latest)
    if not query:
        raise CommandError("Say which indicator, by name or code.", usage=INDICATOR_USAGE)
    found = resolve_indicator(session=session, group_id=ctx.group_id, query=query)
    if found.match is None:
        names = ", ".join(f"{i.name} ({i.code})" for i in found.candidates)
        if found.ambiguous:
            message = f"“{query}” fits several indicators: {names}."
        else:
            known = ", ".join(i.code for i in bench.indicators)
            closest = f" Closest: {names}." if names else ""
            message = f"I don't know an indicator called “{query}”.{closest} Codes: {known}."
        raise CommandError(message, usage=INDICATOR_USAGE)
    asker = next((r for r in bench.regions if r.id == ctx.region_id), None)
    return partial(chart_views.indicator_ranking, bench, edition, found.match, asker)


def _previous_or_error(bench: Benchmark, edition: BenchmarkEdition, usage: str) -> BenchmarkEdition:
    previous = bench.previous(edition)
    if previous is None:
        raise CommandError(
            f"The {edition.label} is the first edition: there is nothing before it to compare "
            "with. Name a later edition by its year.",
            usage=usage,
        )
    return previous


def _changes(
    ctx: Context, session: Session, bench: Benchmark, edition: BenchmarkEdition, query: str
) -> Callable[[], Reply]:
    if not query:
        raise CommandError("Say which region's changes to show.", usage=CHANGES_USAGE)
    region = _region_or_error(ctx, session, query, usage=CHANGES_USAGE)
    return partial(_region_changes, bench, edition, region)


def _region_changes(bench: Benchmark, edition: BenchmarkEdition, region: Region) -> Reply:
    previous = _previous_or_error(bench, edition, CHANGES_USAGE)
    if (
        bench.standing(edition, region).rank is None
        and bench.standing(previous, region).rank is None
    ):
        raise CommandError(
            f"{region.name} has no figures in the {previous.label} or the {edition.label}.",
            usage=CHANGES_USAGE,
        )
    return moves_views.region_changes(bench, moves.region_moves(bench, previous, edition, region))


def _movers(bench: Benchmark, query: str, latest: BenchmarkEdition) -> Reply:
    rest, edition = _split_edition(query, bench, latest)
    if rest:
        raise CommandError(
            f"“{rest}” is not an edition. Name an edition by its year, or nothing for the latest.",
            usage=MOVERS_USAGE,
        )
    previous = _previous_or_error(bench, edition, MOVERS_USAGE)
    return moves_views.movers_reply(bench, moves.movers(bench, previous, edition))


def show_changes(ctx: Context, value: str) -> Reply:
    """The buttons under ``/benchmark movers``: ``value`` is ``<region key>@<edition label>``."""
    key, _, label = value.partition("@")
    bench = load(ctx)
    region = next((r for r in bench.regions if r.key == key), None)
    edition = next((e for e in bench.editions_with_values() if e.label == label), None)
    if region is None or edition is None:
        raise CommandError("That region or edition is no longer in the benchmark.")
    return _region_changes(bench, edition, region)


def show_profile(ctx: Context, value: str) -> Reply:
    """The "did you mean" buttons: ``value`` is ``<region key>@<edition label>``."""
    key, _, label = value.partition("@")
    bench = load(ctx)
    region = next((r for r in bench.regions if r.key == key), None)
    edition = next((e for e in bench.editions_with_values() if e.label == label), bench.latest)
    if region is None or edition is None:
        raise CommandError("That region or edition is no longer in the benchmark.")
    return views.profile(bench, edition, region)


def help_reply() -> Reply:
    lines = (
        ("/benchmark", "league table of the latest edition: rank, region, index, change"),
        ("/benchmark Limburg", "a region's profile: index, rank, change, every indicator"),
        ("/benchmark NRW vs Asturias", "two regions side by side"),
        ("/benchmark Limburg 2010", "the same for an earlier edition"),
        ("/benchmark Limburg chart", "a chart of the region's scores against the partners' median"),
        ("/benchmark Limburg trend", "the index across editions and its average yearly change"),
        (
            "/benchmark Limburg changes",
            "what moved since the previous edition, indicator by indicator",
        ),
        ("/benchmark movers", "the regions and indicators that rose and fell most"),
        ("/benchmark indicator PCT", "every region on one indicator: table and bar chart"),
        ("/benchmark export 2012", "a workbook of an edition (or of all) to download"),
    )
    parts = [Paragraph(text(Code(example), f"  {meaning}")) for example, meaning in lines]
    parts.append(
        Paragraph(
            text(
                "Regions can be typed in English or the local language, abbreviated (NRW), "
                "as NUTS codes (NL42), with or without accents; small typos are forgiven."
            )
        )
    )
    return Reply(heading="/benchmark: the joint benchmark", parts=tuple(parts), private=True)


def region_not_found(found: NameMatch[Region], edition: BenchmarkEdition) -> Reply:
    names = ", ".join(r.name for r in found.candidates)
    if found.ambiguous:
        message = f"“{found.query}” fits several regions: {names}. Which one do you mean?"
    elif found.candidates:
        message = f"I don't know a partner region called “{found.query}”. Closest: {names}."
    else:
        message = f"I don't know a partner region called “{found.query}”."
    parts: list = [Paragraph(text(message))]
    if found.candidates:
        parts.append(
            Actions(
                tuple(
                    Button(region.name, PROFILE_ACTION, value=f"{region.key}@{edition.label}")
                    for region in found.candidates
                )
            )
        )
    parts.append(
        Paragraph(
            text("Usage: ", Code("/benchmark <region>"), " — e.g. ", Code("/benchmark Limburg"))
        )
    )
    return Reply(parts=tuple(parts), private=True, summary=message)


def _compare(
    ctx: Context,
    session: Session,
    bench: Benchmark,
    edition: BenchmarkEdition,
    left: str,
    right: str,
) -> Callable[[], Reply]:
    if not left or not right:
        raise CommandError("Name a region on both sides of “vs”.", usage=COMPARE_USAGE)
    first = _region_or_error(ctx, session, left)
    second = _region_or_error(ctx, session, right)
    if first.id == second.id:
        raise CommandError(
            f"Both sides are {first.name}; pick two different regions.", usage=COMPARE_USAGE
        )
    return partial(views.comparison, bench, edition, first, second)


def _resolve(ctx: Context, session: Session, query: str) -> NameMatch[Region]:
    return resolve_region(session=session, group_id=ctx.group_id, query=query)


def _region_or_error(
    ctx: Context, session: Session, query: str, *, usage: str = COMPARE_USAGE
) -> Region:
    found = _resolve(ctx, session, query)
    if found.match is not None:
        return found.match
    names = ", ".join(r.name for r in found.candidates)
    if found.ambiguous:
        raise CommandError(f"“{query}” fits several regions: {names}.", usage=usage)
    closest = f" Closest: {names}." if names else ""
    raise CommandError(f"I don't know a partner region called “{query}”.{closest}", usage=usage)


def _split_edition(
    query: str, bench: Benchmark, latest: BenchmarkEdition
) -> tuple[str, BenchmarkEdition]:
    """Take an edition off the end of the query: ``Limburg 2010`` or ``Limburg 2010 report``."""
    usage = "/benchmark <region> <edition year>"
    rest, _, last = query.rpartition(" ")
    # A number is read as one before labels are compared: folding turns "²⁰¹⁰" into "2010".
    wanted = read_number(YEAR, last, usage=usage) if looks_like_number(last) else None
    editions = bench.editions_with_values()
    folded = fold(query)
    for edition in editions:
        label = fold(edition.label)
        if folded == label or folded.endswith(" " + label):
            return query[: len(query) - len(edition.label)].strip(), edition
    if wanted is not None:
        matching = [e for e in editions if e.year == wanted]
        if not matching:
            known = ", ".join(f"{e.label} ({e.year})" for e in editions)
            raise CommandError(
                f"There is no benchmark edition for {wanted}. Editions: {known}.", usage=usage
            )
        return rest.strip(), matching[-1]
    return query, latest
