"""How recommendations are shown: a line in a list, the whole record, their state in words."""

from __future__ import annotations

from datetime import datetime

from commands.reply import Bold, Code, Field, Fields, Paragraph, Reply, Text, When, text
from storage.models import ADOPTED, CONSULTATION, Recommendation, RecommendationComment

LEVEL_LABELS = {"european": "European level", "regional": "regional level"}
LISTED_TEXT = 200


def state(recommendation: Recommendation, now: datetime, timezone: str) -> Text:
    """``draft``, ``in consultation until …``, ``consultation closed …``, ``adopted …``."""
    if recommendation.status == ADOPTED and recommendation.adopted_at:
        return text("adopted ", When(recommendation.adopted_at, timezone, "day"))
    if recommendation.status == CONSULTATION and recommendation.closes_at:
        if recommendation.closed(now):
            return text("consultation closed ", When(recommendation.closes_at, timezone))
        return text("in consultation until ", When(recommendation.closes_at, timezone))
    return text("draft")


def endorsers(recommendation: Recommendation) -> str:
    return ", ".join(r.name for r in recommendation.endorsing_regions()) or "none yet"


def about(recommendation: Recommendation) -> str:
    """``European level · pilot Skills foresight · theme Skills and training``"""
    pieces = [LEVEL_LABELS[recommendation.level]]
    if recommendation.pilot is not None:
        pieces.append(f"pilot {recommendation.pilot.name}")
    if recommendation.theme:
        pieces.append(f"theme {recommendation.theme}")
    return " · ".join(pieces)


def clip(value: str, limit: int = LISTED_TEXT) -> str:
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def list_line(recommendation: Recommendation, now: datetime, timezone: str) -> Paragraph:
    count = len(recommendation.endorsements)
    return Paragraph(
        text(
            Bold(f"{recommendation.ref} {recommendation.title}"),
            f"\n{about(recommendation)} · ",
            *state(recommendation, now, timezone),
            f" · endorsed by {count} region{'' if count == 1 else 's'}",
        )
    )


def record(
    recommendation: Recommendation,
    comments: list[RecommendationComment],
    *,
    now: datetime,
    timezone: str,
    heading: str | None = None,
    private: bool = True,
) -> Reply:
    parts: list = [
        Fields(
            (
                Field("Level", text(about(recommendation))),
                Field("Status", state(recommendation, now, timezone)),
                Field("Endorsed by", text(endorsers(recommendation))),
            )
        ),
        Paragraph(text(recommendation.text)),
    ]
    if comments:
        lines: list = [Bold("Comments")]
        for comment in comments:
            region = f" ({comment.region.name})" if comment.region else ""
            lines += [
                "\n",
                When(comment.created_at, timezone, "day"),
                f" · {comment.author_name}{region}: {clip(comment.text)}",
            ]
        parts.append(Paragraph(tuple(lines)))
    parts.append(Paragraph(next_steps(recommendation, now)))
    return Reply(
        heading=heading or f"{recommendation.ref} {recommendation.title}",
        parts=tuple(parts),
        private=private,
        summary=f"{recommendation.ref} {recommendation.title}",
    )


def next_steps(recommendation: Recommendation, now: datetime) -> Text:
    ref = recommendation.ref
    if recommendation.status == ADOPTED:
        return text("Adopted. ", Code("/recommendation export"), " lists every adopted text.")
    if recommendation.closed(now):
        return text(
            "The consultation has closed; a coordinator adopts it: ",
            Code(f"/recommendation adopt {ref}"),
        )
    return text(
        "Endorse it for your region: ",
        Code(f"/recommendation endorse {ref}"),
        "; comment: ",
        Code(f"/recommendation comment {ref} <text>"),
        ".",
    )
