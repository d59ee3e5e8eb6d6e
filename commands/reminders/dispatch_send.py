"""Posting a claimed batch: many conversations at once, each conversation in order.

The batch is cut into lanes, each posted in order by one thread: on a platform whose port may
have several posts in flight (``Sender.parallel`` above 1, Slack) a lane is one conversation;
on any other (the console prints, one message after another) a lane is the whole platform.
Pacing (Slack's one message a second per channel, Retry-After) stays the port's: a lane
waiting for its channel holds up no other lane. The threads are kept from batch to batch,
and a batch is posted while the dispatcher claims and records the ones around it.

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
from dataclasses import dataclass

from commands.port import Mark, Outcome, RetryLater, Sender, Target
from commands.reminders.dispatch_decide import Decision
from commands.reminders.once import deliver
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


class Posting:
    """A batch on its way: ``results`` yields each post with its outcome as it comes."""

    def __init__(self, count: int):
        self.count = count
        self.queue: queue.SimpleQueue[Result] = queue.SimpleQueue()

    def results(self) -> Iterator[Result]:
        for _ in range(self.count):
            yield self.queue.get()


class Poster:
    """Posts batches through the platforms' ports, from threads kept per platform."""

    def __init__(
        self, senders: Mapping[str, Sender], *, monotonic: Callable[[], float] = time.monotonic
    ):
        self.senders = senders
        self.monotonic = monotonic
        self._pools = {
            platform: ThreadPoolExecutor(parallel(sender), thread_name_prefix=f"post-{platform}")
            for platform, sender in senders.items()
        }

    def start(self, posts: Sequence[Post], *, deadline: float) -> Posting:
        posting = Posting(len(posts))
        for platform, platform_lanes in lanes(posts, self.senders).items():
            for lane in platform_lanes:
                self._pools[platform].submit(self._lane_into, posting.queue, lane, deadline)
        return posting

    def close(self) -> None:
        for pool in self._pools.values():
            pool.shutdown(wait=True)

    def _lane_into(self, results: queue.SimpleQueue[Result], lane: list[Post], deadline: float):
        done = 0
        try:
            for result in self._lane(lane, deadline):
                results.put(result)
                done += 1
        except Exception as error:  # every post must come back, or the batch would wait forever
            log.exception("posting reminders to %s failed", lane[done].target.label)
            for post in lane[done:]:
                results.put(
                    (post, RetryLater(f"{type(error).__name__}: {error}", unconfirmed=True))
                )

    def _lane(self, lane: list[Post], deadline: float) -> Iterator[Result]:
        for post in lane:
            if self.monotonic() >= deadline:
                yield post, None
                continue
            reminder = post.reminder
            outcome = deliver(
                self.senders[reminder.platform],
                post.target,
                post.decision.reply,
                Mark("reminder", reminder.id),
                unconfirmed_since=reminder.unconfirmed_since,
                may_wait=post.may_wait,
            )
            yield post, outcome
