"""The seam between a partner's benchmark delivery and the data deadlines (reminders issue #3).

When a partner's file for the open edition is imported, ``record_delivery`` is called inside
the import's transaction. Until the reminders feature lands it records nothing; then it marks
the region as delivered for the data deadline that belongs to ``edition``, so the reminders
stop chasing that region. Keep it small: it must not fail the import for want of a deadline.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from storage.models import BenchmarkEdition


def record_delivery(
    *, session: Session, group_id: int, region_id: int, edition: BenchmarkEdition, at: datetime
) -> None:
    """Mark ``region_id`` as having delivered its figures for ``edition`` at ``at``."""
    return None
