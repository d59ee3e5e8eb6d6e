"""What one run of the reminder dispatcher did, for its caller (logs, metrics, tests)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DispatchReport:
    sent: int = 0
    skipped: int = 0
    retried: int = 0
    failed: int = 0
    late: int = 0  # of ``sent``, those sent after their time
    notes: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.skipped + self.retried + self.failed
