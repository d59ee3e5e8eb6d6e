"""What the working groups need to work: a channel for group-wide posts, coordinators, and
reminders that go out (none failed lately, none waiting for a dispatcher that does not run)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.checks import Check, ok, problem, warning
from bot.settings import Settings
from commands.jobs import late_after
from storage.db import SessionFactory
from storage.operations import due_backlog, failed_since, group_set_ups, last_claimed_at

FAILURES_LOOKED_AT = timedelta(days=7)
PLATFORM_NAMES = {"slack": "Slack", "teams": "Teams"}


def platforms_on(settings: Settings) -> list[str]:
    on = ["slack"] if settings.slack_enabled else []
    return on + (["teams"] if settings.teams_mode != "off" else [])


def group_checks(settings: Settings, sessions: SessionFactory) -> list[Check]:
    with sessions() as session:
        groups = group_set_ups(session=session)
    checks = []
    for group in groups:
        missing = [p for p in platforms_on(settings) if p not in group.channel_platforms]
        if missing:
            names = " and ".join(PLATFORM_NAMES[p] for p in missing)
            checks.append(
                problem(
                    f"group channel ({group.slug})",
                    f"{group.name} has no group channel in {names}: the weekly digest goes nowhere",
                    "a coordinator types /chemclust channel in the channel the group uses",
                )
            )
        else:
            checks.append(ok(f"group channel ({group.slug})", "set"))
        recorded = len(group.coordinator_ids)
        if recorded or settings.coordinators:
            checks.append(
                ok(
                    f"coordinators ({group.slug})",
                    f"{recorded} recorded, {len(settings.coordinators)} in CHEMCLUST_COORDINATORS",
                )
            )
        else:
            checks.append(
                problem(
                    f"coordinators ({group.slug})",
                    f"{group.name} has no coordinator: nobody can add events or change shared data",
                    "set CHEMCLUST_COORDINATORS to the platform user ids of the coordinators "
                    "(Slack: U…), comma-separated",
                )
            )
    return checks


def reminder_checks(settings: Settings, sessions: SessionFactory, *, now: datetime) -> list[Check]:
    with sessions() as session:
        failed = failed_since(session=session, since=now - FAILURES_LOOKED_AT)
        waiting, oldest = due_backlog(session=session, now=now)
        last = last_claimed_at(session=session)
    checks = []
    if failed:
        checks.append(
            problem(
                "reminders",
                f"{failed} reminder(s) failed for good in the last 7 days",
                "the coordinators got a direct message about each; the log says why "
                "(search for 'failed for good'), often a channel the bot was removed from",
            )
        )
    else:
        checks.append(ok("reminders", "none failed in the last 7 days"))
    since = f"last taken {last.isoformat(timespec='seconds')}" if last else "none sent yet"
    if oldest is not None and oldest > late_after(timedelta(seconds=settings.dispatch_seconds)):
        checks.append(
            problem(
                "dispatcher",
                f"{waiting} reminder(s) due and waiting, the oldest for "
                f"{int(oldest.total_seconds() // 60)} min: no dispatcher is sending ({since})",
                "start `chemclust-bot run` (with CHEMCLUST_SCHEDULER not off) and check its log",
            )
        )
    elif not settings.scheduler_enabled:
        checks.append(
            warning(
                "dispatcher",
                f"CHEMCLUST_SCHEDULER is off here: another process must send reminders ({since})",
            )
        )
    else:
        checks.append(ok("dispatcher", f"nothing waiting ({since})"))
    return checks
