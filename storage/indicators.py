"""Benchmark indicators: listing them and resolving what people type into one indicator."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.lookup import NameMatch, match_name
from storage.models import Indicator
from storage.text import fold


def list_indicators(*, session: Session, group_id: int) -> list[Indicator]:
    return list(
        session.scalars(
            select(Indicator)
            .where(Indicator.group_id == group_id)
            .order_by(Indicator.position, Indicator.code)
        )
    )


def indicator_names(indicators: list[Indicator]) -> list[tuple[str, int]]:
    """The folded names an indicator answers to: its code and its name."""
    return [(fold(i.code), i.id) for i in indicators] + [(fold(i.name), i.id) for i in indicators]


def resolve_indicator(*, session: Session, group_id: int, query: str) -> NameMatch[Indicator]:
    """An indicator by code (``PCT``) or name (``PCT patent applications``), forgiving typos."""
    indicators = list_indicators(session=session, group_id=group_id)
    by_id = {i.id: i for i in indicators}
    return match_name(query, indicator_names(indicators)).map(by_id.__getitem__)
