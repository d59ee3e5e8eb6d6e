"""``/practice <words> region:… theme:… pilot:…``: ranked search, paging, and "no match" help."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from commands.context import Context
from commands.errors import CommandError
from commands.numbers import read_number
from commands.practice import views
from commands.reply import Actions, Button, Code, Paragraph, Reply, text
from storage.lookup import NameMatch
from storage.models import PilotAction, Region
from storage.numbers import MAX_ID, WholeNumber
from storage.pilots import resolve_pilot
from storage.practice_search import PracticeQuery, close_terms, search_practices, search_words
from storage.practice_themes import THEME_NAMES, resolve_theme
from storage.practices import practices_by_id, themes_in_use
from storage.regions import resolve_region

SEARCH_ACTION = "practice.search"
PAGE_SIZE = 5
# A button carries at most 2,000 characters; a longer search pages with page:<n> instead.
MAX_CARRIED = 1900
SEARCH_USAGE = "/practice <words> [region:<region>] [theme:<theme>] [pilot:<pilot>] [page:<n>]"
# Pages and the offsets the paging buttons carry stay within a database integer.
PAGE = WholeNumber("a page number", 1, MAX_ID // PAGE_SIZE, "2")
OFFSET = WholeNumber("a position in the results", 0, MAX_ID, "5")
# key:value, key:"two words" or key:“two words” (Slack turns quotes into curly ones).
_FILTER = re.compile(
    r"(?<!\S)(?P<key>[A-Za-z]+):\s*(?:\"(?P<plain>[^\"]*)\"|“(?P<curly>[^”]*)”|(?P<bare>\S+))"
)
_KEYS = {
    "region": "region",
    "regions": "region",
    "theme": "theme",
    "themes": "theme",
    "topic": "theme",
    "pilot": "pilot",
    "pilots": "pilot",
    "page": "page",
}
T = TypeVar("T")


@dataclass(frozen=True)
class ParsedSearch:
    """What a person asked for: the text as typed, its words, and the resolved filters."""

    text: str  # without page:, as carried by the paging buttons
    phrase: str  # the words as typed, without the filters
    words: tuple[str, ...]  # the words as searched: folded, without stop words
    region: Region | None = None
    theme: str | None = None
    pilot: PilotAction | None = None
    offset: int = 0

    @property
    def query(self) -> PracticeQuery:
        return PracticeQuery(
            words=self.words,
            region_id=self.region.id if self.region else None,
            theme=self.theme,
            pilot_id=self.pilot.id if self.pilot else None,
        )

    def described(self) -> str:
        """The filters as words: "from Limburg on Skills and training"."""
        pieces = []
        if self.region:
            pieces.append(f"from {self.region.name}")
        if self.theme:
            pieces.append(f"on {self.theme}")
        if self.pilot:
            pieces.append(f"for the pilot “{self.pilot.name}”")
        return " ".join(pieces)


def parse_search(ctx: Context, typed: str, *, offset: int = 0) -> ParsedSearch:
    """Split words from filters and resolve the filters; bad filters raise ``CommandError``."""
    filters: dict[str, str] = {}
    kept: list[str] = []

    def take(found: re.Match[str]) -> str:
        key = found.group("key")
        value = next(v for v in found.group("plain", "curly", "bare") if v is not None).strip()
        kind = _KEYS.get(key.lower())
        if kind is None:
            if value.startswith("//"):  # a web address, not a filter
                return found.group(0)
            raise CommandError(
                f"There is no “{key}:” filter; use region:, theme: or pilot:.", usage=SEARCH_USAGE
            )
        if kind in filters:
            raise CommandError(f"Give one {kind}: filter at a time.", usage=SEARCH_USAGE)
        if not value:
            raise CommandError(f"Say which {kind} after “{key}:”.", usage=SEARCH_USAGE)
        filters[kind] = value
        if kind != "page":
            kept.append(found.group(0))
        return " "

    words_text = _FILTER.sub(take, typed)
    if "page" in filters:
        page = read_number(PAGE, filters["page"], usage=SEARCH_USAGE)
        offset = (page - 1) * PAGE_SIZE
    words_text = " ".join(words_text.split())
    region = pilot = theme = None
    with ctx.sessions() as session:
        if "region" in filters:
            found = resolve_region(session=session, group_id=ctx.group_id, query=filters["region"])
            region = _resolved("region", found, lambda r: r.name)
        if "pilot" in filters:
            found = resolve_pilot(session=session, group_id=ctx.group_id, query=filters["pilot"])
            pilot = _resolved("pilot action", found, lambda p: p.key)
    if "theme" in filters:
        theme = _resolved("theme", resolve_theme(filters["theme"]), lambda t: t.name).name
    shown = " ".join([words_text, *kept]).strip()
    return ParsedSearch(shown, words_text, search_words(words_text), region, theme, pilot, offset)


def _resolved(kind: str, found: NameMatch[T], name_of: Callable[[T], str]) -> T:
    """The one thing a filter names, or a ``CommandError`` with the closest names."""
    typed = found.query
    if found.match is not None:
        return found.match
    names = ", ".join(name_of(c) for c in found.candidates)
    if found.ambiguous:
        message = f"“{typed}” fits several: {names}. Which {kind} do you mean?"
    else:
        closest = f" Closest: {names}." if names else ""
        message = f"I don't know a {kind} called “{typed}”.{closest}"
        if kind == "theme":
            message += f" Themes: {', '.join(THEME_NAMES)}."
    raise CommandError(message, usage=SEARCH_USAGE)


def run_search(ctx: Context, typed: str, *, offset: int = 0, private: bool = False) -> Reply:
    parsed = parse_search(ctx, typed, offset=offset)
    return results(ctx, parsed, private=private or parsed.offset > 0)


def search_button(ctx: Context, value: str) -> Reply:
    """ "More results" and the suggestion buttons: ``value`` is ``<offset>|<query>``."""
    offset, _, typed = value.partition("|")
    return run_search(ctx, typed, offset=read_number(OFFSET, offset), private=True)


def results(ctx: Context, parsed: ParsedSearch, *, private: bool) -> Reply:
    if not parsed.words and not parsed.query.has_filters:
        if parsed.phrase:  # nothing but very common words
            return no_match(ctx, parsed)
        raise CommandError("Say what to look for.", usage=SEARCH_USAGE)
    with ctx.sessions() as session:
        page = search_practices(
            session=session,
            group_id=ctx.group_id,
            query=parsed.query,
            offset=parsed.offset,
            limit=PAGE_SIZE,
        )
        practices = practices_by_id(session=session, group_id=ctx.group_id, practice_ids=page.ids)
    if not page.total:
        return no_match(ctx, parsed)
    if not practices:
        raise CommandError(
            f"There are only {page.total} results; that page is past the end.", usage=SEARCH_USAGE
        )
    return _result_page(parsed, practices, page.total, page.some_words, private)


def _result_page(
    parsed: ParsedSearch, practices: list, total: int, some_words: bool, private: bool
) -> Reply:
    summary = " ".join(filter(None, [views.plural(total, "practice"), parsed.described()]))
    if parsed.words:
        verb = "matches" if total == 1 else "match"
        which = "some of the words" if some_words else f"“{parsed.phrase}”"
        summary += f" {verb} {which}"
    last = parsed.offset + len(practices)
    intro = summary + (", best first" if parsed.words else "")
    intro += f"; {parsed.offset + 1}–{last} below." if total > PAGE_SIZE else "."
    if some_words:
        intro = f"No practice has all of the words “{parsed.phrase}”. {intro}"
    parts: list = [Paragraph(text(intro))]
    parts += [
        views.result_item(practice, parsed.offset + rank)
        for rank, practice in enumerate(practices, start=1)
    ]
    if last < total and len(parsed.text) <= MAX_CARRIED:
        more = Button("More results", SEARCH_ACTION, value=f"{last}|{parsed.text}")
        parts.append(Actions((more,)))
    hint = ["The whole record: Details, or ", Code("/practice show <id>"), "."]
    if last < total:
        hint += [" Next five: add ", Code(f"page:{last // PAGE_SIZE + 1}"), " to the search."]
    parts.append(Paragraph(text(*hint)))
    return Reply(
        heading=f"Good practices: {parsed.text}" if parsed.text else "Good practices",
        parts=tuple(parts),
        footnote=views.sample_footnote(practices),
        private=private,
        summary=summary + ".",
    )


def no_match(ctx: Context, parsed: ParsedSearch) -> Reply:
    """A private answer with what might work instead: close words, the themes, no filters."""
    if parsed.words or parsed.query.has_filters:
        matching = f"matches “{parsed.phrase}”." if parsed.words else "is in the library yet."
        message = " ".join(filter(None, ["No practice", parsed.described(), matching]))
    else:
        message = f"“{parsed.phrase}” has only very common words; search with more specific ones."
    parts: list = [Paragraph(text(message))]
    with ctx.sessions() as session:
        terms = close_terms(session=session, group_id=ctx.group_id, words=parsed.words)
        themes = themes_in_use(session=session, group_id=ctx.group_id)
        unfiltered = 0
        if parsed.words and parsed.query.has_filters:
            unfiltered = search_practices(
                session=session,
                group_id=ctx.group_id,
                query=PracticeQuery(words=parsed.words),
                limit=0,
            ).total
    if unfiltered:
        parts.append(
            Paragraph(
                text(
                    f"Without the filters, {views.plural(unfiltered, 'practice')} "
                    f"{'matches' if unfiltered == 1 else 'match'}."
                )
            )
        )
        everywhere = Button(
            f"Search “{parsed.phrase}” everywhere", SEARCH_ACTION, f"0|{parsed.phrase}"
        )
        parts.append(Actions((everywhere,)))
    if terms:
        parts.append(Paragraph(text("Close terms in the library:")))
        parts.append(Actions(tuple(Button(term, SEARCH_ACTION, f"0|{term}") for term in terms)))
    if themes:
        parts.append(Paragraph(text("Browse a theme:")))
        parts.append(
            Actions(tuple(Button(name, SEARCH_ACTION, f'0|theme:"{name}"') for name in themes))
        )
    parts.append(
        Paragraph(
            text(
                "Usage: ",
                Code(SEARCH_USAGE),
                ". Everything: ",
                Code("/practice"),
                ". Add one: ",
                Code("/practice add"),
                ".",
            )
        )
    )
    return Reply(parts=tuple(parts), private=True, summary=message)
