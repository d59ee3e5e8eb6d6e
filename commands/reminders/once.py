"""The crash rule of every post the bot claims before sending: look before posting again.

Reminders, notices and weekly digests are rows; a process claims one (and commits the claim)
before posting its message and records the outcome afterwards. A process that dies in between
leaves a claim that lapses and is taken over, and the platform may already hold the message.
Such a row is *unconfirmed* since the lapsed claim was taken, and before posting again the
port is asked to find a message carrying the row's mark posted since then:

- found: that message is the outcome (recorded as sent); nothing is posted;
- not there: posted now;
- the search failed for a passing reason (rate limit, outage): try again later, still
  unconfirmed, as long as the row may wait; once it may not, post: a rare duplicate is
  better than a lost reminder;
- the platform cannot tell (Teams and the console keep no history the bot can search; a
  Slack app without the conversation's ``*:history`` scope): post. There, a post whose
  process died mid-send is sent at least once.

Only unconfirmed rows are looked for: searching history is rate limited (Slack), so an
ordinary send never pays for it.
"""

from __future__ import annotations

import logging
from datetime import datetime

# Re-exported: the dispatcher and the digest claim rows under this name.
from commands.jobs import process_id as process_id
from commands.port import (
    CannotTell,
    Mark,
    NotFound,
    Outcome,
    RetryLater,
    Sender,
    Sent,
    Target,
)
from commands.reply import Reply

log = logging.getLogger(__name__)


def deliver(
    sender: Sender,
    target: Target,
    reply: Reply,
    mark: Mark,
    *,
    unconfirmed_since: datetime | None,
    may_wait: bool,
) -> Outcome:
    """Post ``reply`` unless an earlier, unrecorded attempt did; the outcome either way.

    ``may_wait``: the row can be tried again later (it has not run out of attempts or time).
    """
    if unconfirmed_since is not None:
        found = _find(sender, target, mark, unconfirmed_since)
        match found:
            case Sent():
                log.info(
                    "%s %s was already posted (%s) by an attempt that was not recorded; "
                    "not posting it again",
                    mark.kind,
                    mark.id,
                    found.message_ref,
                )
                return Sent(found.message_ref, found_earlier=True)
            case RetryLater() if may_wait:
                return RetryLater(
                    f"could not look for an earlier attempt's message: {found.reason}",
                    after_seconds=found.after_seconds,
                    unconfirmed=True,
                )
            case RetryLater() | CannotTell():
                log.warning(
                    "%s %s may have been posted by an attempt that was not recorded, and %s "
                    "cannot tell (%s); posting it again",
                    mark.kind,
                    mark.id,
                    target.label,
                    found.reason,
                )
            case NotFound():
                pass
    try:
        return sender(target, reply, mark)
    except Exception as error:
        # A bug, not a platform's answer: the post may or may not have gone out.
        log.exception("posting %s %s raised", mark.kind, mark.id)
        return RetryLater(f"{type(error).__name__}: {error}", unconfirmed=True)


def _find(sender: Sender, target: Target, mark: Mark, since: datetime):
    try:
        return sender.find(target, mark, since=since)
    except Exception as error:
        log.exception("looking for %s %s in %s raised", mark.kind, mark.id, target.label)
        return RetryLater(f"{type(error).__name__}: {error}")
