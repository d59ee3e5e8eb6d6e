"""``chemclust-bot doctor``'s checks: each looks at one thing and says, in one line, what it
found and how to fix it. They read the configuration, the database and Slack; none changes
anything (no migration runs, no message is posted)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

OK = "ok"
WARNING = "warning"  # worth knowing, works as it is
PROBLEM = "problem"  # something users will miss: the doctor exits 1
SKIPPED = "skipped"  # could not be looked at because an earlier check failed


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    says: str
    fix: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def ok(name: str, says: str) -> Check:
    return Check(name, OK, says)


def warning(name: str, says: str, fix: str = "") -> Check:
    return Check(name, WARNING, says, fix)


def problem(name: str, says: str, fix: str) -> Check:
    return Check(name, PROBLEM, says, fix)


def skipped(name: str, why: str) -> Check:
    return Check(name, SKIPPED, why)
