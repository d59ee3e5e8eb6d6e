"""Posting a claimed batch: many conversations at once, each conversation in order.

The batch is cut into lanes, each posted in order by one thread: on a platform whose port may
have several posts in flight (``Sender.parallel`` above 1, Slack) a lane is one conversation;
on any other (the console prints, one message after another) a lane is the whole platform.
Pacing (Slack's one message a second per channel, Retry-After) stays the port's: a lane
waiting for its channel holds up no other lane.

A post whose turn comes after ``deadline`` is handed back untried (outcome None): its claim
would lapse before the outcome could be recorded, and another process could take the row
over and post it a second time.
"""

from __future__ import annotations

import json
import logging
import queue
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass

from commands.reminders.dispatch_decide import Decision
from commands.reminders.once import deliver
from commands.reminders.port import Mark, Outcome, RetryLater, Sender, Target
from storage.models import Reminder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Post:
    reminder: Reminder
    decision: Decision  # what to post (its ``reply``) and what follows once it is recorded
    may_wait: bool  # the row may be tried again later (it has not run out of time)

    @property
    def target(self) -> Target:
        return Target(self.reminder.platform, dict(self.reminder.target))


Result = tuple[Post, Outcome | None]


def parallel(sender: Sender) -> int:
    """How many posts the port may have in flight at once (1 unless it says more)."""
    return max(1, int(getattr(sender, "parallel", 1)))


def lanes(posts: Sequence[Post], senders: Mapping[str, Sender]) -> dict[str, list[list[Post]]]:
    """Per platform, the lanes of posts that go out in order, each lane in claim order."""
    found: dict[str, dict[str, list[Post]]] = {}
    for post in posts:
        platform = post.reminder.platform
        key = ""
        if parallel(senders[platform]) > 1:
            key = json.dumps(post.reminder.target, sort_keys=True, default=str)
        found.setdefault(platform, {}).setdefault(key, []).append(post)
    return {platform: list(by_key.values()) for platform, by_key in found.items()}


def send_batch(
    posts: Sequence[Post],
    senders: Mapping[str, Sender],
    *,
    deadline: float,
    monotonic: Callable[[], float] = time.monotonic,
) -> Iterator[Result]:
    """Post every post through its platform's sender; each with its outcome as it comes."""
    by_platform = lanes(posts, senders)
    if sum(len(platform_lanes) for platform_lanes in by_platform.values()) <= 1:
        # One lane: post from this thread, as a dispatcher of one conversation always did.
        for platform_lanes in by_platform.values():
            for lane in platform_lanes:
                yield from _lane(lane, senders, deadline, monotonic)
        return
    results: queue.SimpleQueue[Result] = queue.SimpleQueue()
    with ExitStack() as pools:
        for platform, platform_lanes in by_platform.items():
            workers = min(parallel(senders[platform]), len(platform_lanes))
            pool = pools.enter_context(
                ThreadPoolExecutor(workers, thread_name_prefix=f"dispatch-{platform}")
            )
            for lane in platform_lanes:
                pool.submit(_lane_into, results, lane, senders, deadline, monotonic)
        for _ in posts:
            yield results.get()


def _lane_into(
    results: queue.SimpleQueue[Result],
    lane: list[Post],
    senders: Mapping[str, Sender],
    deadline: float,
    monotonic: Callable[[], float],
) -> None:
    done = 0
    try:
        for result in _lane(lane, senders, deadline, monotonic):
            results.put(result)
            done += 1
    except Exception as error:  # every post must come back, or the batch would wait forever
        log.exception("posting reminders to %s failed", lane[done].target.label)
        for post in lane[done:]:
            results.put((post, RetryLater(f"{type(error).__name__}: {error}", unconfirmed=True)))


def _lane(
    lane: list[Post],
    senders: Mapping[str, Sender],
    deadline: float,
    monotonic: Callable[[], float],
) -> Iterator[Result]:
    for post in lane:
        if monotonic() >= deadline:
            yield post, None
            continue
        reminder = post.reminder
        outcome = deliver(
            senders[reminder.platform],
            post.target,
            post.decision.reply,
            Mark("reminder", reminder.id),
            unconfirmed_since=reminder.unconfirmed_since,
            may_wait=post.may_wait,
        )
        yield post, outcome
