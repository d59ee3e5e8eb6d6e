"""The garbage collector of a long-running web process.

A full collection walks every object the process holds. With 100× data, on the 2-core test
machine under load, one took 150–600 ms, roughly every thirty commands: a pause that lands on
someone's acknowledgement and was the p99 of every command in issue 14's benchmark suite
(`/deadline list past` 56 ms at p50, 333 ms at p99). What exists once the server is serving
(modules, classes, the ORM's mappings, the Bolt app) lives as long as the process, so it is
moved out of the collector's sight (``gc.freeze``); full collections then walk what requests
and caches made since, and take milliseconds. Objects frozen still die by reference count.
"""

from __future__ import annotations

import gc


def settle_heap() -> int:
    """Collect what is garbage now, then freeze the survivors; how many are frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
