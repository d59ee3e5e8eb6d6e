"""The columns of a row that one process claims before posting it, and that is posted once.

Reminders and weekly digest runs are claimed (and the claim committed) before their message
is posted; the outcome is recorded afterwards, by the claim's holder only. A process that
dies in between leaves a claim that lapses at ``lease_until`` and is taken over; because the
platform may have the message already, the row then remembers since when (``unconfirmed_since``)
and the next attempt looks for it before posting (``commands.reminders.once``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import UTCDateTime

SENDING = "sending"


class ClaimColumns:
    # The process holding the claim, and until when; an expired claim may be taken over.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set while an attempt's outcome is unknown (its process died holding the claim, or no
    # answer came back): the platform may hold the message, posted at or after this time.
    unconfirmed_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
