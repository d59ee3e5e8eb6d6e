"""Joint policy recommendations: writing them, endorsements, comments, consultations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from storage.models import (
    ADOPTED,
    CONSULTATION,
    Endorsement,
    Recommendation,
    RecommendationComment,
    Region,
)
from storage.once import get_or_add


def _loaded() -> tuple:
    return (
        selectinload(Recommendation.pilot),
        selectinload(Recommendation.endorsements).selectinload(Endorsement.region),
    )


@dataclass(frozen=True)
class NewRecommendation:
    title: str
    level: str
    text: str
    pilot_id: int | None = None
    theme: str = ""


def create_recommendation(
    *,
    session: Session,
    group_id: int,
    new: NewRecommendation,
    created_by_id: int | None,
    now: datetime,
) -> Recommendation:
    recommendation = Recommendation(
        group_id=group_id,
        title=new.title,
        level=new.level,
        text=new.text,
        pilot_id=new.pilot_id,
        theme=new.theme,
        created_by_id=created_by_id,
        created_at=now,
    )
    session.add(recommendation)
    session.flush()
    return get_recommendation(session=session, group_id=group_id, number=recommendation.id)


def get_recommendation(*, session: Session, group_id: int, number: int) -> Recommendation | None:
    return session.scalar(
        select(Recommendation)
        .options(*_loaded())
        .where(Recommendation.group_id == group_id, Recommendation.id == number)
        .execution_options(populate_existing=True)
    )


def list_recommendations(
    *, session: Session, group_id: int, status: str | None = None
) -> list[Recommendation]:
    query = select(Recommendation).options(*_loaded()).where(Recommendation.group_id == group_id)
    if status is not None:
        query = query.where(Recommendation.status == status)
    return list(session.scalars(query.order_by(Recommendation.id)))


def endorse(
    *,
    session: Session,
    recommendation_id: int,
    region_id: int,
    member_id: int | None,
    now: datetime,
) -> bool:
    """Record the region's endorsement; False when it had endorsed already."""
    _, new = get_or_add(
        session,
        lambda: session.scalar(
            select(Endorsement).where(
                Endorsement.recommendation_id == recommendation_id,
                Endorsement.region_id == region_id,
            )
        ),
        lambda: Endorsement(
            recommendation_id=recommendation_id,
            region_id=region_id,
            member_id=member_id,
            endorsed_at=now,
        ),
    )
    return new


def withdraw(*, session: Session, recommendation_id: int, region_id: int) -> bool:
    """Withdraw the region's endorsement; False when there was none."""
    result = session.execute(
        delete(Endorsement).where(
            Endorsement.recommendation_id == recommendation_id,
            Endorsement.region_id == region_id,
        )
    )
    return bool(result.rowcount)


def add_comment(
    *,
    session: Session,
    recommendation_id: int,
    region_id: int | None,
    member_id: int | None,
    author_name: str,
    text: str,
    now: datetime,
) -> RecommendationComment:
    comment = RecommendationComment(
        recommendation_id=recommendation_id,
        region_id=region_id,
        member_id=member_id,
        author_name=author_name,
        text=text,
        created_at=now,
    )
    session.add(comment)
    session.flush()
    return comment


def latest_comments(
    *, session: Session, recommendation_id: int, limit: int = 10
) -> list[RecommendationComment]:
    """The newest ``limit`` comments, oldest of them first."""
    newest = session.scalars(
        select(RecommendationComment)
        .options(selectinload(RecommendationComment.region))
        .where(RecommendationComment.recommendation_id == recommendation_id)
        .order_by(RecommendationComment.created_at.desc(), RecommendationComment.id.desc())
        .limit(limit)
    )
    return list(reversed(list(newest)))


def open_consultation(
    *,
    session: Session,
    recommendation: Recommendation,
    closes_at: datetime,
    platform: str | None,
    conversation: dict[str, Any] | None,
) -> None:
    recommendation.status = CONSULTATION
    recommendation.closes_at = closes_at
    recommendation.platform = platform
    recommendation.conversation = conversation
    session.flush()


def adopt(
    *, session: Session, recommendation: Recommendation, adopted_by_id: int | None, now: datetime
) -> None:
    recommendation.status = ADOPTED
    recommendation.adopted_at = now
    recommendation.adopted_by_id = adopted_by_id
    session.flush()


def open_consultations_for(
    region: Region, *, session: Session, now: datetime
) -> list[Recommendation]:
    """Consultations still open that ``region`` has not endorsed, closing soonest first: what a
    Home tab shows a member of the region."""
    endorsed = select(Endorsement.recommendation_id).where(Endorsement.region_id == region.id)
    return list(
        session.scalars(
            select(Recommendation)
            .options(*_loaded())
            .where(
                Recommendation.group_id == region.group_id,
                Recommendation.status == CONSULTATION,
                Recommendation.closes_at > now,
                Recommendation.id.not_in(endorsed),
            )
            .order_by(Recommendation.closes_at, Recommendation.id)
        )
    )
