"""Ranked full-text search over the good-practice library, alike on SQLite and PostgreSQL.

Both databases stem English words and match prefixes, so ``train`` finds "training" and
"trainees"; both ignore case and accents; both weigh the title most, then summary and themes,
then the description. SQLite uses the FTS5 table ``practice_fts`` (ranked by bm25), PostgreSQL
the generated ``search_vector`` column with its GIN index (ranked by ts_rank); the migration
``0005_practices`` builds both. Query words are reduced here to folded letters and digits, so
the query syntax of neither database can be injected, and are passed as bound parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, cast, func, literal, literal_column, select, table
from sqlalchemy.orm import Session

from storage.models import PilotAction, Practice
from storage.practice_themes import THEME_NAMES
from storage.text import fold

# PostgreSQL's English stop words (tsearch_data/english.stop). They are dropped from every
# query on both databases: PostgreSQL ignores them anyway, SQLite would demand them.
_ENGLISH_STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against
    between into through during before after above below to from up down in out on off over
    under again further then once here there when where why how all any both each few more
    most other some such no nor not only own same so than too very s t can will just don
    should now
"""
STOP_WORDS = frozenset(_ENGLISH_STOP_WORDS.split())
# Relative weight of title, summary, themes, description: PostgreSQL's default ts_rank
# weights for A, B, B, C (1.0, 0.4, 0.4, 0.2), given to SQLite's bm25 in the same proportion.
SQLITE_WEIGHTS = (10.0, 4.0, 4.0, 2.0)
SEARCH_CONFIG = "chemclust_search"
# A one-letter word ("R&D" gives "r" and "d") is matched whole, not as a prefix of everything.
MIN_PREFIX = 2
# How alike a word of the library must be to a typed word to be offered instead (0-100).
CLOSE_SCORE = 70.0
MIN_TERM = 4

_fts = table("practice_fts", literal_column("rowid"))


def search_words(text: str) -> tuple[str, ...]:
    """The words of a query as the search uses them: folded, without stop words, once each."""
    return tuple(dict.fromkeys(w for w in fold(text).split() if w not in STOP_WORDS))


@dataclass(frozen=True)
class PracticeQuery:
    words: tuple[str, ...] = ()
    region_id: int | None = None
    theme: str | None = None  # a canonical theme name
    pilot_id: int | None = None

    @property
    def has_filters(self) -> bool:
        return any(v is not None for v in (self.region_id, self.theme, self.pilot_id))


@dataclass(frozen=True)
class SearchPage:
    ids: list[int]  # this page, best first
    total: int  # matches in all
    # True when no practice has every word and these have some of them.
    some_words: bool = False


def search_practices(
    *,
    session: Session,
    group_id: int,
    query: PracticeQuery,
    offset: int = 0,
    limit: int | None = 5,
) -> SearchPage:
    """Practices matching every word (else, for several words, any of them) and all filters.

    Without words the practices matching the filters come in title order. ``limit=None``
    gives every match.
    """
    conditions = _filters(group_id, query)
    if not query.words:
        ordered = select(Practice.id).where(*conditions).order_by(Practice.title, Practice.id)
        return _page(session, ordered, offset, limit)
    modes = (False, True) if len(query.words) > 1 else (False,)
    for any_word in modes:
        if session.get_bind().dialect.name == "postgresql":
            ranked = _postgresql_ranked(query.words, any_word, conditions)
        else:
            ranked = _sqlite_ranked(query.words, any_word, conditions)
        page = _page(session, ranked, offset, limit)
        if page.total:
            return SearchPage(page.ids, page.total, some_words=any_word)
    return SearchPage([], 0)


def _page(session: Session, ranked: Select, offset: int, limit: int | None) -> SearchPage:
    # The total comes with the page (a window over all matches), so the matches are found once.
    rows = session.execute(
        ranked.add_columns(func.count().over().label("total")).offset(offset).limit(limit)
    ).all()
    if rows:
        return SearchPage([row.id for row in rows], rows[0].total)
    total = session.scalar(select(func.count()).select_from(ranked.order_by(None).subquery()))
    return SearchPage([], total or 0)


def _filters(group_id: int, query: PracticeQuery) -> list[ColumnElement[bool]]:
    conditions = [Practice.group_id == group_id]
    if query.region_id is not None:
        conditions.append(Practice.region_id == query.region_id)
    if query.theme is not None:
        # "; A; B;" holds "; A;" exactly when A is one of the themes.
        themes = literal("; ") + Practice.themes + literal(";")
        conditions.append(themes.contains(f"; {query.theme};", autoescape=True))
    if query.pilot_id is not None:
        conditions.append(Practice.pilots.any(PilotAction.id == query.pilot_id))
    return conditions


def _sqlite_ranked(
    words: Sequence[str], any_word: bool, conditions: list[ColumnElement[bool]]
) -> Select:
    terms = [f'"{w}"*' if len(w) >= MIN_PREFIX else f'"{w}"' for w in words]
    match = (" OR " if any_word else " AND ").join(terms)
    fts = literal_column("practice_fts")
    # The full-text query runs once, on its own: joined directly, SQLite's planner may loop
    # over the practices and run it per row (seconds instead of milliseconds at 10,000 rows).
    hits = (
        select(_fts.c.rowid.label("id"), func.bm25(fts, *SQLITE_WEIGHTS).label("score"))
        .where(fts.op("MATCH")(match))
        .cte("practice_hits")
        .prefix_with("MATERIALIZED")
    )
    return (
        select(Practice.id)
        .join(hits, hits.c.id == Practice.id)
        .where(*conditions)
        .order_by(hits.c.score, Practice.title, Practice.id)
    )


def _postgresql_ranked(
    words: Sequence[str], any_word: bool, conditions: list[ColumnElement[bool]]
) -> Select:
    # Imported here: a SQLite database never loads SQLAlchemy's PostgreSQL dialect otherwise.
    from sqlalchemy.dialects.postgresql import REGCONFIG

    terms = [f"{w}:*" if len(w) >= MIN_PREFIX else w for w in words]
    tsquery = func.to_tsquery(
        cast(SEARCH_CONFIG, REGCONFIG), (" | " if any_word else " & ").join(terms)
    )
    vector = literal_column("practice.search_vector")
    # Each match is ranked where it is read, and only its id, title and rank go on to the
    # count and the sort: ranked above them, every vector (a kilobyte) was carried along and
    # the count over half a large library spilled to disk.
    hits = (
        select(Practice.id, Practice.title, func.ts_rank(vector, tsquery).label("score"))
        .where(vector.op("@@")(tsquery), *conditions)
        .cte("practice_hits")
        .prefix_with("MATERIALIZED")
    )
    return select(hits.c.id).order_by(hits.c.score.desc(), hits.c.title, hits.c.id)


def close_terms(
    *, session: Session, group_id: int, words: Sequence[str], limit: int = 5
) -> list[str]:
    """Words of the library's titles and themes that look like the typed ones (typos)."""
    from rapidfuzz import fuzz, process

    vocabulary: set[str] = set()
    rows = session.execute(
        select(Practice.title, Practice.themes).where(Practice.group_id == group_id)
    )
    for texts in [*rows, THEME_NAMES]:
        for word in fold(" ".join(texts)).split():
            if len(word) >= MIN_TERM and word not in STOP_WORDS and not word.isdigit():
                vocabulary.add(word)
    scored: dict[str, float] = {}
    for word in words:
        for term, score, _ in process.extract(
            word, vocabulary, scorer=fuzz.ratio, limit=limit, score_cutoff=CLOSE_SCORE
        ):
            if term != word:
                scored[term] = max(score, scored.get(term, 0.0))
    return [term for term, _ in sorted(scored.items(), key=lambda item: -item[1])][:limit]
